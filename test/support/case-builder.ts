/**
 * Builders for domain objects in tests. Defaults describe an unclaimed, high-tier
 * referral that arrived on Monday 3 March 2025 at 09:00 in New York: fixed
 * instants, so no test depends on the day it runs.
 */
import type { Actor, Case, ContactAttempt, NoteInput, Role } from '../../src/domain/types';

/** Monday 2025-03-03 09:00 America/New_York (EST, UTC−5). */
export const T0 = new Date('2025-03-03T14:00:00.000Z');

/** A case with sensible defaults; any field can be overridden. Dates are fresh copies per call. */
export function buildCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 1,
    number: 'FU-1001',
    externalId: null,
    lane: 'referral',
    tier: 'high',
    state: 'open',
    trigger: 'new_referral',
    occurredAt: new Date(T0),
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    patient: { mrn: 'MRN00123456', name: 'Ada Lovelace', phone: '555-0100', dob: '1960-12-10' },
    details: null,
    location: null,
    referringOffice: 'Cardiology Associates',
    visitType: null,
    appointmentAt: null,
    ownerId: null,
    backupId: null,
    claimedAt: null,
    // One business day after the trigger (high tier).
    firstResponseDueAt: new Date('2025-03-04T14:00:00.000Z'),
    // Ten business days after the trigger (referral resolution target).
    resolutionDueAt: new Date('2025-03-17T13:00:00.000Z'),
    firstResponseAt: null,
    nextAction: null,
    nextActionDue: null,
    consecutiveFailedAttempts: 0,
    lastReachedAt: null,
    nextAttemptDueAt: null,
    nextActionAttemptedAt: null,
    lastMovedAt: T0,
    closedAt: null,
    outcome: null,
    closeReason: null,
    loopClosed: null,
    version: 1,
    ...overrides,
  };
}

/** A claimed, active case owned by `U_OWNER` with `U_BACKUP` as backup. */
export function buildClaimedCase(overrides: Partial<Case> = {}): Case {
  return buildCase({
    state: 'active',
    ownerId: 'U_OWNER',
    backupId: 'U_BACKUP',
    claimedAt: new Date(T0.getTime() + 30 * 60_000),
    ...overrides,
  });
}

/** An actor holding the given roles. */
export function buildActor(userId: string, ...roles: Role[]): Actor {
  return { userId, roles: new Set(roles) };
}

/** A valid, non-closing structured note: reached the patient by phone, on track. */
export function buildNote(overrides: Partial<NoteInput> = {}): NoteInput {
  return {
    contact: { channel: 'phone', result: 'reached' },
    status: 'on_track',
    barrier: 'none',
    barrierText: null,
    understanding: 'understands',
    understandingText: null,
    nextAction: 'Confirm the appointment with the specialist office',
    responsibleParty: 'coordinator',
    responsibleUserId: null,
    targetDate: '2025-03-05',
    escalation: null,
    checklist: null,
    ...overrides,
  };
}

/** Shorthand for a list of contact attempts: `attempts('phone:no_answer', 'text:message_sent')`. */
export function attempts(...specs: `${ContactAttempt['channel']}:${ContactAttempt['result']}`[]): ContactAttempt[] {
  return specs.map((s) => {
    const [channel, result] = s.split(':') as [ContactAttempt['channel'], ContactAttempt['result']];
    return { channel, result };
  });
}
