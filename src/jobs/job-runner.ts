/**
 * Runs a scheduled job exactly once per period. The job claims its period in
 * `job_runs` (unique on job + period) and records everything it will send — outbox
 * rows, breach alerts, escalations — in the same transaction, so:
 * - a second run of the period (restart, manual run, another instance) claims nothing and says so;
 * - a crash before commit leaves nothing claimed, and the next run does the work;
 * - a crash after commit leaves the messages in the outbox, which the dispatcher delivers, once.
 */
import type { Clock } from '../clock';
import type { Policy } from '../domain/policy';
import type { Logger } from '../logger';
import { CaseService } from '../services/case-service';
import type { ServiceRun } from '../services/service-run';
import type { Stores } from '../services/ports';

export const JOB_NAMES = ['sla-sweep', 'daily-digest', 'weekly-report'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/** What every job needs from the running CareBridge. */
export interface JobEnv {
  stores: Stores;
  policy: Policy;
  clock: Clock;
  logger: Logger;
}

/** A job's view while it runs: see ServiceRun. */
export type JobRun = ServiceRun;

/** The period an instant falls in, or why the job has nothing to do then (a weekend digest). */
export type JobPeriod = { period: string } | { skip: string };

export interface Job {
  name: JobName;
  periodOf(policy: Policy, now: Date): JobPeriod;
  /** Does the work inside the claiming transaction; returns a one-line summary for logs and the CLI. */
  run(run: JobRun): Promise<string>;
}

export type JobOutcome =
  | { status: 'done'; job: JobName; period: string; summary: string }
  | { status: 'already_ran'; job: JobName; period: string }
  | { status: 'skipped'; job: JobName; reason: string };

/** Runs `job` as of `now` (default: the clock's now), at most once for the period `now` falls in. */
export async function runJob(job: Job, env: JobEnv, now: Date = env.clock.now()): Promise<JobOutcome> {
  const p = job.periodOf(env.policy, now);
  if ('skip' in p) return { status: 'skipped', job: job.name, reason: p.skip };
  const { period } = p;
  return env.stores.transaction(async (tx) => {
    // The claim is the transaction's first statement: on SQLite its write lock is taken before
    // anything is read, and on PostgreSQL a racing instance waits here until this one commits.
    if (!(await tx.jobRuns.claim(job.name, period, now))) return { status: 'already_ran', job: job.name, period } as const;
    // Everything the run changes is stamped with the run's instant (`--at` runs included).
    const cases = new CaseService({ stores: tx, clock: { now: () => new Date(now) }, policy: env.policy });
    const summary = await job.run({ tx, cases, policy: env.policy, logger: env.logger, now, period });
    await tx.jobRuns.finish(job.name, period, env.clock.now());
    return { status: 'done', job: job.name, period, summary } as const;
  });
}

/** One line saying what a run did, e.g. "daily-digest 2026-11-25: digest queued …". */
export function describeOutcome(o: JobOutcome): string {
  if (o.status === 'done') return `${o.job} ${o.period}: ${o.summary}`;
  if (o.status === 'already_ran') return `${o.job} ${o.period}: already ran for ${o.period}; nothing to do`;
  return `${o.job}: ${o.reason}; nothing to do`;
}
