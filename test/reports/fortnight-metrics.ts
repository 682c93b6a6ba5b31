/** The fixture fortnight's W48 and W47 scorecards, computed once per test file (SQLite; the renderings are pure). */
import type { WeeklyMetrics } from '../../src/domain/metrics';
import { computeWeeklyComparison } from '../../src/services/metrics-service';
import { buildFortnight, thanksgivingPolicy } from '../metrics/week-fixture';
import { createTestDatabase } from '../support/test-db';
import { MetricsStore } from '../../src/store/metrics-store';

export async function fortnightMetrics(): Promise<{ w48: WeeklyMetrics; w47: WeeklyMetrics }> {
  const db = await createTestDatabase('sqlite');
  try {
    await buildFortnight(db);
    const { current, previous } = await computeWeeklyComparison(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W48');
    return { w48: current, w47: previous };
  } finally {
    await db.destroy();
  }
}

/** A deep copy with every number replaced by `f(number)` and every lane label by `label`. */
export function mapNumbers(m: WeeklyMetrics, f: (n: number, path: string) => number, label?: string): WeeklyMetrics {
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'number') return f(v, path);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}.${i}`));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${path}.${k}`)]));
    return v;
  };
  const copy = walk(m, '') as WeeklyMetrics;
  if (label !== undefined) for (const lane of Object.keys(copy.laneLabels)) (copy.laneLabels as Record<string, string>)[lane] = label;
  return copy;
}
