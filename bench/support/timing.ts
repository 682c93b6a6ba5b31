import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median time of `runs` calls after `warmup` untimed ones (the JIT and the page
 * cache settle first; the median shrugs off one slow run on a shared machine).
 */
export async function medianTime(fn: () => Promise<unknown> | unknown, options: { runs: number; warmup?: number }): Promise<number> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) times.push(await timed(fn));
  return median(times);
}

/** Latencies in a histogram (node:perf_hooks, microsecond resolution), read back in ms. */
export class Latencies {
  private readonly histogram: RecordableHistogram = createHistogram();

  record(ms: number): void {
    this.histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.count;
  }

  percentile(p: number): number {
    return this.histogram.percentile(p) / 1000;
  }
}
