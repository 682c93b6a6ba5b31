// The weekly chart's worker thread: renders the PNG away from the main thread, so Slack
// requests, intake and /healthz never wait behind echarts and resvg. CareBridge ships as
// TypeScript, so the worker registers tsx's loader before it loads the renderer.
import { register } from 'tsx/esm/api';

register();
const { renderWeeklyChart } = await import('./weekly-chart.ts');

/** Renders one chart; the PNG bytes go back to the main thread. */
export default async function render({ trend }) {
  return new Uint8Array(await renderWeeklyChart(trend));
}
