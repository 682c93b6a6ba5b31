/**
 * The weekly scorecard over a hand-built fortnight (week-fixture.ts), on every engine.
 * Expected figures are worked out by hand from the case letters; business time is
 * Mon–Fri 08:00–17:00 New York with Thursday 26 November 2026 a holiday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topBarriers, type LaneFigures, type WeeklyMetrics } from '../../src/domain/metrics';
import { computeWeeklyComparison, computeWeeklyMetrics } from '../../src/services/metrics-service';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { buildFortnight, thanksgivingPolicy } from './week-fixture';
import { MetricsStore } from '../../src/store/metrics-store';

const r = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });

describe.each(ENGINES)('weekly metrics on %s', (engine) => {
  let db: TestDatabase;
  let w48: WeeklyMetrics;
  let w47: WeeklyMetrics;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await buildFortnight(db);
    ({ current: w48, previous: w47 } = await computeWeeklyComparison(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W48'));
  }, 60_000);
  afterAll(async () => {
    await db.destroy();
  });

  it('covers local Monday to Monday and carries the practice lane labels', () => {
    expect(w48).toMatchObject({ week: '2026-W48', timeZone: 'America/New_York', start: '2026-11-23T05:00:00.000Z', end: '2026-11-30T05:00:00.000Z' });
    expect(w47.week).toBe('2026-W47');
    expect(w48.laneLabels.referral).toBe('Referral follow-up');
  });

  it('times first responses in business hours, a holiday adding none, across the week boundary', () => {
    // A 2 h, B 4 h (Fri 15:00 → Mon 10:00), C 1 h (Wed 16:00 → Thanksgiving 10:00), H 5 h, I 1 h, J 5 h.
    expect(w48.overall.firstResponseHours).toEqual({ count: 6, mean: 3, median: 3, p90: 5 });
    expect(w48.lanes.referral.firstResponseHours).toEqual({ count: 2, mean: 3, median: 3, p90: 4 });
    expect(w48.lanes.post_visit.firstResponseHours).toEqual({ count: 1, mean: 1, median: 1, p90: 1 });
    expect(w48.lanes.missed_appointment.firstResponseHours).toMatchObject({ median: 3, p90: 5 });
    // N (Wed 08:00 → Thu 09:00) is W47's only first response.
    expect(w47.overall.firstResponseHours).toEqual({ count: 1, mean: 10, median: 10, p90: 10 });
  });

  it('judges windows that ended in the week, counting the unanswered and excusing the closed duplicate', () => {
    // Met: A, B, C, H, I. Missed: J (answered late), K and M (never). L closed before its window ended: left out.
    expect(w48.overall.firstResponseWithinWindow).toEqual(r(5, 8));
    expect(w48.lanes.referral.firstResponseWithinWindow).toEqual(r(2, 3));
    expect(w48.lanes.discharge.firstResponseWithinWindow).toEqual(r(0, 2));
    // Q (closed after its window, never answered) and N (answered next day) missed in W47.
    expect(w47.overall.firstResponseWithinWindow).toEqual(r(0, 2));
  });

  it('counts patient contact attempts, not calls to an outside office', () => {
    expect(w48.overall.contactRate).toEqual(r(4, 9));
    expect(w48.lanes.referral.contactRate).toEqual(r(1, 3));
    expect(w48.lanes.missed_appointment.contactRate).toEqual(r(1, 4));
    expect(w47.overall.contactRate).toEqual(r(1, 1));
  });

  it('computes referral conversion, no-show recovery and the referral loop from the week\'s closes', () => {
    expect(w48.lanes.referral.completionRate).toEqual(r(2, 3)); // A, N completed; L not needed
    expect(w48.lanes.missed_appointment.completionRate).toEqual(r(1, 2)); // H completed; I unreachable
    expect(w48.overall.completionRate).toEqual(r(4, 6));
    expect(w48.lanes.referral.referralLoopClosed).toEqual(r(1, 2)); // A told, N not
    expect(w48.overall.referralLoopClosed).toEqual(r(1, 2));
    // P closes after the week ends: not in W48.
    expect(w47.overall.completionRate).toEqual(r(1, 3)); // D completed; F, Q not needed
  });

  it('measures trigger to completion in business days', () => {
    // A 2, N 6.5 (holiday skipped), E 11, H 2/3.
    expect(w48.lanes.referral.triggerToCompletionDays).toEqual({ count: 2, mean: 4.25, median: 4.25, p90: 6.5 });
    expect(w48.lanes.post_visit.triggerToCompletionDays).toEqual({ count: 1, mean: 11, median: 11, p90: 11 });
    expect(w48.overall.triggerToCompletionDays.median).toBeCloseTo(4.25, 10);
    expect(w48.overall.triggerToCompletionDays.mean).toBeCloseTo((2 + 6.5 + 11 + 2 / 3) / 4, 10);
  });

  it('judges post-visit on time by each case\'s state at its target', () => {
    // D completed before its target; E completed late; G still open; F closed not needed (left out).
    expect(w48.lanes.post_visit.resolvedOnTime).toEqual(r(1, 3));
    expect(w48.lanes.discharge.resolvedOnTime).toEqual(r(0, 1)); // J open at its 2-day target
    expect(w48.lanes.referral.resolvedOnTime).toEqual(r(0, 1)); // M, urgent: open at its 2-day target
    expect(w48.overall.resolvedOnTime).toEqual(r(1, 5));
  });

  it('counts escalations raised, acknowledged (whenever raised) and pending, with business-hour acknowledgement times', () => {
    // Raised: B, J, and M twice (automatically). Acknowledged: J (1.5 h), N (raised Fri W47, 8 h). Pending: B, M, M.
    expect(w48.overall.escalations).toEqual({ raised: 4, acknowledged: 2, pendingAtEnd: 3, ackHours: { count: 2, mean: 4.75, median: 4.75, p90: 8 } });
    expect(w48.lanes.referral.escalations).toMatchObject({ raised: 3, acknowledged: 1, pendingAtEnd: 3 });
    expect(w48.lanes.discharge.escalations).toMatchObject({ raised: 1, acknowledged: 1, pendingAtEnd: 0 });
    expect(w47.overall.escalations).toMatchObject({ raised: 1, acknowledged: 0, pendingAtEnd: 1 });
  });

  it('counts each barrier once per case, with the change from the week before', () => {
    expect(nonZero(w48.overall)).toEqual({ confusion: 1, transportation: 2, work_schedule: 1, phone_tag: 2 });
    expect(nonZero(w47.overall)).toEqual({ confusion: 1, work_schedule: 1 });
    expect(topBarriers(w48.overall, w47.overall)).toEqual([
      { barrier: 'transportation', count: 2, previous: 0, change: 2 },
      { barrier: 'phone_tag', count: 2, previous: 0, change: 2 },
      { barrier: 'confusion', count: 1, previous: 1, change: 0 },
      { barrier: 'work_schedule', count: 1, previous: 1, change: 0 },
    ]);
  });

  it('ages the unresolved cases at the week\'s end from the audit trail', () => {
    // B 9 d, C 4 d, G 17 d, J 6 d, K 2 d, M 9 d, P 59 d (closed only after the week). Q was closed at the end.
    // Overdue: G, J, M, P. No movement: G, P, and M (only CareBridge's own escalations touched it).
    expect(w48.overall.unresolved).toEqual({
      total: 7, waitingOnPatient: 1, overdue: 4, noMovement7d: 3,
      byAge: { '0-2': 1, '3-7': 2, '8-14': 2, '15-30': 1, '31+': 1 },
    });
    expect(w48.lanes.referral.unresolved).toEqual({
      total: 3, waitingOnPatient: 1, overdue: 2, noMovement7d: 2, byAge: { '0-2': 0, '3-7': 0, '8-14': 2, '15-30': 0, '31+': 1 },
    });
    expect(w48.lanes.post_visit.unresolved).toMatchObject({ total: 2, overdue: 1, noMovement7d: 1 });
    // At W47's end: P, E, G, N, B, M.
    expect(w47.overall.unresolved).toMatchObject({ total: 6, byAge: { '0-2': 2, '3-7': 1, '8-14': 2, '15-30': 0, '31+': 1 } });
  });

  it('gives a lane with no cases null rates and empty figures, not 0 % or NaN', () => {
    const empty = w48.lanes.prior_auth;
    for (const ratio of [empty.firstResponseWithinWindow, empty.contactRate, empty.completionRate, empty.resolvedOnTime, empty.referralLoopClosed]) {
      expect(ratio).toEqual({ numerator: 0, denominator: 0, rate: null });
    }
    expect(empty.firstResponseHours).toEqual({ count: 0, mean: null, median: null, p90: null });
    expect(empty.unresolved.total).toBe(0);
    expect(JSON.stringify(w48)).not.toMatch(/NaN|Infinity/);
  });

  it('reads the same when re-run and keeps figures of weeks with no activity empty', async () => {
    expect(await computeWeeklyMetrics(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W48')).toEqual(w48);
    // P alone: opened Thursday 1 October 09:00, answered Friday 10:00: 10 business hours, past its 9-hour window.
    const october = await computeWeeklyMetrics(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W40');
    expect(october.overall.firstResponseHours.median).toBe(10);
    expect(october.overall.firstResponseWithinWindow).toEqual(r(0, 1));
    expect(october.overall.unresolved).toMatchObject({ total: 1, byAge: { '0-2': 0, '3-7': 1 } });
    const quiet = await computeWeeklyMetrics(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W36');
    expect(quiet.overall.firstResponseHours.median).toBeNull();
    expect(quiet.overall.unresolved.total).toBe(0);
    expect(quiet.overall.contactRate.rate).toBeNull();
  });

  it('refuses a week that does not exist', async () => {
    await expect(computeWeeklyMetrics(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W54')).rejects.toThrow(RangeError);
  });
});

function nonZero(f: LaneFigures): Record<string, number> {
  return Object.fromEntries(Object.entries(f.barriers).filter(([, n]) => n > 0));
}
