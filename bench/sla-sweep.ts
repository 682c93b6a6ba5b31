/**
 * Figure 2 (and 7 on PostgreSQL): the SLA sweep over a large open queue with 1% newly
 * breaching, against a floor that reads the same breaching cases and writes the same
 * rows (alerts and claims, audit entries, escalations, case updates, outbox messages)
 * with a handful of multi-row statements and no logic; how its time grows with the
 * breaches (100, 1,000 and 4,000 breaching at the same open queue: linear), and that it
 * does not grow with the open cases (a tenth of the queue, as many breaches).
 */
import type { Knex } from 'knex';
import { FixedClock } from '../src/clock';
import { practiceDate } from '../src/domain/calendar';
import { defaultPolicy, type Policy } from '../src/domain/policy';
import { runJob } from '../src/jobs/job-runner';
import { slaSweep } from '../src/jobs/sla-sweep';
import { silentLogger } from '../src/logger';
import { chunks, insertRowsPerStatement } from '../src/store/chunks';
import type { Engine } from '../src/store/db';
import { createStores } from '../src/store/stores';
import { benchEngines, tempDatabase, type BenchDatabase } from './support/databases';
import type { BenchContext, BenchFigure, FigureResult } from './support/figure';
import { seedOpenQueue } from './support/open-queue';
import { tallyQueries, type Tally } from './support/query-tally';
import { count } from './support/count';
import { median } from './support/timing';

/** A Wednesday morning: business time, so the sweep runs rather than waiting for opening. */
const NOW = new Date('2026-11-25T10:00:00-05:00');
const RATIO_GOAL = 2;
const GROWTH_GOAL = 1.5;
/** Time per breach at the largest backlog over that at the middle one: linear keeps it near 1. */
const LINEAR_GOAL = 1.5;

/** Thrown to roll a measured run back, so every run finds the same breaches still new. */
class Rollback extends Error {}

/** The rows one sweep added, per table (case updates: the cases it escalated). */
interface Written {
  alerts: number;
  events: number;
  escalations: number;
  cases: number;
  outbox: number;
}

interface SweepRun {
  ms: number;
  alerted: number;
  escalated: number;
}

const TABLES = { alerts: 'breach_alerts', events: 'case_events', escalations: 'escalations', outbox: 'outbox' } as const;

async function rowCounts(trx: Knex.Transaction): Promise<Omit<Written, 'cases'>> {
  const n = async (table: string) => Number((await trx(table).count<{ n: number | string }[]>('* as n'))[0]!.n);
  return { alerts: await n(TABLES.alerts), events: await n(TABLES.events), escalations: await n(TABLES.escalations), outbox: await n(TABLES.outbox) };
}

