/**
 * Figure 2 (and 7 on PostgreSQL): the SLA sweep over a large open queue with 1% newly
 * breaching, against the one indexed query that finds the same breaching cases; and the
 * same sweep over a tenth of the open cases with as many breaches, to show that its
 * time follows the breaches, not the queue.
 */
import { FixedClock } from '../src/clock';
import { practiceDate } from '../src/domain/calendar';
import { defaultPolicy, type Policy } from '../src/domain/policy';
import { runJob } from '../src/jobs/job-runner';
import { slaSweep } from '../src/jobs/sla-sweep';
import { silentLogger } from '../src/logger';
import type { Engine } from '../src/store/db';
import { createStores } from '../src/store/stores';
import { benchEngines, settle, tempDatabase, type BenchDatabase } from './support/databases';
import type { BenchContext, BenchFigure, FigureResult } from './support/figure';
import { seedOpenQueue } from './support/open-queue';
import { tallyQueries, type Tally } from './support/query-tally';
import { count } from './support/count';
import { median, medianTime } from './support/timing';

/** A Wednesday morning: business time, so the sweep runs rather than waiting for opening. */
const NOW = new Date('2026-11-25T10:00:00-05:00');
const RATIO_GOAL = 3;
const GROWTH_GOAL = 1.5;

/** Thrown to roll a measured sweep back, so every run finds the same breaches still new. */
class Rollback extends Error {}

interface SweepRun {
  ms: number;
  alerted: number;
  escalated: number;
}

