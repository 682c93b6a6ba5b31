import { describe, expect, it } from 'vitest';
import { defaultPolicy, type Policy } from '../../src/domain/policy';
import { dueTimes, isFirstResponseBreached, isNextActionOverdue, isResolutionOverdue } from '../../src/domain/sla';
import type { CaseState, LaneKey, Tier } from '../../src/domain/types';

const policy = defaultPolicy('America/New_York');
const cal = policy.calendar;
const d = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

function due(p: Policy, lane: LaneKey, tier: Tier, occurredAt: string, appointmentAt?: string) {
  const r = dueTimes(p, { lane, tier, occurredAt: d(occurredAt), appointmentAt: appointmentAt ? d(appointmentAt) : null });
  return [iso(r.firstResponseDueAt), iso(r.resolutionDueAt)];
}

describe('dueTimes', () => {
  // Tuesday 13 January 2026, 10:00 in New York.
  const tue = '2026-01-13T10:00:00-05:00';
  it.each<[string, LaneKey, Tier, string, string, string]>([
    ['discharge: 4 business hours, 2 days', 'discharge', 'urgent', tue, '2026-01-13T14:00:00-05:00', '2026-01-15T10:00:00-05:00'],
    ['referral: 1 day, 10 days', 'referral', 'high', tue, '2026-01-14T10:00:00-05:00', '2026-01-27T10:00:00-05:00'],
    ['urgent referral: 4 hours, 2 days', 'referral', 'urgent', tue, '2026-01-13T14:00:00-05:00', '2026-01-15T10:00:00-05:00'],
    ['post-visit abnormal result has no urgent target', 'post_visit', 'urgent', tue, '2026-01-13T14:00:00-05:00', '2026-01-27T10:00:00-05:00'],
    ['missed appointment: 5 days', 'missed_appointment', 'high', tue, '2026-01-14T10:00:00-05:00', '2026-01-20T10:00:00-05:00'],
    ['prior auth: 5 days', 'prior_auth', 'high', tue, '2026-01-14T10:00:00-05:00', '2026-01-20T10:00:00-05:00'],
    ['monitoring: 2 days, 10 days', 'monitoring', 'routine', tue, '2026-01-15T10:00:00-05:00', '2026-01-27T10:00:00-05:00'],
    ['recall: 5 days, 30 days', 'preventive_recall', 'low', tue, '2026-01-20T10:00:00-05:00', '2026-02-24T10:00:00-05:00'],
    ['weekend trigger counts from Monday 08:00', 'discharge', 'urgent', '2026-01-17T09:00:00-05:00', '2026-01-19T12:00:00-05:00', '2026-01-20T17:00:00-05:00'],
    ['Friday 16:30 crosses the weekend', 'discharge', 'urgent', '2026-01-16T16:30:00-05:00', '2026-01-19T11:30:00-05:00', '2026-01-20T16:30:00-05:00'],
    ['before open', 'referral', 'high', '2026-01-13T05:00:00-05:00', '2026-01-13T17:00:00-05:00', '2026-01-26T17:00:00-05:00'],
    ['after close', 'referral', 'high', '2026-01-13T20:00:00-05:00', '2026-01-14T17:00:00-05:00', '2026-01-27T17:00:00-05:00'],
    ['spring DST weekend', 'discharge', 'urgent', '2026-03-06T15:00:00-05:00', '2026-03-09T10:00:00-04:00', '2026-03-10T15:00:00-04:00'],
    ['spring DST: 1 day keeps the wall time', 'referral', 'high', '2026-03-06T10:00:00-05:00', '2026-03-09T10:00:00-04:00', '2026-03-20T10:00:00-04:00'],
    ['fall DST: 1 day keeps the wall time', 'referral', 'high', '2026-10-30T10:00:00-04:00', '2026-11-02T10:00:00-05:00', '2026-11-13T10:00:00-05:00'],
  ])('%s', (_name, lane, tier, occurredAt, firstResponse, resolution) => {
    expect(due(policy, lane, tier, occurredAt)).toEqual([iso(d(firstResponse)), iso(d(resolution))]);
  });

  it('skips practice holidays', () => {
    const p = structuredClone(policy);
    p.calendar.holidays = ['2026-01-19'];
    // Friday 10:00 + 1 business day, Monday a holiday → Tuesday 10:00.
    expect(due(p, 'referral', 'high', '2026-01-16T10:00:00-05:00')[0]).toBe(iso(d('2026-01-20T10:00:00-05:00')));
  });

  it('uses overridden windows and targets', () => {
    const p = structuredClone(policy);
    p.tierWindowMinutes.high = 120;
    p.lanes.referral.resolutionBusinessDays = 3;
    expect(due(p, 'referral', 'high', tue)).toEqual([iso(d('2026-01-13T12:00:00-05:00')), iso(d('2026-01-16T10:00:00-05:00'))]);
  });

  describe('pre_visit', () => {
    const mon = '2026-01-12T10:00:00-05:00';
    it.each<[string, Tier, string, string | undefined, string, string]>([
      // Far-off appointment: the tier window (1 day) comes first.
      ['tier window is earlier', 'high', mon, '2026-01-26T09:00:00-05:00', '2026-01-13T10:00:00-05:00', '2026-01-13T10:00:00-05:00'],
      // Appointment Wednesday 15:00: 2 business days before is Monday 15:00, before the tier window.
      ['two days before the appointment is earlier', 'high', mon, '2026-01-14T15:00:00-05:00', '2026-01-12T15:00:00-05:00', '2026-01-12T15:00:00-05:00'],
      ['lead time on a routine tier', 'routine', mon, '2026-01-15T14:00:00-05:00', '2026-01-13T14:00:00-05:00', '2026-01-13T14:00:00-05:00'],
      // Monday appointment: the lead walks back over the weekend to Thursday.
      ['Monday appointment is due the Thursday before', 'low', '2026-01-05T09:00:00-05:00', '2026-01-12T09:00:00-05:00', '2026-01-08T09:00:00-05:00', '2026-01-08T09:00:00-05:00'],
      // Booked the day before: 2 business days before is already past, so it is due at once.
      ['late booking is due at the trigger', 'high', mon, '2026-01-13T11:00:00-05:00', mon, mon],
      ['lead across spring DST', 'low', '2026-03-02T09:00:00-05:00', '2026-03-10T10:00:00-04:00', '2026-03-06T10:00:00-05:00', '2026-03-06T10:00:00-05:00'],
      ['no appointment: the ordinary rule', 'high', mon, undefined, '2026-01-13T10:00:00-05:00', '2026-01-14T10:00:00-05:00'],
    ])('%s', (_name, tier, occurredAt, appointmentAt, firstResponse, resolution) => {
      expect(due(policy, 'pre_visit', tier, occurredAt, appointmentAt)).toEqual([iso(d(firstResponse)), iso(d(resolution))]);
      if (appointmentAt) expect(d(firstResponse) <= d(appointmentAt)).toBe(true);
    });

    it('honours preVisitLeadBusinessDays', () => {
      const p = structuredClone(policy);
      p.preVisitLeadBusinessDays = 0;
      // Appointment Monday 15:00 and no lead time: the tier window (Tuesday 10:00) is later, so due at the appointment.
      expect(due(p, 'pre_visit', 'high', mon, '2026-01-12T15:00:00-05:00')[0]).toBe(iso(d('2026-01-12T15:00:00-05:00')));
    });
  });
});

