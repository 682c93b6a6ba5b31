/**
 * `sla-sweep` (every 5 minutes, business hours; period: the 5-minute slot): runs the
 * sweep (services/sla-sweep-service.ts) in the run's transaction.
 */
import { atLocalTime, isBusinessDay, practiceDate, type PracticeCalendar } from '../domain/calendar';
import { sweepBreaches } from '../services/sla-sweep-service';
import type { Job } from './job-runner';

export { INDIVIDUAL_ESCALATION_POSTS_MAX } from '../services/sla-sweep-service';

const SLOT_MS = 5 * 60_000;

/** The sweep's period: its 5-minute slot, in UTC so a repeated wall-clock hour (DST) is not mistaken for a run. */
export function sweepPeriod(now: Date): string {
  return `${new Date(Math.floor(now.getTime() / SLOT_MS) * SLOT_MS).toISOString().slice(0, 16)}Z`;
}

/** Open hours of a business day, closing time included (a window ending at close is caught then). */
export function isBusinessTime(cal: PracticeCalendar, now: Date): boolean {
  const today = practiceDate(cal, now);
  return isBusinessDay(cal, today) && now >= atLocalTime(cal, today, cal.open) && now <= atLocalTime(cal, today, cal.close);
}

export const slaSweep: Job = {
  name: 'sla-sweep',
  periodOf: (policy, now) =>
    // Breaches found overnight or at the weekend are alerted when the practice opens, not at 2 a.m.
    isBusinessTime(policy.calendar, now) ? { period: sweepPeriod(now) } : { skip: 'outside business hours (alerts wait for opening time)' },
  run: (run) => sweepBreaches(run),
};