/** Runs `fn` in a transaction that is rolled back afterwards; returns what it returned. */
async function rolledBack<T>(db: BenchDatabase, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await db.knex.transaction(async (trx) => {
      out = await fn(trx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return out!;
}

/** One sweep inside a transaction that is rolled back afterwards; the time is the job's own. */
async function sweepOnce(db: BenchDatabase, policy: Policy, written?: (w: Written) => void): Promise<SweepRun> {
  return rolledBack(db, async (trx) => {
    const before = written ? await rowCounts(trx) : null;
    const start = performance.now();
    const outcome = await runJob(slaSweep, { stores: createStores(trx, policy.calendar), policy, clock: new FixedClock(NOW), logger: silentLogger }, NOW);
    const ms = performance.now() - start;
    if (outcome.status !== 'done') throw new Error(`the sweep did not run: ${outcome.status}`);
    if (before && written) {
      const after = await rowCounts(trx);
      const cases = Number((await trx('case_events').where({ action: 'escalated' }).where('at', NOW.getTime()).countDistinct<{ n: number | string }[]>('case_id as n'))[0]!.n);
      // The job's own bookkeeping row is not the sweep's: only the tables it writes for cases are counted.
      written({ alerts: after.alerts - before.alerts, events: after.events - before.events, escalations: after.escalations - before.escalations, outbox: after.outbox - before.outbox, cases });
    }
    const number = (pattern: RegExp) => Number(pattern.exec(outcome.summary)?.[1] ?? Number.NaN);
    return { ms, alerted: number(/^(\d+) new breach/), escalated: number(/(\d+) escalation\(s\) raised/) };
  });
}

/**
 * The read of the floor: one statement returning the ids of the newly breaching cases,
 * over the same partial indexes the sweep reads (first-response windows missed, next
 * promised actions overdue, each not yet alerted).
 */
async function breachingIds(db: Knex | Knex.Transaction, engine: Engine, today: string): Promise<number[]> {
  const rows = await db.raw(
    `SELECT id FROM cases WHERE first_response_at IS NULL AND state <> 'closed' AND first_response_due_at <= ?
       AND NOT EXISTS (SELECT 1 FROM breach_alerts b WHERE b.case_id = cases.id AND b.kind = 'first_response'
                       AND b.key = CAST(cases.first_response_due_at AS VARCHAR(20)))
     UNION ALL
     SELECT id FROM cases WHERE state <> 'closed' AND next_action_due < ?
       AND NOT EXISTS (SELECT 1 FROM breach_alerts b WHERE b.case_id = cases.id AND b.kind = 'next_action' AND b.key = cases.next_action_due)`,
    [NOW.getTime(), today],
  );
  return ((engine === 'postgres' ? rows.rows : rows) as { id: number | string }[]).map((r) => Number(r.id));
}

/**
 * The floor: the read above, then the rows the sweep wrote, as many of each, written with
 * multi-row statements (sliced only where an engine's limits require it) and no logic:
 * alerts, audit entries, escalations, one update of the escalated cases, outbox messages.
 */
async function floorOnce(db: BenchDatabase, engine: Engine, today: string, w: Written): Promise<number> {
  return rolledBack(db, async (trx) => {
    const start = performance.now();
    const ids = await breachingIds(trx, engine, today);
    const at = NOW.getTime();
    const idAt = (i: number) => ids[i % ids.length]!;
    const insert = async (table: string, rows: Record<string, unknown>[], conflict?: string[]) => {
      if (rows.length === 0) return;
      for (const part of chunks(rows, insertRowsPerStatement(trx, Object.keys(rows[0]!).length))) {
        const q = trx(table).insert(part);
        await (conflict ? q.onConflict(conflict).ignore().returning('id') : q);
      }
    };
    await insert('breach_alerts', Array.from({ length: w.alerts }, (_, i) => ({ case_id: idAt(i), kind: 'floor', key: String(i), alerted_at: at, routed_to: null })), ['case_id', 'kind', 'key']);
    await insert('case_events', Array.from({ length: w.events }, (_, i) => ({ case_id: idAt(i), action: 'escalated', actor_id: 'carebridge', at, before: null, after: '{"reason":"response_window_missed"}' })));
    const escalations = Array.from({ length: w.escalations }, (_, i) => ({
      case_id: idAt(i), reason: 'response_window_missed', text: null, target: 'managers', urgent: false, raised_by: 'carebridge', raised_at: at,
      acknowledged_by: null, acknowledged_at: null, guidance: null, reraised_at: null,
    }));
    for (const part of chunks(escalations, insertRowsPerStatement(trx, 11))) await trx('escalations').insert(part).returning('id');
    await trx('cases').whereIn('id', ids.slice(0, w.cases)).update({ state: 'escalated', updated_at: at, version: trx.raw('version + 1') });
    await insert('outbox', Array.from({ length: w.outbox }, (_, i) => ({ kind: 'case_card', ref: String(idAt(i)), payload: null, created_at: at, next_attempt_at: at })));
    return performance.now() - start;
  });
}

interface Measured {
  open: number;
  breaching: number;
  sweep: number;
  floor: number;
  alerted: number;
  escalated: number;
  written: Written;
  tally: Tally;
  floorTally: Tally;
}

/** A seeded queue and what the sweep did on it. */
interface Queue {
  db: BenchDatabase;
  engine: Engine;
  open: number;
  breaching: number;
  tally: Tally;
  floorTally: Tally;
  written: Written;
  sweeps: SweepRun[];
  floors: number[];
}

async function seedQueue(ctx: BenchContext, engine: Engine, open: number, breaching: number): Promise<Queue> {
  const db = await tempDatabase(engine, `sweep-${open}-${breaching}`);
  ctx.progress(`sweep [${engine}]: seeding ${count(open)} open cases, ${count(breaching)} newly breaching`);
  await seedOpenQueue(db, engine, { open, now: NOW.getTime(), today: practiceDate(defaultPolicy().calendar, NOW), breaching, alerted: Math.round(open / 100) });
  // This schema's tables only: a database-wide VACUUM would also work through every other schema on the server.
  if (engine === 'postgres') await db.knex.raw('VACUUM ANALYZE cases, case_events, breach_alerts, escalations, slack_messages, outbox');
  const none = { statements: 0, sqlMs: 0 };
  return { db, engine, open, breaching, tally: none, floorTally: none, written: { alerts: 0, events: 0, escalations: 0, cases: 0, outbox: 0 }, sweeps: [], floors: [] };
}

/**
 * Sweeps every queue in turn, several times, with the floor after each sweep: a burst of
 * load from others on this shared machine then falls on every size alike, rather than on
 * one of the measurements being compared.
 */
async function measure(ctx: BenchContext, queues: Queue[]): Promise<Measured[]> {
  const policy = defaultPolicy();
  const today = practiceDate(policy.calendar, NOW);
  // Warm-up (JIT, page cache, plans), counting its statements and the rows it writes: the floor writes as many.
  for (const q of queues) {
    q.tally = (await tallyQueries(q.db.knex, () => sweepOnce(q.db, policy, (w) => (q.written = w)))).tally;
    q.floorTally = (await tallyQueries(q.db.knex, () => floorOnce(q.db, q.engine, today, q.written))).tally;
  }
  for (let i = 0; i < (ctx.quick ? 2 : 4); i++) {
    for (const q of queues) {
      q.sweeps.push(await sweepOnce(q.db, policy));
      // Timed inside its transaction, as the sweep is: the time of the read and the writes.
      const floors: number[] = [];
      for (let k = 0; k < 3; k++) floors.push(await floorOnce(q.db, q.engine, today, q.written));
      q.floors.push(median(floors));
    }
  }
  return queues.map((q) => ({
    open: q.open,
    breaching: q.breaching,
    sweep: median(q.sweeps.map((r) => r.ms)),
    floor: median(q.floors),
    alerted: q.sweeps[0]!.alerted,
    escalated: q.sweeps[0]!.escalated,
    written: q.written,
    tally: q.tally,
    floorTally: q.floorTally,
  }));
}

const rowsNote = (w: Written) => `${count(w.alerts)} alert/claim, ${count(w.events)} audit, ${count(w.escalations)} escalation, ${count(w.cases)} case, ${count(w.outbox)} outbox rows`;
const perBreach = (m: Measured) => m.sweep / m.breaching;

/** Figure 2 (and 7): the SLA sweep, and how its time grows. */
export const slaSweepFigure: BenchFigure = {
  id: 'sweep',
  title: 'SLA sweep',
  async run(ctx) {
    const results: FigureResult[] = [];
    const big = ctx.size(100_000);
    const small = ctx.size(10_000);
    const [few, breaching, backlog] = [ctx.size(100), ctx.size(1_000), ctx.size(4_000)];
    for (const engine of benchEngines()) {
      const queues: Queue[] = [];
      let measured: Measured[];
      try {
        for (const [open, n] of [[big, breaching], [small, breaching], [big, few], [big, backlog]] as const) queues.push(await seedQueue(ctx, engine, open, n));
        ctx.progress(`sweep [${engine}]: sweeping ${queues.length} queues in turn`);
        measured = await measure(ctx, queues);
      } finally {
        for (const q of queues) await q.db.destroy();
      }
      const [large, tenth, small100, large4k] = measured as [Measured, Measured, Measured, Measured];
      for (const m of [large, large4k]) {
        const agree = m.alerted === m.breaching ? '' : ` — MISMATCH: ${count(m.breaching)} were seeded breaching`;
        results.push({
          name: `SLA sweep, ${count(m.open)} open, ${count(m.breaching)} newly breaching [${engine}]`,
          value: m.sweep,
          unit: 'ms',
          floor: m.floor,
          floorName: `the indexed read of the breaching ids and the same rows written in bulk, ${m.floorTally.statements} statements`,
          goal: `ratio ≤ ${RATIO_GOAL}`,
          pass: m.sweep / m.floor <= RATIO_GOAL,
          note: `${count(m.alerted)} alerted, ${count(m.escalated)} escalated${agree}; ${rowsNote(m.written)}; ${count(m.tally.statements)} SQL statements, ${m.tally.sqlMs.toFixed(0)} ms in SQL`,
        });
      }
      results.push({
        name: `SLA sweep growth, ${count(few)} → ${count(breaching)} → ${count(backlog)} breaching at ${count(big)} open, per breach [${engine}]`,
        value: perBreach(large4k),
        unit: 'ms',
        floor: perBreach(large),
        floorName: `the time per breach at ${count(breaching)} breaching`,
        goal: `ratio ≤ ${LINEAR_GOAL} (linear in breaches)`,
        pass: perBreach(large4k) / perBreach(large) <= LINEAR_GOAL,
        note: `per breach ${perBreach(small100).toFixed(3)} / ${perBreach(large).toFixed(3)} / ${perBreach(large4k).toFixed(3)} ms; sweeps ${small100.sweep.toFixed(0)} / ${large.sweep.toFixed(0)} / ${large4k.sweep.toFixed(0)} ms; ${small100.tally.statements} / ${large.tally.statements} / ${large4k.tally.statements} SQL statements`,
      });
      results.push({
        name: `SLA sweep growth, ${count(small)} → ${count(big)} open, ${count(breaching)} breaching [${engine}]`,
        value: large.sweep,
        unit: 'ms',
        floor: tenth.sweep,
        floorName: `the same sweep over ${count(small)} open`,
        goal: `ratio ≤ ${GROWTH_GOAL} (breaches, not queue)`,
        pass: large.sweep / tenth.sweep <= GROWTH_GOAL,
        note: `floor ${tenth.floor.toFixed(2)} → ${large.floor.toFixed(2)} ms`,
      });
    }
    return results;
  },
};
