import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/domain/calendar';
import fc from 'fast-check';
import { byDue, caseDue, isOverdue, laneFigures, queueKeys, queueMoment } from '../../src/domain/queue';
import { CASE_STATES } from '../../src/domain/types';
import { buildCase, buildClaimedCase } from '../support/case-builder';

const cal = defaultCalendar('America/New_York');
/** Tuesday 2025-03-04 10:00 New York. */
const NOW = new Date('2025-03-04T15:00:00Z');

describe('caseDue', () => {
  it('is the first response until one is logged', () => {
    const c = buildCase();
    expect(caseDue(cal, c)).toEqual({ kind: 'first_response', at: c.firstResponseDueAt });
  });
  it('then the next promised action, due by the end of its practice day', () => {
    const c = buildClaimedCase({ firstResponseAt: new Date('2025-03-03T15:00:00Z'), nextActionDue: '2025-03-05' });
    const due = caseDue(cal, c);
    expect(due.kind).toBe('next_action');
    expect(due.at.toISOString()).toBe('2025-03-06T04:59:00.000Z');
  });
  it('else the resolution target', () => {
    const c = buildClaimedCase({ firstResponseAt: new Date('2025-03-03T15:00:00Z') });
    expect(caseDue(cal, c)).toEqual({ kind: 'resolution', at: c.resolutionDueAt });
  });
});

describe('isOverdue', () => {
  it('counts a missed first response, a past next action and a passed resolution target; never a closed case', () => {
    expect(isOverdue(cal, buildCase(), NOW)).toBe(true); // first response was due Tue 09:00
    expect(isOverdue(cal, buildCase(), new Date('2025-03-04T13:59:00Z'))).toBe(false);
    const responded = { firstResponseAt: new Date('2025-03-03T15:00:00Z') };
    expect(isOverdue(cal, buildClaimedCase({ ...responded, nextActionDue: '2025-03-03' }), NOW)).toBe(true);
    expect(isOverdue(cal, buildClaimedCase({ ...responded, nextActionDue: '2025-03-04' }), NOW)).toBe(false);
    expect(isOverdue(cal, buildClaimedCase({ ...responded, resolutionDueAt: new Date('2025-03-04T14:00:00Z') }), NOW)).toBe(true);
    expect(isOverdue(cal, buildCase({ state: 'closed' }), NOW)).toBe(false);
  });
});

describe('byDue and laneFigures', () => {
  const at = (iso: string) => new Date(iso);
  const cases = [
    buildCase({ id: 1, firstResponseDueAt: at('2025-03-05T14:00:00Z') }), // referral, due tomorrow
    buildCase({ id: 2, firstResponseDueAt: at('2025-03-04T20:00:00Z') }), // referral, due today
    buildCase({ id: 3, firstResponseDueAt: at('2025-03-04T14:00:00Z') }), // referral, overdue
    buildClaimedCase({ id: 4, lane: 'discharge', firstResponseDueAt: at('2025-03-04T20:00:00Z') }), // discharge, owned, due today
    buildCase({ id: 5, lane: 'discharge', state: 'closed', firstResponseDueAt: at('2025-03-01T14:00:00Z') }),
  ];

  it('sorts by next due time, the id breaking ties', () => {
    expect(byDue(cal, cases).map((c) => c.id)).toEqual([5, 3, 2, 4, 1]);
  });

  it('counts open, unclaimed, due today (not overdue) and overdue per lane, closed cases excluded', () => {
    const figures = laneFigures(cal, cases, NOW);
    expect(figures.map((f) => f.lane)).toEqual(['referral', 'post_visit', 'missed_appointment', 'discharge', 'prior_auth', 'pre_visit', 'preventive_recall', 'monitoring']);
    expect(figures.find((f) => f.lane === 'referral')).toEqual({ lane: 'referral', open: 3, unclaimed: 3, dueToday: 1, overdue: 1 });
    expect(figures.find((f) => f.lane === 'discharge')).toEqual({ lane: 'discharge', open: 1, unclaimed: 0, dueToday: 1, overdue: 0 });
    expect(figures.find((f) => f.lane === 'monitoring')).toEqual({ lane: 'monitoring', open: 0, unclaimed: 0, dueToday: 0, overdue: 0 });
  });
});