describe('isFirstResponseBreached', () => {
  const dueAt = d('2026-01-13T14:00:00-05:00');
  it.each<[string, CaseState, string | null, string, boolean]>([
    ['before the window ends', 'open', null, '2026-01-13T13:59:59-05:00', false],
    ['exactly at the due time', 'open', null, '2026-01-13T14:00:00-05:00', true],
    ['after the due time', 'active', null, '2026-01-14T09:00:00-05:00', true],
    ['waiting cases too', 'waiting', null, '2026-01-14T09:00:00-05:00', true],
    ['escalated cases too', 'escalated', null, '2026-01-14T09:00:00-05:00', true],
    ['first response logged', 'active', '2026-01-13T15:00:00-05:00', '2026-01-14T09:00:00-05:00', false],
    ['closed', 'closed', null, '2026-01-14T09:00:00-05:00', false],
  ])('%s → %s', (_name, state, firstResponseAt, now, expected) => {
    const c = { state, firstResponseAt: firstResponseAt ? d(firstResponseAt) : null, firstResponseDueAt: dueAt };
    expect(isFirstResponseBreached(c, d(now))).toBe(expected);
  });
});

describe('isNextActionOverdue', () => {
  it.each<[string, CaseState, string | null, string, boolean]>([
    ['no next action', 'active', null, '2026-01-20T10:00:00-05:00', false],
    ['due today', 'waiting', '2026-01-13', '2026-01-13T16:59:00-05:00', false],
    ['due yesterday', 'waiting', '2026-01-12', '2026-01-13T08:00:00-05:00', true],
    ['due tomorrow', 'active', '2026-01-14', '2026-01-13T10:00:00-05:00', false],
    // 22:00 on the 13th in New York, already the 14th in UTC: still on time in the practice.
    ['practice date, not UTC date', 'waiting', '2026-01-13', '2026-01-14T03:00:00Z', false],
    ['just after local midnight', 'waiting', '2026-01-13', '2026-01-14T00:00:00-05:00', true],
    ['closed', 'closed', '2026-01-01', '2026-01-13T10:00:00-05:00', false],
  ])('%s → %s', (_name, state, nextActionDue, now, expected) => {
    expect(isNextActionOverdue(cal, { state, nextActionDue }, d(now))).toBe(expected);
  });
});

describe('isResolutionOverdue', () => {
  const resolutionDueAt = d('2026-01-27T10:00:00-05:00');
  it.each<[string, CaseState, string, boolean]>([
    ['before', 'active', '2026-01-27T09:59:00-05:00', false],
    ['at', 'active', '2026-01-27T10:00:00-05:00', true],
    ['after', 'escalated', '2026-02-01T10:00:00-05:00', true],
    ['closed', 'closed', '2026-02-01T10:00:00-05:00', false],
  ])('%s → %s', (_name, state, now, expected) => {
    expect(isResolutionOverdue({ state, resolutionDueAt }, d(now))).toBe(expected);
  });
});
