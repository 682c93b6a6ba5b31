// Loaded into the app under test with `node --import` (NODE_OPTIONS) by the Monday figure:
// watches the app's own event loop and, on SIGUSR2, writes the delays seen since the last
// signal to LOOP_PROBE_FILE as JSON (milliseconds) and starts over. Nothing of the app's
// is read; the app does not know it is there.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

// The app's worker threads (the chart) load it too: only the main thread answers Slack.
if (isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  process.on('SIGUSR2', () => {
    const file = process.env.LOOP_PROBE_FILE;
    if (!file) return;
    const ms = (ns) => ns / 1e6;
    writeFileSync(file, JSON.stringify({ maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), samples: histogram.count }));
    histogram.reset();
  });
}
