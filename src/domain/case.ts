/**
 * The case life cycle of SPEC §3 as pure transitions. Each one either refuses
 * (changing nothing, with a message safe to show the user) or returns the next
 * version of the case and the audit events that describe the change. Storing
 * them atomically, with an optimistic check on `version`, is the caller's job.
 *
 *   open ──claim──▶ active ⇄ waiting ──▶ escalated ──acknowledge──▶ active ──▶ closed
 *                                                                    ▲           │
 *                                                                    └─ reopen ──┘
 */
import { pendingEscalationsRefusal, type PendingEscalation } from './escalation';
import { isAttemptReached, isPatientOutreach } from './notes';
import { nextAttemptDueAt, type CadencePolicy } from './reattempt';
import {
  MANUAL_ESCALATION_REASONS,
  OUTCOMES,
  SYSTEM_ACTOR_ID,
  type Actor,
  type Case,
  type CaseAction,
  type CaseEvent,
  type ContactAttempt,
  type Escalation,
  type EscalationReason,
  type NoteInput,
  type Outcome,
  type Refusal,
  type RefusalCode,
  type Role,
} from './types';

/** The outcome of a transition: the new case and its audit events, or a refusal. */
export type Transition = { ok: true; case: Case; events: CaseEvent[] } | Refusal;

/** Everything a person may try to do; `canAct` answers by role alone. */
export type CaseActionKind =
  | 'create'
  | 'claim'
  | 'note'
  | 'escalate'
  | 'close'
  | 'reassign_self'
  | 'reassign_any'
  | 'reopen'
  | 'acknowledge'
  | 'view_details'
  | 'set_away'
  | 'read_metrics';

/** How long after closing the owner may still reopen their own case. */
export const REOPEN_WINDOW_DAYS = 7;
/** Longest close reason, acknowledgement guidance and escalation text. */
export const CASE_TEXT_MAX = 2000;
/** Closing `unreachable` needs this many patient attempts without reaching them … */
export const UNREACHABLE_MIN_ATTEMPTS = 3;
/** … on at least this many channels. */
export const UNREACHABLE_MIN_CHANNELS = 2;

const COORDINATOR_ACTIONS: readonly CaseActionKind[] = [
  'create', 'claim', 'note', 'escalate', 'close', 'reassign_self', 'set_away', 'view_details',
];
const ROLE_ACTIONS: Record<Role, readonly CaseActionKind[]> = {
  coordinator: COORDINATOR_ACTIONS,
  provider: ['acknowledge', 'view_details'],
  manager: [...COORDINATOR_ACTIONS, 'reassign_any', 'reopen', 'read_metrics', 'acknowledge'],
};
const DAY_MS = 86_400_000;

/** SPEC §1 role table: may someone holding `actor.roles` do `action` at all? */
export function canAct(actor: Actor, action: CaseActionKind): boolean {
  for (const role of actor.roles) if (ROLE_ACTIONS[role]?.includes(action)) return true;
  return false;
}

/**
 * Claims an unowned case. Normally from `open`; an unowned `escalated` case
 * (an automatic escalation raised before anyone claimed it) may be claimed too
 * and stays escalated, so it is not stranded until review. The store must make
 * the claim atomic; this only decides whether it is allowed.
 */
export function claimCase(c: Case, actor: Actor, opts: { backupId: string | null; now: Date }): Transition {
  if (!canAct(actor, 'claim')) return refuse('forbidden', 'Only coordinators and managers can claim cases.');
  if (c.ownerId === actor.userId) return refuse('already_claimed', `You already own ${c.number}.`);
  if (c.ownerId !== null) return refuse('already_claimed', `${c.number} is already claimed by <@${c.ownerId}>.`);
  if (c.state !== 'open' && c.state !== 'escalated') return refuse('invalid_state', `${c.number} is ${c.state} and cannot be claimed.`);
  return change(c, actor.userId, 'claimed', opts.now, {
    state: c.state === 'open' ? 'active' : c.state,
    ownerId: actor.userId,
    backupId: opts.backupId === actor.userId ? null : opts.backupId,
    claimedAt: opts.now,
  });
}

/**
 * Applies a validated note (see `validateNote`). The owner, the backup or a
 * manager may note; any other coordinator must claim or be reassigned first.
 * An unowned case stays `open` (only an owner makes it active) and an escalated
 * case stays escalated until acknowledged. Raising `note.escalation` is the
 * caller's follow-up call to `escalateCase`. With the practice's `cadence`, a failed
 * patient attempt schedules the next attempt (`nextAttemptDueAt`); a reach clears it.
 */
