/**
 * One app process under the interaction load: started against the Slack stub, warmed
 * up, loaded, its peak memory read, stopped. Shared by the latency and memory figures,
 * which differ only in the size of the queue behind the app.
 */
import { SIGNING_SECRET } from '../../test/support/slack-payloads';
import { startBareBoltProcess, startCareBridgeProcess, type AppProcess } from './app-process';
import { benchEnv } from './bench-config';
import type { SeededQueue } from './open-queue';
import { COORDINATOR_IDS } from './practice-data';
import { interleave, runInteractions, type Interaction, type LoadResult } from './slack-load';
import type { SlackStub } from './slack-stub';

/** CareBridge itself, or the bare Bolt app that is its floor. */
export type AppKind = 'carebridge' | 'bare';

/** What one app's run under the load showed. */
export interface AppRun {
  load: LoadResult;
  /** Peak resident memory of the app process over its whole run, MB. */
  peakRssMb: number | null;
  /** Resident memory once started, before any request, MB. */
  startRssMb: number | null;
  /** What the app process wrote last (kept for a run that went wrong). */
  output: string;
  /** What `afterLoad` found (e.g. how many claims and notes were saved). */
  checked: string;
}

/** Requests in flight at once (issue 7). */
export const CONCURRENCY = 20;

/** The queue's claimable and notable cases as interactions: the first `warmup` of each warm up. */
export function interactionsOf(queue: SeededQueue, warmup: number): { warmup: Interaction[]; measured: Interaction[] } {
  const claims: Interaction[] = queue.toClaim.map((caseId, i) => ({ kind: 'claim', caseId, userId: COORDINATOR_IDS[i % COORDINATOR_IDS.length]! }));
  const notes: Interaction[] = queue.toNote.map(({ caseId, owner }) => ({ kind: 'note', caseId, userId: owner }));
  return { warmup: interleave(claims.slice(0, warmup), notes.slice(0, warmup)), measured: interleave(claims.slice(warmup), notes.slice(warmup)) };
}

/**
 * Runs `kind` against `databaseUrl` (CareBridge only) and the stub, sends the warm-up
 * then the measured interactions, and runs `afterLoad` (waits for and checks what was
 * saved) before reading the peak memory and stopping the app.
 */
export async function loadApp(
  kind: AppKind,
  options: { databaseUrl: string; stub: SlackStub; warmup: Interaction[]; measured: Interaction[]; deadlineMs?: number; afterLoad?: () => Promise<string> },
): Promise<AppRun> {
  const env = benchEnv({ DATABASE_URL: options.databaseUrl, SLACK_API_URL: options.stub.apiUrl, SLACK_SIGNING_SECRET: SIGNING_SECRET });
  const app: AppProcess = kind === 'carebridge' ? await startCareBridgeProcess(env) : await startBareBoltProcess(env);
  try {
    const startRssMb = app.rssMb();
    await runInteractions(app.url, options.warmup, { concurrency: CONCURRENCY });
    const load = await runInteractions(app.url, options.measured, { concurrency: CONCURRENCY, deadlineMs: options.deadlineMs });
    // Work acknowledged first and done afterwards (claims, Slack deliveries) still counts towards memory.
    const checked = options.afterLoad ? await options.afterLoad() : '';
    return { load, peakRssMb: app.peakRssMb(), startRssMb, output: app.output(), checked };
  } finally {
    await app.stop();
  }
}

const bareRuns = new Map<number, Promise<AppRun>>();

/**
 * The bare Bolt app under `measured.length` interactions, run once per size and shared
 * by the figures that need it (latency floor, memory floor): it holds no data, so the
 * queue behind CareBridge does not change it.
 */
export function loadBareApp(options: { stub: SlackStub; warmup: Interaction[]; measured: Interaction[] }): Promise<AppRun> {
  const key = options.measured.length;
  if (!bareRuns.has(key)) bareRuns.set(key, loadApp('bare', { ...options, databaseUrl: 'sqlite::memory:' }));
  return bareRuns.get(key)!;
}
