/**
 * Start-up: how long `carebridge start` takes from spawning the process until `/healthz`
 * answers 200 (database written, Slack's auth.test and channel checks answered by the stub),
 * compiled (dist/, as production runs) against the TypeScript sources through tsx
 * (CAREBRIDGE_DEV=1, as development runs), on a migrated SQLite database; and its resident
 * memory once ready. The floor is Node itself: spawning `node` with nothing to run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startCareBridgeProcess } from './support/app-process';
import { benchEnv } from './support/bench-config';
import { tempSqlite, withDatabase } from './support/databases';
import type { BenchFigure } from './support/figure';
import { startSlackStub } from './support/slack-stub';
import { ensureCompiled } from './support/compiled';

const GOAL_MS = 1_500;
/** Readiness is polled this often, so a start is timed to within it. */
const POLL_MS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds from spawning `node -e ""` until it exits. */
function nodeAlone(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

interface Start {
  ms: number;
  rssMb: number | null;
  /** CPU time the process used until ready (user + system): less swayed than wall time by other work on a shared machine. */
  cpuMs: number | null;
}

/** A process's CPU time so far (Linux, from /proc), in ms; null elsewhere. */
function cpuMsOf(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on Linux on every architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;

const list = (runs: Start[]) => runs.map((r) => r.ms.toFixed(0)).join(', ');
const medianOf = (runs: Start[], field: 'rssMb' | 'cpuMs', unit: string) => {
  const known = runs.map((r) => r[field]).filter((v): v is number => v !== null);
  return known.length > 0 ? `${median(known).toFixed(0)} ${unit}` : 'unknown';
};

/** Start-up time of `carebridge start`, compiled and from the sources. */
export const startupFigure: BenchFigure = {
  id: 'startup',
  title: 'Start-up',
  async run(ctx) {
    const rounds = ctx.quick ? 1 : 3;
    const build = await ensureCompiled();
    return withDatabase(await tempSqlite('startup'), async (db) => {
      const stub = await startSlackStub();
      try {
        const env = benchEnv({ DATABASE_URL: db.url, SLACK_API_URL: stub.apiUrl });
        const once = async (mode: 'compiled' | 'tsx'): Promise<Start> => {
          const app = await startCareBridgeProcess(mode === 'tsx' ? { ...env, CAREBRIDGE_DEV: '1' } : env, { pollMs: POLL_MS });
          try {
            return { ms: app.readyInMs, rssMb: app.rssMb(), cpuMs: cpuMsOf(app.pid) };
          } finally {
            await app.stop();
          }
        };
        const compiled: Start[] = [];
        const tsx: Start[] = [];
        const node: number[] = [];
        // Interleaved, so a burst of load elsewhere on the machine falls on both alike.
        for (let round = 0; round < rounds; round++) {
          ctx.progress(`startup: round ${round + 1} of ${rounds}`);
          node.push(await nodeAlone());
          compiled.push(await once('compiled'));
          tsx.push(await once('tsx'));
        }
        const value = median(compiled.map((r) => r.ms));
        return [
          {
            name: 'Cold start to /healthz 200, compiled (dist/) [sqlite]',
            value,
            unit: 'ms',
            floor: median(node),
            floorName: 'spawning node with nothing to run',
            goal: `< ${GOAL_MS} ms`,
            pass: value < GOAL_MS,
            note:
              `median of ${rounds} (${list(compiled)} ms); from the sources through tsx: median ${median(tsx.map((r) => r.ms)).toFixed(0)} ms (${list(tsx)}); ` +
              `CPU time until ready: ${medianOf(compiled, 'cpuMs', 'ms')} compiled, ${medianOf(tsx, 'cpuMs', 'ms')} through tsx; ` +
              `RSS once ready: ${medianOf(compiled, 'rssMb', 'MB')} compiled, ${medianOf(tsx, 'rssMb', 'MB')} through tsx; migrated database, Slack answered by the local stub; ${build}`,
          },
        ];
      } finally {
        await stub.close();
      }
    });
  },
};
