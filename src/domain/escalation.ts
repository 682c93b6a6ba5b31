/**
 * Escalation rules of SPEC §5: where an escalation goes, whether it is urgent,
 * which automatic escalations a case has earned, and when an unacknowledged
 * urgent one is re-raised.
 */
import { addBusinessMinutes, type PracticeCalendar } from './calendar';
import {
  ESCALATION_REASONS,
  type Case,
  type Escalation,
  type EscalationReason,
  type EscalationTarget,
  type Tier,
} from './types';

/** The automatic escalations of SPEC §5 the SLA sweep raises. */
export type AutomaticReason = Extract<EscalationReason, 'response_window_missed' | 'repeated_failed_contact' | 'urgent_referral_delay'>;

/** Human labels, for Slack posts and reports. */
export const ESCALATION_LABELS: Record<EscalationReason, string> = {
  worsening_symptoms: 'Worsening symptoms',
  medication_confusion: 'Medication confusion',
  discharge_concern: 'Discharge concern',
  urgent_referral_delay: 'Urgent referral delay',
  repeated_failed_contact: 'Repeated failed contact',
  response_window_missed: 'Response window missed',
};

/** An unacknowledged urgent escalation is re-raised after this much business time. */
export const RERAISE_AFTER_BUSINESS_MINUTES = 60;

/**
 * Who receives the escalation: operational problems (nobody reached the
 * patient, nobody responded in time) go to managers; everything with clinical
 * weight, including a stalled urgent referral, goes to providers.
 */
export function escalationTarget(reason: EscalationReason): EscalationTarget {
  return reason === 'repeated_failed_contact' || reason === 'response_window_missed' ? 'managers' : 'providers';
}

/** Worsening symptoms are always urgent; any other reason is as urgent as the case's tier. */
export function isUrgentEscalation(reason: EscalationReason, tier: Tier): boolean {
  return reason === 'worsening_symptoms' || tier === 'urgent';
}

/** Failed attempts in a row that earn a "repeated failed contact" escalation; each further run of as many earns another. */
export const FAILED_CONTACT_RUN = 3;

/**
 * Automatic escalations the case has earned as of `now` and not yet raised,
 * in `ESCALATION_REASONS` order. `raised` lists the reasons already raised for
 * the case (since it was last reopened), so each fires at most once; a caller
 * leaves `repeated_failed_contact` out of it, since every new run of failed
 * attempts earns its own (see `automaticEscalationKey`). A closed case earns none.
 */
export function automaticEscalations(input: { c: Case; now: Date; raised: EscalationReason[] }): EscalationReason[] {
  const { c, now, raised } = input;
  if (c.state === 'closed') return [];
  const t = now.getTime();
  const earned: Record<EscalationReason, boolean> = {
    worsening_symptoms: false,
    medication_confusion: false,
    discharge_concern: false,
    urgent_referral_delay: c.lane === 'referral' && c.tier === 'urgent' && t >= c.resolutionDueAt.getTime(),
    repeated_failed_contact: c.consecutiveFailedAttempts >= FAILED_CONTACT_RUN,
    response_window_missed: c.firstResponseAt === null && t >= c.firstResponseDueAt.getTime(),
  };
  return ESCALATION_REASONS.filter((reason) => earned[reason] && !raised.includes(reason));
}

/**
 * What makes an automatic escalation the same one, so it is raised once: the case's
 * reopen epoch (`reopenedAt`, 0 if never) and, for repeated failed contact, which run
 * of failures it is: the last reach (0 if never) and the run's number since then (the
 * 3rd to 5th failures are run 1, the 6th to 8th run 2 …). The SLA sweep's query
 * (store/breach-store.ts) builds the same key in SQL; its tests hold the two together.
 */
export function automaticEscalationKey(
  reason: EscalationReason,
  c: Pick<Case, 'consecutiveFailedAttempts' | 'lastReachedAt'>,
  reopenedAt: Date | null,
): string {
  const epoch = String(reopenedAt?.getTime() ?? 0);
  if (reason !== 'repeated_failed_contact') return epoch;
  return `${epoch}:${c.lastReachedAt?.getTime() ?? 0}:${Math.floor(c.consecutiveFailedAttempts / FAILED_CONTACT_RUN)}`;
}

/**
 * True when an urgent escalation has gone one business hour without
 * acknowledgement and has not been re-raised yet (it is re-raised once only).
 * Business time, so an escalation raised at 16:30 is re-raised at 08:30 the
 * next business day rather than overnight when nobody is there to see it.
 */
export function needsReraise(e: Escalation, cal: PracticeCalendar, now: Date): boolean {
  if (!e.urgent || e.acknowledgedAt !== null || e.reraisedAt !== null) return false;
  return now.getTime() >= addBusinessMinutes(cal, e.raisedAt, RERAISE_AFTER_BUSINESS_MINUTES).getTime();
}

/** An escalation nobody has acknowledged yet: what a close refusal and the case card tell. */
export type PendingEscalation = Pick<Escalation, 'id' | 'reason' | 'target' | 'raisedAt'>;

/** "45 min", "3 h", "2 d": how long something has waited, for people to read. */
export function describeWait(fromMs: number, toMs: number): string {
  const minutes = Math.max(0, Math.floor((toMs - fromMs) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** "2 escalations pending · oldest 3 h" for the case card; null when none is pending. */
export function pendingEscalationsLine(pending: readonly Pick<Escalation, 'raisedAt'>[], now: Date): string | null {
  if (pending.length === 0) return null;
  const oldest = Math.min(...pending.map((e) => e.raisedAt.getTime()));
  const count = pending.length === 1 ? '1 escalation pending' : `${pending.length} escalations pending`;
  return `${count} · ${pending.length === 1 ? 'for' : 'oldest'} ${describeWait(oldest, now.getTime())}`;
}

/**
 * Why a coordinator cannot close the case yet, naming each pending escalation, how long
 * it has waited and where it was posted.
 */
export function pendingEscalationsRefusal(
  caseNumber: string,
  pending: readonly PendingEscalation[],
  now: Date,
  postedIn: (target: EscalationTarget) => string = (target) => `the ${target} channel`,
): string {
  const listed = pending.map((e) => `${ESCALATION_LABELS[e.reason]} (raised ${describeWait(e.raisedAt.getTime(), now.getTime())} ago, posted in ${postedIn(e.target)})`);
  const what = pending.length === 1 ? 'an escalation' : `${pending.length} escalations`;
  return `${caseNumber} has ${what} waiting for acknowledgement: ${listed.join('; ')}. It can close once ${pending.length === 1 ? 'it is' : 'they are'} acknowledged; a manager may close it as not needed.`;
}
