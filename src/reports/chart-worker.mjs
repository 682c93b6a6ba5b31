// The weekly chart's worker thread when CareBridge runs from its TypeScript sources
// (development, tests): registers tsx's loader, then loads the task. Compiled, the build
// puts the task itself at dist/chart-worker.mjs, next to the compiled chart pool, and no
// loader is needed. Either way the chart renders away from the main thread, so Slack
// requests, intake and /healthz never wait behind echarts and resvg.
import { register } from 'tsx/esm/api';

register();
const { default: render } = await import('./chart-task.ts');

export default render;
