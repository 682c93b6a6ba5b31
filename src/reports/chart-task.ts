/**
 * The chart worker thread's task: renders one chart; the PNG bytes go back to the main
 * thread. Compiled, this is `dist/chart-worker.mjs`; from the sources, `chart-worker.mjs`
 * loads it through tsx.
 */
import type { WeeklyTrend } from '../domain/metrics';
import { renderWeeklyChart } from './weekly-chart';

/** Renders one chart (piscina calls the module's default export). */
export default async function render({ trend }: { trend: WeeklyTrend }): Promise<Uint8Array> {
  return new Uint8Array(await renderWeeklyChart(trend));
}
