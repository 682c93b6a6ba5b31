/**
 * The small statistics the weekly scorecard uses. Pure, and total: empty samples and
 * zero denominators give null, which reports show as "—", never 0 % or NaN.
 */

/** A rate with what it was computed from; `rate` is null when the denominator is 0. */
export interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}

/** Summary of a sample; every statistic is null for an empty sample. */
export interface Distribution {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

/** `numerator ÷ denominator`, null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator > 0 ? numerator / denominator : null };
}

/** Arithmetic mean; null for an empty sample. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Median (mean of the two middle values for an even count); null for an empty sample. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Nearest-rank percentile (`p` in 0–100): the smallest value with at least p % of the
 * sample at or below it. Always a value that occurred, which reads better than an
 * interpolated one on small weekly samples. Null for an empty sample.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Count, mean, median and 90th percentile of a sample. */
export function distribution(values: readonly number[]): Distribution {
  return { count: values.length, mean: mean(values), median: median(values), p90: percentile(values, 90) };
}

/** Week-over-week change `current − previous` (rates in fractions, so ×100 for points); null if either is unknown. */
export function change(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  return Number.isFinite(current) && Number.isFinite(previous) ? current - previous : null;
}
