/**
 * The re-attempt cadence and the reminder before a due time. After a failed patient
 * attempt the next one is due within the lane's business minutes for the case's tier,
 * until the lane's maximum failed attempts in a row: then nothing more is scheduled and
 * the case must be escalated or closed unreachable. Before a first-response or next-step
 * due time that nobody has worked yet, the owner hears once. Pure: the caller gives the time.
 */
import { addBusinessMinutes, atLocalTime, practiceDate, type PracticeCalendar } from './calendar';
import type { Policy } from './policy';
import type { Case, LaneKey, Tier } from './types';

export type CadencePolicy = Pick<Policy, 'lanes' | 'reattemptMinutes' | 'calendar'>;

/** Business minutes from a failed attempt to the next attempt's due time, for a lane and tier. */
export function reattemptMinutes(policy: CadencePolicy, lane: LaneKey, tier: Tier): number {
  return policy.lanes[lane].reattemptMinutes?.[tier] ?? policy.reattemptMinutes[tier];
}

/**
 * When the next attempt is due after the `failedInARow`-th failed attempt logged at `at`;
 * null once the lane's maximum is reached (no more re-attempts: escalate or close).
 */
export function nextAttemptDueAt(policy: CadencePolicy, c: Pick<Case, 'lane' | 'tier'>, failedInARow: number, at: Date): Date | null {
  if (failedInARow >= policy.lanes[c.lane].maxAttempts) return null;
  return addBusinessMinutes(policy.calendar, at, reattemptMinutes(policy, c.lane, c.tier));
}

/** True when an open case's scheduled re-attempt is due (`now >= due`). */
export function isReattemptOverdue(c: Pick<Case, 'state' | 'nextAttemptDueAt'>, now: Date): boolean {
  return c.state !== 'closed' && c.nextAttemptDueAt !== null && now.getTime() >= c.nextAttemptDueAt.getTime();
}

/**
 * A next step's due time: the practice's closing time on its target date. The step is
 * overdue only from the next day (the whole target day counts as on time), but the
 * owner's working day on it ends at close, so that is what the reminder counts back from.
 */
export function nextStepDueAt(cal: PracticeCalendar, targetDate: string): Date {
  return atLocalTime(cal, targetDate, cal.close);
}

/** What a reminder is about: a first response nobody has logged, or a next step nobody has worked. */
export type ReminderKind = 'first_response' | 'next_action';

/** When the reminder for a due time is sent: `minutes` business minutes before it. */
export function reminderAt(cal: PracticeCalendar, due: Date, minutes: number): Date {
  return addBusinessMinutes(cal, due, -minutes);
}

/**
 * The latest first-response due instant, and the latest next-step target date, whose
 * reminder is due by `now` (`minutes` business minutes ahead). The store reads the cases
 * up to these bounds; `reminderDue` has the last word on each.
 */
export function reminderHorizon(cal: PracticeCalendar, now: Date, minutes: number): { dueBy: Date; targetDateBy: string } {
  const dueBy = addBusinessMinutes(cal, now, minutes);
  // A target date on a closed day counts back to the last business time before it, so
  // the dates reach up to the next business instant after the horizon.
  return { dueBy, targetDateBy: practiceDate(cal, addBusinessMinutes(cal, dueBy, 1)) };
}

/**
 * True when the reminder for this case's due time should go now: the due time has not
 * passed (a breach alert covers that), nothing was logged toward it, and its reminder time has come.
 */
export function reminderDue(
  cal: PracticeCalendar,
  kind: ReminderKind,
  c: Pick<Case, 'state' | 'ownerId' | 'firstResponseAt' | 'firstResponseDueAt' | 'nextActionDue' | 'nextActionAttemptedAt'>,
  minutes: number,
  now: Date,
): boolean {
  if (c.state === 'closed' || c.ownerId === null) return false;
  let due: Date;
  if (kind === 'first_response') {
    if (c.firstResponseAt !== null) return false;
    due = c.firstResponseDueAt;
  } else {
    if (c.nextActionDue === null || c.nextActionAttemptedAt !== null || c.nextActionDue < practiceDate(cal, now)) return false;
    due = nextStepDueAt(cal, c.nextActionDue);
  }
  return now.getTime() < due.getTime() && now.getTime() >= reminderAt(cal, due, minutes).getTime();
}
