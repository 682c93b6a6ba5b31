/**
 * Event-loop delay while the weekly chart is rendered: the longest any request (a Slack
 * click, an intake call, /healthz) would have waited, with the chart rendered on its
 * worker thread, against rendering it on the main thread as CareBridge used to.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WeeklyTrend } from '../src/domain/metrics';
import { LANE_LABELS } from '../src/domain/policy';
import { LANES, type LaneKey } from '../src/domain/types';
import { closeChartPool, renderChartOffThread } from '../src/reports/chart-pool';
import type { BenchFigure } from './support/figure';

const GOAL_MS = 50;

/** Eight weeks with figures in every lane (the work of a real report). */
function eightWeeks(): WeeklyTrend {
  const weeks = Array.from({ length: 8 }, (_, i) => ({
    week: `2026-W${String(41 + i).padStart(2, '0')}`,
    withinWindowRate: 0.7 + i * 0.02,
    unresolvedByLane: Object.fromEntries(LANES.map((lane, j) => [lane, 20 + i * 3 + j * 7])) as Record<LaneKey, number>,
  }));
  return { weeks, laneLabels: { ...LANE_LABELS } };
}

/** The longest event-loop delay (ms) while `work` runs, sampled every 1 ms. */
async function maxDelayDuring(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    await work();
    // The sampler reports a delay when its timer finally fires: give it that turn.
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

export const eventLoopFigure: BenchFigure = {
  id: 'loop',
  title: 'Event-loop delay while the weekly chart renders',
  async run(ctx) {
    const trend = eightWeeks();
    ctx.progress('event loop: the chart on the main thread, then on its worker thread');
    // As before: the renderer loaded and run on the main thread (the first load included).
    const mainThread = await maxDelayDuring(async () => {
      const { renderWeeklyChart } = await import('../src/reports/weekly-chart');
      await renderWeeklyChart(trend);
      await renderWeeklyChart(trend);
    });
    // As now: the worker thread starts, loads the renderer and renders, twice.
    let worker: number;
    try {
      worker = await maxDelayDuring(async () => {
        await renderChartOffThread(trend);
        await renderChartOffThread(trend);
      });
    } finally {
      await closeChartPool();
    }
    return [
      {
        name: 'Event-loop delay (max) while the weekly chart renders, twice from cold',
        value: worker,
        unit: 'ms',
        floor: null,
        goal: `max < ${GOAL_MS} ms`,
        pass: worker < GOAL_MS,
        note: `on the main thread, as before: max ${mainThread.toFixed(0)} ms`,
      },
    ];
  },
};
