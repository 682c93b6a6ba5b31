/**
 * The stored weekly figures (weekly_lane_figures): a finished week counted once and read
 * back must give exactly the figures counted afresh from the audit trail, on every engine,
 * over random years and the hand-built fortnight; activity after a week has ended must not
 * make its stored figures stale; a week not over is never stored; another practice
 * calendar gets figures of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, type Policy } from '../../src/domain/policy';
import { shiftIsoWeek } from '../../src/domain/metrics';
import { computeWeeklyComparison, computeWeeklyMetrics } from '../../src/services/metrics-service';
import { SETTLE_MS } from '../../src/services/weekly-figures';
import { weeklyTrend } from '../../src/services/weekly-trend';
import type { MetricsPort, MetricsReads } from '../../src/services/ports';
import { MetricsStore } from '../../src/store/metrics-store';
import { seedYear } from '../../bench/support/metrics-year';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { buildFortnight, driver, thanksgivingPolicy } from './week-fixture';

/** A metrics port that counts how many weeks were counted afresh (one backlog read per week). */
function counting(store: MetricsStore): MetricsPort & { counted: number } {
  const port = {
    counted: 0,
    snapshot: <T>(fn: (reads: MetricsReads) => Promise<T>) =>
      store.snapshot((reads) =>
        fn({
          ...reads,
          backlogByLane: (w, ageStarts) => {
            port.counted += 1;
            return reads.backlogByLane(w, ageStarts);
          },
        }),
      ),
    storeWeeks: (rows: Parameters<MetricsPort['storeWeeks']>[0], now: Date) => store.storeWeeks(rows, now),
  };
  return port;
}

const storedWeekCount = async (db: TestDatabase) => {
  const rows: { week: string }[] = await db.knex('weekly_lane_figures').distinct('week');
  return rows.length;
};

