import { describe, expect, it } from 'vitest';
import { applyNote } from '../../src/domain/case';
import { defaultPolicy } from '../../src/domain/policy';
import { nextAttemptDueAt, reminderDue, reminderHorizon } from '../../src/domain/reattempt';
import type { Actor } from '../../src/domain/types';
import { buildClaimedCase } from '../support/case-builder';
import { note } from '../support/services';

const policy = defaultPolicy('America/New_York');
const cal = policy.calendar;
const at = (iso: string) => new Date(iso);
const owner: Actor = { userId: 'U_OWNER', roles: new Set(['coordinator']) };
const failedNote = (targetDate: string) => note({ contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached', status: 'waiting_on_patient', targetDate });

describe('next attempt due', () => {
  it.each([
    ['urgent', 'Fri 16:00 EST + 2 business hours, over the spring change', '2026-03-06T16:00:00-05:00', '2026-03-09T09:00:00-04:00'],
    ['high', 'Fri 15:00 EDT + 4 business hours, over the autumn change', '2026-10-30T15:00:00-04:00', '2026-11-02T10:00:00-05:00'],
    ['routine', 'Wed 10:00 + 1 business day', '2026-11-18T10:00:00-05:00', '2026-11-19T10:00:00-05:00'],
    ['low', 'Thu 12:00 + 3 business days, over a weekend', '2026-11-19T12:00:00-05:00', '2026-11-24T12:00:00-05:00'],
  ] as const)('%s: %s', (tier, _what, failedAt, due) => {
    expect(nextAttemptDueAt(policy, { lane: 'referral', tier }, 1, at(failedAt))?.toISOString()).toBe(at(due).toISOString());
  });

  it('stops at the lane\'s most failed attempts', () => {
    expect(nextAttemptDueAt(policy, { lane: 'referral', tier: 'high' }, 5, at('2026-11-18T10:00:00-05:00'))).not.toBe(null);
    expect(nextAttemptDueAt(policy, { lane: 'referral', tier: 'high' }, 6, at('2026-11-18T10:00:00-05:00'))).toBe(null);
  });

  it('is set by a failed patient attempt in a note and cleared by a reach', () => {
    const c = buildClaimedCase({ tier: 'urgent' });
    const now = at('2025-03-04T14:00:00Z'); // Tue 9:00 EST
    const failed = applyNote(c, owner, failedNote('2025-03-10'), now, policy);
    if (!failed.ok) throw new Error(failed.message);
    expect(failed.case.nextAttemptDueAt?.toISOString()).toBe('2025-03-04T16:00:00.000Z');
    expect(failed.events[0]!.after).toMatchObject({ nextAttemptDueAt: '2025-03-04T16:00:00.000Z', consecutiveFailedAttempts: 1 });
    const reached = applyNote(failed.case, owner, note({ targetDate: '2025-03-10' }), at('2025-03-04T15:00:00Z'), policy);
    expect(reached.ok && reached.case.nextAttemptDueAt).toBe(null);
  });

  it('marks the next step worked by an attempt logged while its target date stands, and unworked when the date moves', () => {
    const c = buildClaimedCase({ nextActionDue: '2025-03-10' });
    const now = at('2025-03-04T14:00:00Z');
    const same = applyNote(c, owner, note({ targetDate: '2025-03-10' }), now, policy);
    expect(same.ok && same.case.nextActionAttemptedAt?.toISOString()).toBe(now.toISOString());
    const moved = applyNote(c, owner, note({ targetDate: '2025-03-11' }), now, policy);
    expect(moved.ok && moved.case.nextActionAttemptedAt).toBe(null);
    const noContact = applyNote(c, owner, note({ contact: null, targetDate: '2025-03-10' }), now, policy);
    expect(noContact.ok && noContact.case.nextActionAttemptedAt).toBe(null);
  });
});

describe('reminder before a due time', () => {
  const claimed = (over: Parameters<typeof buildClaimedCase>[0] = {}) => buildClaimedCase({ firstResponseAt: null, ...over });

  it('comes 1 business hour before a first response, counted back over the weekend and the autumn change', () => {
    const c = claimed({ firstResponseDueAt: at('2026-11-02T08:30:00-05:00') });
    expect(reminderDue(cal, 'first_response', c, 60, at('2026-10-30T16:29:00-04:00'))).toBe(false);
    expect(reminderDue(cal, 'first_response', c, 60, at('2026-10-30T16:30:00-04:00'))).toBe(true);
    expect(reminderDue(cal, 'first_response', c, 60, at('2026-11-02T08:30:00-05:00'))).toBe(false); // due: the breach alert's turn
    expect(reminderDue(cal, 'first_response', { ...c, firstResponseAt: at('2026-10-30T15:00:00-04:00') }, 60, at('2026-10-30T16:30:00-04:00'))).toBe(false);
    expect(reminderDue(cal, 'first_response', { ...c, ownerId: null }, 60, at('2026-10-30T16:30:00-04:00'))).toBe(false);
  });

  it('counts a next step back from the close of business on its target date; a Saturday target from Friday', () => {
    const c = claimed({ nextActionDue: '2026-11-25' });
    expect(reminderDue(cal, 'next_action', c, 60, at('2026-11-25T15:59:00-05:00'))).toBe(false);
    expect(reminderDue(cal, 'next_action', c, 60, at('2026-11-25T16:00:00-05:00'))).toBe(true);
    expect(reminderDue(cal, 'next_action', { ...c, nextActionAttemptedAt: at('2026-11-25T09:00:00-05:00') }, 60, at('2026-11-25T16:00:00-05:00'))).toBe(false);
    const saturday = claimed({ nextActionDue: '2026-11-28' });
    expect(reminderDue(cal, 'next_action', saturday, 60, at('2026-11-27T16:00:00-05:00'))).toBe(true);
    // The store reads up to these bounds: Saturday's target is within them on Friday at 16:00.
    expect(reminderHorizon(cal, at('2026-11-27T16:00:00-05:00'), 60)).toEqual({ dueBy: at('2026-11-27T17:00:00-05:00'), targetDateBy: '2026-11-30' });
  });
});
