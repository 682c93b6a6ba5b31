/**
 * `weekly-report` (Mondays 08:00; period: the ISO week reported, i.e. last week):
 * queues the managers-channel report. Its deliverer computes the metrics, renders the
 * chart and posts both, so a report delivered late still shows that week's figures.
 */
import { reportedWeek } from '../domain/metrics';
import { queueWeeklyReport } from '../services/metrics-service';
import type { Job } from './job-runner';

export const weeklyReport: Job = {
  name: 'weekly-report',
  periodOf: (policy, now) => ({ period: reportedWeek(policy.calendar, now) }),
  async run({ tx, now, period }) {
    await queueWeeklyReport(tx, period, now);
    return `report for ${period} queued for the managers channel`;
  },
};