describe.each(ENGINES)('stored weekly figures on %s', (engine) => {
  describe.each([7, 23])('over a random year (seed %i)', (seed) => {
    const NOW = new Date('2026-11-25T10:00:00-05:00');
    const policy = defaultPolicy();
    const reported = '2026-W47';
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      await seedYear({ ...db, url: '', destroy: db.destroy }, engine, { now: NOW.getTime(), events: 40_000, seed });
    }, 120_000);
    afterAll(async () => {
      await db.destroy();
    });

    it('reads back, for every week of the last quarter, the figures a fresh count gives', async () => {
      const store = new MetricsStore(db.knex);
      const weeks = Array.from({ length: 13 }, (_, i) => shiftIsoWeek(reported, -i));
      const fresh = new Map<string, unknown>();
      for (const week of weeks) fresh.set(week, await computeWeeklyMetrics(store, policy, week));
      expect(await storedWeekCount(db)).toBe(0);

      const cold = counting(store);
      for (const week of weeks) expect(await computeWeeklyMetrics(cold, policy, week, NOW)).toEqual(fresh.get(week));
      expect(cold.counted).toBe(weeks.length);
      expect(await storedWeekCount(db)).toBe(weeks.length);

      const warm = counting(store);
      for (const week of weeks) expect(await computeWeeklyMetrics(warm, policy, week, NOW)).toEqual(fresh.get(week));
      expect(warm.counted).toBe(0);
      // Something to compare: the year has real figures in it.
      const w47 = fresh.get(reported) as Awaited<ReturnType<typeof computeWeeklyMetrics>>;
      expect(w47.overall.firstResponseHours.count).toBeGreaterThan(10);
      expect(w47.overall.unresolved.total).toBeGreaterThan(10);
    }, 120_000);

    it('draws the same trend and comparison from stored weeks as from a fresh count', async () => {
      const store = new MetricsStore(db.knex);
      const port = counting(store);
      expect(await weeklyTrend(port, policy, reported, 8, NOW)).toEqual(await weeklyTrend(store, policy, reported, 8));
      expect(await computeWeeklyComparison(port, policy, reported, NOW)).toEqual(await computeWeeklyComparison(store, policy, reported));
      expect(port.counted).toBe(0);
    }, 60_000);
  });

  describe('on the hand-built fortnight', () => {
    let db: TestDatabase;
    let ids: Record<string, number>;
    let d: ReturnType<typeof driver>;
    const policy = thanksgivingPolicy();

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      const built = await buildFortnight(db);
      ids = built.ids;
      d = driver(built.world);
    }, 60_000);
    afterAll(async () => {
      await db.destroy();
    });

    it('never stores a week that is not over, nor one that ended less than the settling time ago', async () => {
      const store = new MetricsStore(db.knex);
      const end = new Date('2026-11-30T05:00:00Z').getTime(); // W48 ends Monday 30 November 00:00 New York
      await computeWeeklyComparison(store, policy, '2026-W48', new Date(end - 60_000));
      await computeWeeklyComparison(store, policy, '2026-W48', new Date(end + SETTLE_MS - 1));
      const weeks: { week: string }[] = await db.knex('weekly_lane_figures').distinct('week').orderBy('week');
      // W47 was over long before; W48 not yet settled.
      expect(weeks.map((w) => w.week)).toEqual(['2026-W47']);
      await computeWeeklyComparison(store, policy, '2026-W48', new Date(end + SETTLE_MS));
      expect(await storedWeekCount(db)).toBe(2);
    });

    it('keeps a stored week true when later activity touches its cases (a reopening, a first attempt, a back-dated trigger)', async () => {
      const store = new MetricsStore(db.knex);
      const NOW = new Date('2026-12-01T10:00:00-05:00');
      const before = await computeWeeklyComparison(store, policy, '2026-W48', NOW);
      expect(before.current.overall.firstResponseWithinWindow).toEqual({ numerator: 5, denominator: 8, rate: 5 / 8 });

      // The week after: L (closed before its window ended without an attempt, so left out of
      // W48's windows) is reopened and answered; others close; a trigger from W48 arrives late.
      await d.reopen(ids.L!, '2026-12-01T11:00:00-05:00');
      await d.claim(ids.L!, '2026-12-01T11:10:00-05:00');
      await d.noteAt(ids.L!, '2026-12-01T11:30:00-05:00', {});
      await d.close(ids.L!, '2026-12-01T12:00:00-05:00', 'completed', true);
      await d.claim(ids.K!, '2026-12-01T12:50:00-05:00');
      await d.noteAt(ids.K!, '2026-12-01T13:00:00-05:00', { barrier: 'transportation', status: 'waiting_on_patient' });
      await d.open('2026-12-01T14:00:00-05:00', '2026-11-24T09:00:00-05:00');

      const fresh = await computeWeeklyComparison(store, policy, '2026-W48');
      expect(fresh).toEqual(before);
      const port = counting(store);
      expect(await computeWeeklyComparison(port, policy, '2026-W48', new Date('2026-12-01T15:00:00-05:00'))).toEqual(before);
      expect(port.counted).toBe(0);
    });

    it('keeps figures of another practice calendar apart', async () => {
      const NOW = new Date('2026-12-01T10:00:00-05:00');
      const store = new MetricsStore(db.knex);
      const plain: Policy = defaultPolicy(); // Thanksgiving is a business day here
      const stored = await computeWeeklyMetrics(store, policy, '2026-W48', NOW);
      const port = counting(store);
      const other = await computeWeeklyMetrics(port, plain, '2026-W48', NOW);
      expect(port.counted).toBe(1);
      expect(other).toEqual(await computeWeeklyMetrics(store, plain, '2026-W48'));
      expect(other.overall.firstResponseHours).not.toEqual(stored.overall.firstResponseHours);
      expect(await computeWeeklyMetrics(store, policy, '2026-W48', NOW)).toEqual(stored);
    });
  });
});
