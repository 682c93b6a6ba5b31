/**
 * Renders the weekly chart on a worker thread (piscina): echarts takes seconds to load the
 * first time and a render takes 0.4–2 s of CPU, which on the main thread would hold up every
 * Slack request, intake call and /healthz meanwhile. One thread is enough (one report a
 * week); it is started on first use and ends when idle.
 */
import { Piscina } from 'piscina';
import type { WeeklyTrend } from '../domain/metrics';

let pool: Piscina | null = null;

/** The chart as a PNG, rendered off the main thread. */
export async function renderChartOffThread(trend: WeeklyTrend): Promise<Buffer> {
  pool ??= new Piscina({ filename: new URL('./chart-worker.mjs', import.meta.url).href, minThreads: 0, maxThreads: 1, idleTimeout: 30_000 });
  const png = (await pool.run({ trend })) as Uint8Array;
  return Buffer.from(png);
}

/** Stops the chart's worker thread (at shutdown). */
export async function closeChartPool(): Promise<void> {
  const running = pool;
  pool = null;
  await running?.destroy();
}