export function applyNote(c: Case, actor: Actor, note: NoteInput, now: Date, cadence?: CadencePolicy): Transition {
  const denied = denyUnlessResponsible(c, actor, 'note', 'add a note to');
  if (denied) return denied;
  const contact = note.contact;
  let failed = c.consecutiveFailedAttempts;
  let lastReachedAt = c.lastReachedAt;
  let nextAttemptDue = c.nextAttemptDueAt;
  if (contact && isPatientOutreach(contact)) {
    const reached = isAttemptReached(contact);
    failed = reached ? 0 : failed + 1;
    if (reached) lastReachedAt = now;
    nextAttemptDue = reached || !cadence ? null : nextAttemptDueAt(cadence, c, failed, now);
  }
  // A step promised for a new date starts unworked; an attempt logged while the date stands works on it.
  let nextActionAttemptedAt = c.nextActionAttemptedAt;
  if (note.targetDate && note.targetDate !== c.nextActionDue) nextActionAttemptedAt = null;
  else if (contact) nextActionAttemptedAt = now;
  let state = c.state;
  if (c.state !== 'escalated' && c.ownerId !== null) state = note.status.startsWith('waiting_') ? 'waiting' : 'active';
  return change(c, actor.userId, 'noted', now, {
    state,
    // Any logged attempt, even to an outside office, is the first response the SLA asks for.
    firstResponseAt: c.firstResponseAt ?? (contact ? now : null),
    consecutiveFailedAttempts: failed,
    lastReachedAt,
    nextAttemptDueAt: nextAttemptDue,
    nextActionAttemptedAt,
    nextAction: note.nextAction ?? c.nextAction,
    nextActionDue: note.targetDate ?? c.nextActionDue,
  });
}

/**
 * Raises an escalation on the case. Manual (clinical) reasons may be raised by
 * any coordinator or manager, owner or not: whoever hears of worsening symptoms
 * must be able to act at once. Automatic reasons come only from the system.
 * Managers-channel reasons on an `open` case leave it `open`: it needs an owner,
 * not a review, and must stay claimable. Everything else moves to `escalated`.
 */
export function escalateCase(
  c: Case,
  actor: Actor | 'system',
  input: { reason: EscalationReason; text: string | null; now: Date },
): Transition {
  const manual = (MANUAL_ESCALATION_REASONS as readonly string[]).includes(input.reason);
  const actorId = actor === 'system' ? SYSTEM_ACTOR_ID : actor.userId;
  if (manual && (actor === 'system' || !canAct(actor, 'escalate'))) {
    return refuse('forbidden', 'Only coordinators and managers can escalate a case.');
  }
  if (!manual && actor !== 'system') return refuse('forbidden', 'This escalation is raised automatically by CareBridge.');
  if (c.state === 'closed') return refuse('invalid_state', `${c.number} is closed; reopen it to escalate.`);
  const text = input.text?.trim() ?? '';
  if (manual && text === '') return invalid('text', 'Describe why this needs escalating.');
  if (text.length > CASE_TEXT_MAX) return invalid('text', `Keep this under ${CASE_TEXT_MAX} characters.`);
  const operational = input.reason === 'repeated_failed_contact' || input.reason === 'response_window_missed';
  return change(c, actorId, 'escalated', input.now, {
    state: operational && c.state === 'open' ? 'open' : 'escalated',
  }, { reason: input.reason });
}

/**
 * Records a provider's or manager's acknowledgement with their guidance and
 * returns the case to its owner (`active`), or to `open` when nobody owns it.
 * Pass `othersPending` when another escalation on the case is still
 * unacknowledged: the case then stays `escalated`. Outside `escalated` (a
 * managers-channel escalation on an open case) the state is left as it is.
 */
export function acknowledgeEscalation(
  c: Case,
  actor: Actor,
  input: { guidance: string; now: Date; othersPending?: boolean },
): Transition {
  if (!canAct(actor, 'acknowledge')) return refuse('forbidden', 'Only providers and managers can acknowledge escalations.');
  if (c.state === 'closed') return refuse('invalid_state', `${c.number} is already closed.`);
  const guidance = typeof input.guidance === 'string' ? input.guidance.trim() : '';
  if (guidance === '') return invalid('guidance', 'Add your guidance for the coordinator.');
  if (guidance.length > CASE_TEXT_MAX) return invalid('guidance', `Keep your guidance under ${CASE_TEXT_MAX} characters.`);
  let state = c.state;
  if (c.state === 'escalated' && !input.othersPending) state = c.ownerId === null ? 'open' : 'active';
  // The guidance itself belongs on the escalation record, not in the case's audit diff.
  return change(c, actor.userId, 'escalation_acknowledged', input.now, { state });
}

/**
 * A provider's (or manager's) further guidance on an escalation they or a colleague
 * acknowledged. The text is kept with the escalation, never in the audit diff.
 */
