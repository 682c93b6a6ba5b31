/**
 * Runs the jobs on their schedules (node-cron, in the practice time zone) and, at
 * start-up, catches up: a daily digest whose time passed today, or a weekly report
 * whose time passed this week, while CareBridge was down is run then. Running is
 * always through `runJob`, so a catch-up, a cron tick and another instance can never
 * post a period twice.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { isDatabaseFailure, type DatabaseHealth } from '../database-health';
import { addCalendarDays, atLocalTime, isoWeekOf, isoWeekRange, practiceDate, type PracticeCalendar } from '../domain/calendar';
import { describeOutcome, JOB_NAMES, runJob, type JobEnv, type JobName, type JobOutcome } from './job-runner';
import { JOBS, scheduleOf } from './jobs';

export interface SchedulerDeps extends JobEnv {
  /** Asks the outbox to deliver now, after a job queued messages. */
  deliverSoon(): void;
  /** Where a run failing on the database is reported (logged once per outage). */
  databaseHealth?: DatabaseHealth;
}

const MINUTE_MS = 60_000;

export class JobScheduler {
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Schedules every job; `noOverlap` keeps a slow run from overlapping its own next tick. */
  start(): void {
    const timezone = this.deps.policy.calendar.timeZone;
    for (const name of JOB_NAMES) {
      const task = cron.schedule(scheduleOf(this.deps.policy, name), (context) => void this.track(this.fire(name, context.date)), {
        timezone,
        name: `carebridge-${name}`,
        noOverlap: true,
        logger: this.cronLogger(name),
      });
      this.tasks.push(task);
    }
    this.deps.logger.info({ timezone, schedules: this.deps.policy.schedules }, 'job scheduler started');
  }

  /**
   * Runs one job now (or at the cron tick's instant when the clock reads a hair earlier,
   * so the run lands in the tick's period). Failures are logged, never thrown: the next
   * tick or catch-up tries again, since nothing was claimed.
   */
  async fire(name: JobName, scheduledAt?: Date): Promise<JobOutcome | null> {
    const now = this.deps.clock.now();
    const at = scheduledAt && scheduledAt > now ? scheduledAt : now;
    try {
      const outcome = await runJob(JOBS[name], this.deps, at);
      const line = describeOutcome(outcome);
      if (outcome.status === 'done') {
        this.deps.logger.info({ job: name, period: outcome.period }, line);
        this.deps.deliverSoon();
      } else {
        this.deps.logger.debug({ job: name }, line);
      }
      return outcome;
    } catch (error) {
      if (this.deps.databaseHealth && isDatabaseFailure(error)) this.deps.databaseHealth.recordFailure(error, `job ${name}`);
      else this.deps.logger.error({ job: name, err: (error as Error).message }, `${name} failed; nothing was claimed, so the next run does it`);
      return null;
    }
  }

  /**
   * Start-up catch-up: runs a sweep now, and the digest or report whose scheduled time
   * passed in its window (today; this ISO week) if that period is not claimed yet.
   */
  async catchUp(): Promise<JobOutcome[]> {
    try {
      return await this.catchUpNow();
    } catch (error) {
      // The database failing at start-up: the cron ticks run these jobs when it is back.
      this.deps.logger.error({ errorName: (error as Error)?.name, errorCode: (error as { code?: string })?.code }, 'start-up catch-up failed; the scheduled runs will catch up');
      return [];
    }
  }

  private async catchUpNow(): Promise<JobOutcome[]> {
    const now = this.deps.clock.now();
    const outcomes: (JobOutcome | null)[] = [await this.fire('sla-sweep')];
    const cal = this.deps.policy.calendar;
    const windows: [JobName, Date][] = [
      ['daily-digest', atLocalTime(cal, practiceDate(cal, now), '00:00')],
      ['weekly-report', isoWeekRange(cal, isoWeekOf(cal, now)).start],
    ];
    for (const [name, from] of windows) {
      const missed = lastScheduledBetween(scheduleOf(this.deps.policy, name), cal, from, now);
      if (!missed) continue;
      const period = JOBS[name].periodOf(this.deps.policy, now);
      if ('skip' in period || (await this.deps.stores.jobRuns.get(name, period.period))) continue;
      this.deps.logger.info({ job: name, period: period.period, missed: missed.toISOString() }, `${name} was due while CareBridge was down; running it now`);
      outcomes.push(await this.fire(name));
    }
    return outcomes.filter((o): o is JobOutcome => o !== null);
  }

  /** node-cron's own warnings (a missed or overlapping tick) into CareBridge's log rather than the console. */
  private cronLogger(job: JobName) {
    const log = this.deps.logger;
    return {
      info: (message: string) => log.debug({ job }, message),
      warn: (message: string) => log.warn({ job }, message),
      error: (message: string | Error) => log.error({ job, err: String(message) }, 'scheduler error'),
      debug: (message: string | Error) => log.debug({ job }, String(message)),
    };
  }

  /** Stops the schedules and waits for runs in flight. */
  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
    await Promise.allSettled([...this.inFlight]);
  }

  /** Keeps a promise until it settles, so `stop` can wait for it. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    // The bookkeeping must not turn a rejection into an unhandled one; the caller handles it.
    promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}

/**
 * The latest instant in [from, to] at which a cron expression fires in the practice zone,
 * or null. Tries only the expression's own hours and minutes on each local day of the
 * window (latest first), at its first second, and lets node-cron's matcher judge the rest.
 */
export function lastScheduledBetween(expression: string, cal: PracticeCalendar, from: Date, to: Date): Date | null {
  const fields = cron.parse(expression);
  const second = fields.second[0] ?? 0;
  const task = cron.createTask(expression, () => undefined, { timezone: cal.timeZone });
  try {
    const hours = [...fields.hour].sort((a, b) => b - a);
    const minutes = [...fields.minute].sort((a, b) => b - a);
    const first = practiceDate(cal, from);
    for (let date = practiceDate(cal, to); date >= first; date = addCalendarDays(date, -1)) {
      for (const h of hours) {
        for (const m of minutes) {
          const at = new Date(atLocalTime(cal, date, `${pad(h)}:${pad(m)}`).getTime() + second * 1000);
          if (at >= from && at <= to && task.match(at)) return at;
        }
      }
    }
    return null;
  } finally {
    void task.destroy();
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