describe('queueMoment', () => {
  it('answers exactly as caseDue and isOverdue do, case by case', () => {
    const cal = defaultCalendar('America/New_York');
    const base = Date.parse('2026-11-01T00:00:00Z');
    const instant = fc.integer({ min: 0, max: 60 * 86_400 }).map((s) => new Date(base + s * 1000));
    const date = fc.integer({ min: 0, max: 59 }).map((d) => new Date(base + d * 86_400_000).toISOString().slice(0, 10));
    const due = fc.record({
      state: fc.constantFrom(...CASE_STATES),
      firstResponseAt: fc.option(instant, { nil: null }),
      firstResponseDueAt: instant,
      nextActionDue: fc.option(date, { nil: null }),
      resolutionDueAt: instant,
    });
    fc.assert(
      fc.property(due, instant, (c, now) => {
        const moment = queueMoment(cal, now);
        expect(moment.isOverdue(c)).toBe(isOverdue(cal, c, now));
        expect(moment.dueMs(c)).toBe(caseDue(cal, c).at.getTime());
      }),
      { numRuns: 500 },
    );
  });
});

describe('queueKeys', () => {
  // New York, and zones whose clocks jump at midnight (Santiago, Havana, Beirut) or by half an hour (Lord Howe).
  const ZONES = ['America/New_York', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe'];
  const FROM = Date.parse('2026-01-01T00:00:00Z');
  const SPAN = 365 * 86_400_000;
  const instant = fc.integer({ min: FROM, max: FROM + SPAN });
  const dueFields = fc.record({
    firstResponseAt: fc.option(instant.map((t) => new Date(t))),
    firstResponseDueAt: instant.map((t) => new Date(t)),
    resolutionDueAt: instant.map((t) => new Date(t)),
    nextActionDue: fc.option(instant.map((t) => new Date(t).toISOString().slice(0, 10))),
    state: fc.constantFrom('open' as const, 'active' as const, 'waiting' as const, 'escalated' as const),
  });

  it('nextDueAt is caseDue, and a case is overdue exactly from overdueAt on, in every zone', () => {
    for (const zone of ZONES) {
      const zcal = defaultCalendar(zone);
      fc.assert(
        fc.property(dueFields, instant, (c, t) => {
          const keys = queueKeys(zcal, c);
          expect(keys.nextDueAt).toBe(caseDue(zcal, c).at.getTime());
          // At the edge itself, a millisecond before it, and at an arbitrary instant.
          expect(isOverdue(zcal, c, new Date(keys.overdueAt))).toBe(true);
          expect(isOverdue(zcal, c, new Date(keys.overdueAt - 1))).toBe(false);
          expect(isOverdue(zcal, c, new Date(t))).toBe(t >= keys.overdueAt);
        }),
        { numRuns: 400 },
      );
    }
  });

  it('dates a missed next action from the first instant of the next practice day, even when that day starts at 01:00', () => {
    // Santiago's clocks jump from 00:00 to 01:00 on Sunday 2026-09-06.
    const santiago = defaultCalendar('America/Santiago');
    const c = buildClaimedCase({ firstResponseAt: new Date('2026-09-01T15:00:00Z'), nextActionDue: '2026-09-05', resolutionDueAt: new Date('2026-12-01T15:00:00Z') });
    const { overdueAt } = queueKeys(santiago, c);
    expect(new Date(overdueAt).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(isOverdue(santiago, c, new Date(overdueAt - 1))).toBe(false);
    expect(isOverdue(santiago, c, new Date(overdueAt))).toBe(true);
  });
});
