/**
 * SLA due times and breach tests (SPEC §2, §8). Clocks start at the trigger's
 * `occurredAt`, not when CareBridge heard of it, and count business time only.
 */
import type { Case, LaneKey, Tier } from './types';
import { addBusinessDays, addBusinessMinutes, practiceDate, subtractBusinessDays } from './calendar';
import type { PracticeCalendar } from './calendar';
import type { Policy } from './policy';

/**
 * A case's first-response and resolution due instants.
 *
 * First response: the tier's window in business minutes after `occurredAt`. Resolution: the
 * lane's target in business days (the urgent target when the tier is urgent and the lane has
 * one). `pre_visit` with a known appointment: both are the earlier of the tier window and
 * `preVisitLeadBusinessDays` business days before the appointment, but never before
 * `occurredAt` (a late booking is due at once rather than in the past). Without an
 * appointment `pre_visit` falls back to the ordinary rule.
 */
export function dueTimes(
  policy: Policy,
  input: { lane: LaneKey; tier: Tier; occurredAt: Date; appointmentAt?: Date | null },
): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  const cal = policy.calendar;
  const lane = policy.lanes[input.lane];
  const firstResponseDueAt = addBusinessMinutes(cal, input.occurredAt, policy.tierWindowMinutes[input.tier]);

  if (input.lane === 'pre_visit' && input.appointmentAt) {
    const lead = subtractBusinessDays(cal, input.appointmentAt, policy.preVisitLeadBusinessDays);
    const floored = lead < input.occurredAt ? input.occurredAt : lead;
    const due = new Date(Math.min(firstResponseDueAt.getTime(), floored.getTime()));
    return { firstResponseDueAt: due, resolutionDueAt: new Date(due.getTime()) };
  }

  const days =
    input.tier === 'urgent' && lane.urgentResolutionBusinessDays !== undefined
      ? lane.urgentResolutionBusinessDays
      : lane.resolutionBusinessDays;
  return { firstResponseDueAt, resolutionDueAt: addBusinessDays(cal, input.occurredAt, days) };
}

/** True when an open case has no first outreach attempt logged and its window has run out (`now >= due`). */
export function isFirstResponseBreached(
  c: Pick<Case, 'state' | 'firstResponseAt' | 'firstResponseDueAt'>,
  now: Date,
): boolean {
  return c.state !== 'closed' && c.firstResponseAt === null && now.getTime() >= c.firstResponseDueAt.getTime();
}

/**
 * True when an open case's next promised action has a target date before today in the practice
 * calendar. The target is a date, so the whole target day counts as on time.
 */
export function isNextActionOverdue(cal: PracticeCalendar, c: Pick<Case, 'state' | 'nextActionDue'>, now: Date): boolean {
  return isNextActionOverdueOn(c, practiceDate(cal, now));
}

/** `isNextActionOverdue` when today's practice date is already known (a queue counted at one instant). */
export function isNextActionOverdueOn(c: Pick<Case, 'state' | 'nextActionDue'>, today: string): boolean {
  // YYYY-MM-DD strings compare in date order.
  return c.state !== 'closed' && c.nextActionDue !== null && c.nextActionDue < today;
}

/** True when an open case has reached its resolution target (`now >= due`, like the first-response test). */
export function isResolutionOverdue(c: Pick<Case, 'state' | 'resolutionDueAt'>, now: Date): boolean {
  return c.state !== 'closed' && now.getTime() >= c.resolutionDueAt.getTime();
}
