/** The stored weekly figures in MetricsStore, on every engine: round trip, first writer wins, calendars apart. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGE_BUCKETS, COUNTED_BARRIERS, emptyLaneCounts, type LaneCounts } from '../../src/domain/metrics';
import type { StoredLaneWeek } from '../../src/services/ports';
import { MetricsStore } from '../../src/store/metrics-store';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

const NOW = new Date('2026-12-01T10:00:00Z');

/** Every count different, so a column mixed up with another shows. */
function counts(base: number): LaneCounts {
  const c = emptyLaneCounts();
  let i = base;
  for (const key of Object.keys(c) as (keyof LaneCounts)[]) if (typeof c[key] === 'number') (c[key] as number) = i++;
  for (const b of AGE_BUCKETS) c.ages[b] = i++;
  for (const b of COUNTED_BARRIERS) c.barriers[b] = i++;
  return c;
}

function row(overrides: Partial<StoredLaneWeek> = {}): StoredLaneWeek {
  return {
    week: '2026-W48', lane: 'referral', calendarKey: 'cal-a', start: 1_795_928_400_000, end: 1_796_533_200_000,
    counts: counts(1),
    samples: { firstResponseHours: [0.1 + 0.2, 1 / 3, 2], completionDays: [], ackHours: [123456.789] },
    ...overrides,
  };
}

describe.each(ENGINES)('metrics store, stored weeks, on %s', (engine) => {
  let db: TestDatabase;
  let store: MetricsStore;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    store = new MetricsStore(db.knex);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('reads back exactly what it stored, bounds, counts and samples alike', async () => {
    const rows = [row(), row({ lane: 'post_visit', counts: counts(100) }), row({ week: '2026-W47', start: 1, end: 2 })];
    await store.storeWeeks(rows, NOW);
    const read = await store.snapshot((q) => q.storedWeeks(['2026-W48', '2026-W47', '2026-W46'], 'cal-a'));
    const key = (r: StoredLaneWeek) => `${r.week} ${r.lane}`;
    expect(read.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(rows.sort((a, b) => key(a).localeCompare(key(b))));
    expect(await store.snapshot((q) => q.storedWeeks(['2026-W46'], 'cal-a'))).toEqual([]);
    expect(await store.snapshot((q) => q.storedWeeks([], 'cal-a'))).toEqual([]);
  });

  it('keeps the first figures when a second writer stores the same week', async () => {
    await store.storeWeeks([row()], NOW);
    await store.storeWeeks([row({ counts: counts(500) }), row({ lane: 'discharge' })], NOW);
    const read = await store.snapshot((q) => q.storedWeeks(['2026-W48'], 'cal-a'));
    expect(read.find((r) => r.lane === 'referral')!.counts).toEqual(counts(1));
    expect(read.map((r) => r.lane).sort()).toEqual(['discharge', 'referral']);
  });

  it('two writers at once leave one row per lane', async () => {
    await Promise.all([store.storeWeeks([row()], NOW), store.storeWeeks([row({ counts: counts(9) })], NOW)]);
    const [{ n }] = (await db.knex('weekly_lane_figures').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(1);
  });

  it('keeps each calendar\'s figures apart', async () => {
    await store.storeWeeks([row(), row({ calendarKey: 'cal-b', counts: counts(7) })], NOW);
    const a = await store.snapshot((q) => q.storedWeeks(['2026-W48'], 'cal-a'));
    const b = await store.snapshot((q) => q.storedWeeks(['2026-W48'], 'cal-b'));
    expect(a.map((r) => r.counts)).toEqual([counts(1)]);
    expect(b.map((r) => r.counts)).toEqual([counts(7)]);
  });
});
