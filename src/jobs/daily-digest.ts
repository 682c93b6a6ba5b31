/**
 * `daily-digest` (business days 08:00; period: the practice date): the digest of the
 * queue (services/digest-service.ts), counted in the run's transaction and queued as
 * one message for the coordinators channel.
 */
import { isBusinessDay, practiceDate } from '../domain/calendar';
import { queueDailyDigest } from '../services/digest-service';
import type { Job } from './job-runner';

export const dailyDigest: Job = {
  name: 'daily-digest',
  periodOf(policy, now) {
    const date = practiceDate(policy.calendar, now);
    return isBusinessDay(policy.calendar, date) ? { period: date } : { skip: `${date} is not a business day (weekend or holiday)` };
  },
  async run({ tx, policy, now, period }) {
    const t = (await queueDailyDigest(tx, policy, now, period)).totals;
    return `digest queued for the coordinators channel (${t.open} open, ${t.unclaimed} unclaimed, ${t.dueToday} due today, ${t.overdue} overdue)`;
  },
};