export function addGuidance(c: Case, actor: Actor, input: { escalation: Pick<Escalation, 'id' | 'acknowledgedAt'>; text: string; now: Date }): Transition {
  if (!canAct(actor, 'acknowledge')) return refuse('forbidden', 'Only providers and managers can add guidance.');
  if (c.state === 'closed') return refuse('invalid_state', `${c.number} is closed.`);
  if (input.escalation.acknowledgedAt === null) return refuse('invalid_state', 'Acknowledge the escalation first; your guidance goes with the acknowledgement.');
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text === '') return invalid('guidance', 'Write the guidance for the coordinator.');
  if (text.length > CASE_TEXT_MAX) return invalid('guidance', `Keep your guidance under ${CASE_TEXT_MAX} characters.`);
  return change(c, actor.userId, 'guidance_added', input.now, {}, { escalationId: input.escalation.id });
}

/**
 * Closes the case with an outcome and a reason (SPEC §3). `attempts` are the
 * case's contact attempts in the order they were logged; `acknowledgedEscalation`
 * says whether a clinical escalation of this case has been acknowledged;
 * `pendingEscalations` are its escalations nobody has acknowledged yet. While one
 * is pending (or the case is `escalated`) a coordinator cannot close: no
 * escalation is closed away unseen. A manager may close it `not_needed` (a
 * duplicate, care obtained elsewhere), and the audit event names the escalations
 * closed over. A voicemail is only ever an attempt.
 */
