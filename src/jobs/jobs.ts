/**
 * The schedule table of SPEC §8: each job, and the policy schedule it runs on
 * (cron expressions in the practice time zone, overridable in POLICY_FILE).
 */
import type { Policy } from '../domain/policy';
import { dailyDigest } from './daily-digest';
import type { Job, JobName } from './job-runner';
import { slaSweep } from './sla-sweep';
import { weeklyReport } from './weekly-report';

export const JOBS: Record<JobName, Job> = {
  'sla-sweep': slaSweep,
  'daily-digest': dailyDigest,
  'weekly-report': weeklyReport,
};

/** The cron expression a job runs on under this policy. */
export function scheduleOf(policy: Policy, job: JobName): string {
  const { slaSweep: sweep, dailyDigest: digest, weeklyReport: report } = policy.schedules;
  return job === 'sla-sweep' ? sweep : job === 'daily-digest' ? digest : report;
}
