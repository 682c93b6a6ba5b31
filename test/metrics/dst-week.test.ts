/**
 * The week containing New York's return to standard time (Sunday 1 November 2026, 02:00
 * EDT → 01:00 EST) is 2026-W44: 169 hours long. W45 starts the next day. Local-day
 * boundaries, not 24-hour steps, must decide what falls in a week and how old a case is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyMetrics } from '../../src/domain/metrics';
import { defaultPolicy } from '../../src/domain/policy';
import { computeWeeklyComparison } from '../../src/services/metrics-service';
import { serviceWorld } from '../support/services';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { driver } from './week-fixture';
import { MetricsStore } from '../../src/store/metrics-store';

describe.each(ENGINES)('the daylight-saving week on %s', (engine) => {
  let db: TestDatabase;
  let w44: WeeklyMetrics;
  let w45: WeeklyMetrics;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const d = driver(serviceWorld(db, '2026-10-26T09:00:00-04:00', defaultPolicy()));
    // R: triggered exactly at local midnight starting Friday: 2 days old on Sunday, whatever the offset.
    const r = await d.open('2026-10-30T00:00:00-04:00', '2026-10-30T00:00:00-04:00');
    // T: triggered half an hour earlier (3 days old); first answered Sunday 23:30 EST, in the week's 169th hour.
    const t = await d.open('2026-10-29T23:30:00-04:00', '2026-10-29T23:30:00-04:00');
    await d.claim(t, '2026-10-29T23:35:00-04:00');
    await d.noteAt(t, '2026-11-01T23:30:00-05:00', { contact: { channel: 'phone', result: 'reached' } });
    // U: Friday 16:00 EDT, answered Monday 09:00 EST: 1 + 1 business hours across the change.
    const u = await d.open('2026-10-30T16:00:00-04:00', '2026-10-30T16:00:00-04:00');
    await d.claim(u, '2026-10-30T16:05:00-04:00');
    await d.noteAt(u, '2026-11-02T09:00:00-05:00', { contact: { channel: 'phone', result: 'reached' } });
    expect([r, t, u]).toHaveLength(3);
    ({ current: w45, previous: w44 } = await computeWeeklyComparison(new MetricsStore(db.knex), defaultPolicy(), '2026-W45'));
  }, 60_000);
  afterAll(async () => {
    await db.destroy();
  });

  it('spans 169 hours, from midnight EDT to midnight EST', () => {
    expect(w44.start).toBe('2026-10-26T04:00:00.000Z');
    expect(w44.end).toBe('2026-11-02T05:00:00.000Z');
    expect(w45.start).toBe(w44.end);
  });

  it('keeps the extra hour in W44: a Sunday 23:30 EST attempt counts there', () => {
    expect(w44.overall.contactRate).toMatchObject({ numerator: 1, denominator: 1 });
    expect(w44.overall.firstResponseHours).toEqual({ count: 1, mean: 9, median: 9, p90: 9 });
    expect(w44.overall.firstResponseWithinWindow).toMatchObject({ numerator: 0, denominator: 2 }); // R, T
  });

  it('measures a first response across the change in business hours', () => {
    expect(w45.overall.firstResponseHours).toEqual({ count: 1, mean: 2, median: 2, p90: 2 });
    expect(w45.overall.firstResponseWithinWindow).toMatchObject({ numerator: 1, denominator: 1 }); // U, due Monday 16:00 EST
  });

  it('ages cases by local calendar days at the week\'s end', () => {
    expect(w44.overall.unresolved.byAge).toEqual({ '0-2': 2, '3-7': 1, '8-14': 0, '15-30': 0, '31+': 0 });
    expect(w45.overall.unresolved).toEqual({
      total: 3, waitingOnPatient: 0, overdue: 0, noMovement7d: 2, // R and T had nothing in W45
      byAge: { '0-2': 0, '3-7': 0, '8-14': 3, '15-30': 0, '31+': 0 },
    });
  });
});
