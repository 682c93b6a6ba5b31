/**
 * `weekly-report` (Mondays 08:00; period: the ISO week reported, i.e. last week):
 * queues the managers-channel report. Its deliverer computes the metrics, renders the
 * chart and posts both, so a report delivered late still shows that week's figures.
 */
import { isoWeekOf } from '../domain/calendar';
import { shiftIsoWeek } from '../domain/iso-week';
import { OUTBOX } from '../services/outbox-kinds';
import type { Job } from './job-runner';

/** The payload of a weekly_report outbox message. */
export interface WeeklyReportPayload {
  week: string;
}

/** The ISO week before the one `now` falls in (practice zone). */
export function reportedWeek(cal: Parameters<typeof isoWeekOf>[0], now: Date): string {
  return shiftIsoWeek(isoWeekOf(cal, now), -1);
}

export const weeklyReport: Job = {
  name: 'weekly-report',
  periodOf: (policy, now) => ({ period: reportedWeek(policy.calendar, now) }),
  async run({ tx, now, period }) {
    await tx.outbox.enqueue(OUTBOX.weeklyReport, period, { week: period } satisfies WeeklyReportPayload, now);
    return `report for ${period} queued for the managers channel`;
  },
};