/** One sweep inside a transaction that is rolled back afterwards; the time is the job's own. */
async function sweepOnce(db: BenchDatabase, policy: Policy): Promise<SweepRun> {
  let run: SweepRun = { ms: 0, alerted: 0, escalated: 0 };
  try {
    await db.knex.transaction(async (trx) => {
      const start = performance.now();
      const outcome = await runJob(slaSweep, { stores: createStores(trx, policy.calendar), policy, clock: new FixedClock(NOW), logger: silentLogger }, NOW);
      const ms = performance.now() - start;
      if (outcome.status !== 'done') throw new Error(`the sweep did not run: ${outcome.status}`);
      const number = (pattern: RegExp) => Number(pattern.exec(outcome.summary)?.[1] ?? Number.NaN);
      run = { ms, alerted: number(/^(\d+) new breach/), escalated: number(/(\d+) escalation\(s\) raised/) };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return run;
}

/**
 * The floor: one statement returning the ids of the newly breaching cases, over the same
 * partial indexes the sweep reads (first-response windows missed, next promised actions
 * overdue, each not yet alerted).
 */
async function breachingIds(db: BenchDatabase, today: string): Promise<number> {
  const rows = await db.knex.raw(
    `SELECT id FROM cases WHERE first_response_at IS NULL AND state <> 'closed' AND first_response_due_at <= ?
       AND NOT EXISTS (SELECT 1 FROM breach_alerts b WHERE b.case_id = cases.id AND b.kind = 'first_response'
                       AND b.key = CAST(cases.first_response_due_at AS VARCHAR(20)))
     UNION ALL
     SELECT id FROM cases WHERE state <> 'closed' AND next_action_due < ?
       AND NOT EXISTS (SELECT 1 FROM breach_alerts b WHERE b.case_id = cases.id AND b.kind = 'next_action' AND b.key = cases.next_action_due)`,
    [NOW.getTime(), today],
  );
  return (db.engine === 'postgres' ? rows.rows : rows).length;
}

interface Measured {
  sweep: number;
  floor: number;
  alerted: number;
  escalated: number;
  floorIds: number;
  tally: Tally;
}

/** A seeded queue and what the sweep did on it. */
interface Queue {
  db: BenchDatabase;
  tally: Tally;
  sweeps: SweepRun[];
  floors: number[];
  floorIds: number;
}

async function seedQueue(ctx: BenchContext, engine: Engine, open: number, breaching: number): Promise<Queue> {
  const db = await tempDatabase(engine, `sweep-${open}`);
  ctx.progress(`sweep [${engine}]: seeding ${count(open)} open cases`);
  await seedOpenQueue(db, engine, { open, now: NOW.getTime(), today: practiceDate(defaultPolicy().calendar, NOW), breaching, alerted: Math.round(open / 100) });
  await settle(db);
  return { db, tally: { statements: 0, sqlMs: 0 }, sweeps: [], floors: [], floorIds: 0 };
}

/**
 * Sweeps both queues in turn, several times, with the floor query after each sweep: a
 * burst of load from others on this shared machine then falls on both sizes alike,
 * rather than on one of the two measurements being compared.
 */
async function measure(ctx: BenchContext, queues: Queue[]): Promise<Measured[]> {
  const policy = defaultPolicy();
  const today = practiceDate(policy.calendar, NOW);
  // Warm-up (JIT, page cache, plans), counting its statements: the count explains the time.
  for (const q of queues) q.tally = (await tallyQueries(q.db.knex, () => sweepOnce(q.db, policy))).tally;
  for (let i = 0; i < (ctx.quick ? 2 : 4); i++) {
    for (const q of queues) {
      q.sweeps.push(await sweepOnce(q.db, policy));
      q.floors.push(await medianTime(async () => (q.floorIds = await breachingIds(q.db, today)), { runs: 3, warmup: 1 }));
    }
  }
  return queues.map((q) => ({ sweep: median(q.sweeps.map((r) => r.ms)), floor: median(q.floors), alerted: q.sweeps[0]!.alerted, escalated: q.sweeps[0]!.escalated, floorIds: q.floorIds, tally: q.tally }));
}

/** Figure 2 (and 7): the SLA sweep, and how its time grows. */
export const slaSweepFigure: BenchFigure = {
  id: 'sweep',
  title: 'SLA sweep',
  async run(ctx) {
    const results: FigureResult[] = [];
    const big = ctx.size(100_000);
    const small = ctx.size(10_000);
    const breaching = ctx.size(1_000);
    for (const engine of benchEngines()) {
      const queues = [await seedQueue(ctx, engine, big, breaching), await seedQueue(ctx, engine, small, breaching)];
      let large: Measured;
      let tenth: Measured;
      try {
        ctx.progress(`sweep [${engine}]: sweeping ${count(big)} and ${count(small)} open cases in turn`);
        [large, tenth] = (await measure(ctx, queues)) as [Measured, Measured];
      } finally {
        for (const q of queues) await q.db.destroy();
      }
      const ratio = large.sweep / large.floor;
      const agree = large.floorIds === large.alerted ? '' : ` — MISMATCH: the floor found ${count(large.floorIds)}`;
      results.push({
        name: `SLA sweep, ${count(big)} open, ${count(breaching)} newly breaching [${engine}]`,
        value: large.sweep,
        unit: 'ms',
        floor: large.floor,
        floorName: 'one indexed query for the breaching ids',
        goal: `ratio ≤ ${RATIO_GOAL}`,
        pass: ratio <= RATIO_GOAL,
        note: `${count(large.alerted)} alerted, ${count(large.escalated)} escalated${agree}; ${count(large.tally.statements)} SQL statements, ${large.tally.sqlMs.toFixed(0)} ms in SQL`,
      });
      results.push({
        name: `SLA sweep growth, ${count(small)} → ${count(big)} open, ${count(breaching)} breaching [${engine}]`,
        value: large.sweep,
        unit: 'ms',
        floor: tenth.sweep,
        floorName: `the same sweep over ${count(small)} open`,
        goal: `ratio ≤ ${GROWTH_GOAL} (breaches, not queue)`,
        pass: large.sweep / tenth.sweep <= GROWTH_GOAL,
        note: `floor query ${tenth.floor.toFixed(2)} → ${large.floor.toFixed(2)} ms`,
      });
    }
    return results;
  },
};