export function closeCase(
  c: Case,
  actor: Actor,
  input: {
    outcome: Outcome;
    reason: string;
    loopClosed?: boolean | null;
    attempts: ContactAttempt[];
    acknowledgedEscalation: boolean;
    pendingEscalations: readonly PendingEscalation[];
    /** Where each escalation target's posts go, e.g. `<#C0PROV001>`. */
    postedIn?: (target: PendingEscalation['target']) => string;
    now: Date;
  },
): Transition {
  const denied = denyUnlessResponsible(c, actor, 'close', 'close');
  if (denied) return denied;
  const pending = input.pendingEscalations;
  const overridden = pending.length > 0 || c.state === 'escalated';
  if (overridden && !(canAct(actor, 'reassign_any') && input.outcome === 'not_needed')) {
    if (pending.length === 0) return refuse('invalid_state', `${c.number} is waiting for its escalation to be acknowledged; it can close after that.`);
    const message = pendingEscalationsRefusal(c.number, pending, input.now, input.postedIn);
    return { ok: false, code: 'invalid_state', message, errors: { outcome: message } };
  }
  const errors: Record<string, string> = {};
  if (!(OUTCOMES as readonly string[]).includes(input.outcome)) errors.outcome = 'Choose an outcome.';
  if (input.outcome === 'escalated_handoff' && !input.acknowledgedEscalation) {
    errors.outcome = 'A handoff needs an escalation the clinical team has acknowledged.';
  }
  if (input.outcome === 'unreachable' && !isUnreachable(input.attempts)) {
    errors.outcome = `Unreachable needs at least ${UNREACHABLE_MIN_ATTEMPTS} attempts without reaching the patient, on at least ${UNREACHABLE_MIN_CHANNELS} channels.`;
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '') errors.reason = 'Give the reason for closing.';
  else if (reason.length > CASE_TEXT_MAX) errors.reason = `Keep the reason under ${CASE_TEXT_MAX} characters.`;
  const asksLoop = c.lane === 'referral' && input.outcome === 'completed';
  if (asksLoop && typeof input.loopClosed !== 'boolean') {
    errors.loopClosed = 'Say whether the referring office was told the outcome.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, code: 'invalid', message: firstMessage(errors), errors };
  // A manager closing over pending escalations is on the record with the escalations named.
  const closedOver = overridden ? { closedOverEscalations: pending.map((e) => e.id) } : {};
  return change(c, actor.userId, 'closed', input.now, {
    state: 'closed',
    closedAt: input.now,
    outcome: input.outcome,
    closeReason: reason,
    loopClosed: asksLoop ? (input.loopClosed as boolean) : null,
    nextAttemptDueAt: null,
  }, closedOver);
}

/**
 * True when the attempts justify `unreachable`: since the patient was last
 * reached, enough patient attempts on enough distinct channels. Calls to an
 * outside office do not count: they say nothing about reaching the patient.
 */
export function isUnreachable(attempts: readonly ContactAttempt[]): boolean {
  const lastReached = attempts.findLastIndex(isAttemptReached);
  const since = attempts.slice(lastReached + 1).filter(isPatientOutreach);
  return since.length >= UNREACHABLE_MIN_ATTEMPTS && new Set(since.map((a) => a.channel)).size >= UNREACHABLE_MIN_CHANNELS;
}

/**
 * Reopens a closed case: a manager at any time; its owner (still a coordinator)
 * within `REOPEN_WINDOW_DAYS` × 24 hours of closing. Back to `active` with its
 * owner, or `open` if it never had one; the outcome is cleared.
 */
export function reopenCase(c: Case, actor: Actor, now: Date): Transition {
  const isOwner = c.ownerId === actor.userId && canAct(actor, 'close');
  if (!canAct(actor, 'reopen') && !isOwner) return refuse('forbidden', 'Only a manager or the case owner can reopen a case.');
  if (c.state !== 'closed') return refuse('invalid_state', `${c.number} is not closed.`);
  if (!canAct(actor, 'reopen')) {
    const closedAt = c.closedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (now.getTime() - closedAt > REOPEN_WINDOW_DAYS * DAY_MS) {
      return refuse('forbidden', `${c.number} closed more than ${REOPEN_WINDOW_DAYS} days ago; ask a manager to reopen it.`);
    }
  }
  return change(c, actor.userId, 'reopened', now, {
    state: c.ownerId === null ? 'open' : 'active',
    closedAt: null,
    outcome: null,
    closeReason: null,
    loopClosed: null,
  });
}

/**
 * Gives the case a new owner and backup. Managers may assign anyone; a
 * coordinator may only take a case over themselves. An `open` case becomes
 * `active`; a waiting or escalated case keeps its state.
 */
export function reassignCase(c: Case, actor: Actor, input: { ownerId: string; backupId: string | null; now: Date }): Transition {
  const toSelf = input.ownerId === actor.userId;
  if (!canAct(actor, 'reassign_any') && !(toSelf && canAct(actor, 'reassign_self'))) {
    return refuse('forbidden', 'Coordinators can only reassign a case to themselves; ask a manager.');
  }
  if (c.state === 'closed') return refuse('invalid_state', `${c.number} is closed; reopen it first.`);
  if (typeof input.ownerId !== 'string' || input.ownerId.trim() === '') return invalid('ownerId', 'Choose the new owner.');
  return change(c, actor.userId, 'reassigned', input.now, {
    state: c.state === 'open' ? 'active' : c.state,
    ownerId: input.ownerId,
    backupId: input.backupId === input.ownerId ? null : input.backupId,
    claimedAt: c.claimedAt ?? input.now,
  });
}

/** Owner, backup or manager; a coordinator who is neither is told to claim (or be reassigned) first. */
function denyUnlessResponsible(c: Case, actor: Actor, action: 'note' | 'close', verb: string): Refusal | null {
  if (!canAct(actor, action)) return refuse('forbidden', `Only coordinators and managers can ${verb} a case.`);
  if (c.state === 'closed') return refuse('invalid_state', `${c.number} is closed.`);
  if (canAct(actor, 'reassign_any') || actor.userId === c.ownerId || actor.userId === c.backupId) return null;
  if (c.ownerId === null) return refuse('forbidden', `Claim ${c.number} before you ${verb} it.`);
  return refuse('forbidden', `${c.number} belongs to <@${c.ownerId}>; only its owner, backup or a manager can ${verb} it.`);
}

/** Fields a transition may change; the patient is never among them. */
type Changeable = Partial<Omit<Case, 'id' | 'number' | 'patient' | 'version' | 'updatedAt'>>;

/**
 * Builds the next case (version + 1, updatedAt = now) and one audit event whose
 * before/after hold only the fields that really changed (dates as ISO strings,
 * so the trail reads the same in memory and in the database). `extra` adds
 * non-case facts to `after`, such as the escalation reason.
 */
function change(
  c: Case,
  actorId: string,
  action: CaseAction,
  now: Date,
  fields: Changeable,
  extra: Record<string, unknown> = {},
): Transition {
  const next: Case = { ...c, ...fields, version: c.version + 1, updatedAt: now };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of Object.keys(fields) as (keyof Changeable)[]) {
    const was = auditValue(c[key]);
    const is = auditValue(next[key]);
    if (was !== is) {
      before[key] = was;
      after[key] = is;
    }
  }
  Object.assign(after, extra);
  return { ok: true, case: next, events: [{ action, actorId, at: now, before, after }] };
}

function auditValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

function refuse(code: RefusalCode, message: string): Refusal {
  return { ok: false, code, message };
}

function invalid(field: string, message: string): Refusal {
  return { ok: false, code: 'invalid', message, errors: { [field]: message } };
}

function firstMessage(errors: Record<string, string>): string {
  return Object.values(errors)[0] ?? 'Check the form.';
}
