import { defaultPolicy } from '../../src/domain/policy';
import { JOBS } from '../../src/jobs/jobs';
import type { BenchDatabase } from './databases';

/**
 * Records today's digest and last week's report as already sent, as in a practice that
 * has been running: otherwise the app's start-up catch-up would render and post them
 * during the measurement (the report draws a chart), which no figure is about.
 */
export async function markPeriodicJobsDone(db: BenchDatabase, now: Date): Promise<void> {
  const policy = defaultPolicy();
  for (const job of [JOBS['daily-digest'], JOBS['weekly-report']]) {
    const p = job.periodOf(policy, now);
    if ('skip' in p) continue;
    await db.knex('job_runs').insert({ job: job.name, period: p.period, started_at: now.getTime(), finished_at: now.getTime() });
  }
}
