/**
 * What a trigger event becomes: the new case's lane, tier and SLA due times (SPEC §2),
 * and its 'opened' audit entry. Shared by single intake and bulk import so both open
 * exactly the same case for the same event.
 */
import { laneForTrigger, tierFor, type Policy } from './policy';
import { dueTimes } from './sla';
import type { TriggerEvent } from './trigger-event';
import type { Case, CaseEvent } from './types';

/** A case before the database has given it an id (and so a number). */
export type UnsavedCase = Omit<Case, 'id' | 'number'>;

/**
 * The open, unclaimed case for a trigger event. SLA clocks start at the event's
 * `occurredAt`; `now` is only the record's creation time.
 */
export function newCaseFromEvent(policy: Policy, event: TriggerEvent, now: Date): UnsavedCase {
  const lane = laneForTrigger(policy, event.trigger);
  const tier = tierFor(policy, { trigger: event.trigger, priority: event.priority, visitType: event.visitType });
  const due = dueTimes(policy, { lane, tier, occurredAt: event.occurredAt, appointmentAt: event.appointmentAt });
  return {
    externalId: event.externalId,
    lane,
    tier,
    state: 'open',
    trigger: event.trigger,
    occurredAt: event.occurredAt,
    createdAt: now,
    updatedAt: now,
    patient: event.patient,
    details: event.details,
    location: event.location,
    // Only referrals have a referring office to close the loop with.
    referringOffice: lane === 'referral' ? event.referringOffice : null,
    visitType: event.visitType,
    appointmentAt: event.appointmentAt,
    ownerId: null,
    backupId: null,
    claimedAt: null,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    firstResponseAt: null,
    nextAction: null,
    nextActionDue: null,
    consecutiveFailedAttempts: 0,
    lastReachedAt: null,
    nextAttemptDueAt: null,
    nextActionAttemptedAt: null,
    lastMovedAt: now,
    closedAt: null,
    outcome: null,
    closeReason: null,
    loopClosed: null,
    version: 1,
  };
}

/** The audit entry for a newly opened case; it names no patient field. */
export function openedEvent(c: Pick<Case, 'lane' | 'tier' | 'trigger' | 'externalId'>, actorId: string, at: Date): CaseEvent {
  return {
    action: 'opened',
    actorId,
    at,
    before: null,
    after: { lane: c.lane, tier: c.tier, state: 'open', trigger: c.trigger, externalId: c.externalId },
  };
}
