import { FixedClock, systemClock } from '../clock';
import { loadConfig } from '../config';
import { describeOutcome, isJobName, JOB_NAMES, runJob } from '../jobs/job-runner';
import { JOBS } from '../jobs/jobs';
import { createCareBridge } from '../main';

const USAGE = `Usage: carebridge job <${JOB_NAMES.join('|')}> [--at <ISO time>]
  Runs one scheduled job once, now or as of --at (e.g. 2026-11-25T08:00:00-05:00),
  and delivers what it queued. A period that already ran is not run again.`;

/** An ISO 8601 instant with a date, a time and an offset (or Z): anything vaguer is ambiguous. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads `<name> [--at <time>]`; a message instead when the arguments are wrong. */
export function parseJobArgs(args: string[]): { name: (typeof JOB_NAMES)[number]; at: Date | null } | { error: string } {
  const [name, ...rest] = args;
  if (!name || name.startsWith('-')) return { error: `carebridge job: name the job to run (${JOB_NAMES.join(', ')})` };
  if (!isJobName(name)) return { error: `carebridge job: unknown job "${name}"; the jobs are ${JOB_NAMES.join(', ')}` };
  let at: Date | null = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = arg === '--at' ? rest[++i] : arg.startsWith('--at=') ? arg.slice('--at='.length) : undefined;
    if (value === undefined) return { error: arg === '--at' ? 'carebridge job: --at needs a time, e.g. --at 2026-11-25T08:00:00-05:00' : `carebridge job: unknown option "${arg}"` };
    const parsed = new Date(value);
    if (!ISO_INSTANT.test(value) || Number.isNaN(parsed.getTime())) {
      return { error: `carebridge job: --at "${value}" is not an ISO time with an offset, e.g. 2026-11-25T08:00:00-05:00 or 2026-11-25T13:00:00Z` };
    }
    at = parsed;
  }
  return { name, at };
}

/**
 * `carebridge job <name> [--at <ISO time>]`: runs the job once as of that time (a
 * missed digest, a back-filled report), delivers the outbox once and says what it did.
 */
export async function jobCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseJobArgs(args);
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(env);
  const clock = parsed.at ? new FixedClock(parsed.at) : systemClock;
  const careBridge = await createCareBridge(config, { clock });
  try {
    const waitingBefore = await careBridge.stores.outbox.pendingCount();
    const outcome = await runJob(JOBS[parsed.name], careBridge, clock.now());
    console.log(describeOutcome(outcome));
    if (outcome.status !== 'done') return 0;
    const queued = (await careBridge.stores.outbox.pendingCount()) - waitingBefore;
    const key = (f: { kind: string; ref: string; error: string }) => `${f.kind} ${f.ref}: ${f.error}`;
    const failedBefore = new Set((await careBridge.stores.outbox.failures(100)).map(key));
    // Delivers what this run queued, and anything else already due.
    const delivered = await careBridge.dispatcher.kick();
    const waiting = await careBridge.stores.outbox.pendingCount();
    const failed = (await careBridge.stores.outbox.failures(100)).map(key).filter((f) => !failedBefore.has(f));
    for (const f of failed) console.error(`Not delivered: ${f}`);
    const what = `${outcome.job} ${outcome.period}`;
    if (queued === 0) console.log(`${what}: nothing to post`);
    else if (waiting === 0 && failed.length === 0) console.log(`${what}: posted (${delivered} Slack message(s) delivered)`);
    else console.log(`${what}: queued; ${delivered} Slack message(s) delivered, ${waiting} waiting for Slack (the running app retries them)`);
    // The period is claimed either way: what Slack refused is in the outbox and in /healthz.
    return failed.length > 0 ? 1 : 0;
  } finally {
    await careBridge.db.close();
  }
}
