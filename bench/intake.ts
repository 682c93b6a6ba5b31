/**
 * Figure 5: intake. A 10,000-row CSV file through `importCsvFile` (what `carebridge import`
 * runs), and 1,000 trigger events posted one by one to POST /intake/events of the running
 * app at 20 in flight; each against a bulk insert of the very rows it wrote (cases,
 * audit entries, outbox messages), read back from its database.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../src/clock';
import { defaultPolicy } from '../src/domain/policy';
import { importCsvFile } from '../src/intake/csv-import';
import { CaseService } from '../src/services/case-service';
import { createStores } from '../src/store/stores';
import { startCareBridgeProcess } from './support/app-process';
import { INTAKE_TOKEN, benchEnv } from './support/bench-config';
import { bulkInsertAll } from './support/bulk-insert';
import { scratchDir, tempSqlite, withDatabase, type BenchDatabase } from './support/databases';
import type { BenchContext, BenchFigure, FigureResult } from './support/figure';
import { inFlight } from './support/in-flight';
import { markPeriodicJobsDone } from './support/job-history';
import { intakeBody, intakeCsv, type IntakeBody } from './support/intake-events';
import { startSlackStub } from './support/slack-stub';
import { count } from './support/count';
import { Latencies, median, timed } from './support/timing';

const RATIO_GOAL = 3;
const CONCURRENCY = 20;

type Row = Record<string, unknown>;

/** Every row an intake wrote for its cases (named by external id prefix): the cases, their audit entries, their outbox messages. */
async function rowsWritten(db: BenchDatabase, prefix: string): Promise<[table: string, rows: Row[]][]> {
  const ids = db.knex('cases').select('id').where('external_id', 'like', `${prefix}-%`);
  const refs = db.knex('cases').select(db.knex.raw('CAST(id AS VARCHAR(20))')).where('external_id', 'like', `${prefix}-%`);
  return [
    ['cases', await db.knex('cases').where('external_id', 'like', `${prefix}-%`)],
    ['case_events', await db.knex('case_events').whereIn('case_id', ids)],
    ['outbox', await db.knex('outbox').whereIn('ref', refs)],
  ];
}

/**
 * The floor: the very rows the intake wrote (read back from its database), bulk inserted
 * into a fresh database; median of `runs` after a warm-up.
 */
async function bulkFloor(tables: [string, Row[]][], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const ms = await withDatabase(await tempSqlite('intake-floor'), (db) => timed(() => bulkInsertAll(db.knex, 'sqlite', tables)));
    if (i > 0) times.push(ms);
  }
  return median(times);
}

/** "10,000 cases, 10,000 audit entries, 10,000 outbox messages". */
function describeRows(tables: [string, Row[]][]): string {
  return tables.map(([table, rows]) => `${count(rows.length)} ${table}`).join(', ');
}

async function csvImport(ctx: BenchContext): Promise<FigureResult> {
  const rows = ctx.size(10_000);
  const now = new Date();
  const bodies = Array.from({ length: rows }, (_, n) => intakeBody('csv', n, now.getTime()));
  const path = join(scratchDir(), 'intake.csv');
  writeFileSync(path, intakeCsv(bodies));
  const runs = ctx.quick ? 2 : 3;
  ctx.progress(`intake: importing ${count(rows)} CSV rows, ${runs} times`);
  const times: number[] = [];
  let created = 0;
  let written: [string, Row[]][] = [];
  for (let i = 0; i <= runs; i++) {
    const ms = await withDatabase(await tempSqlite('csv-import'), async (db) => {
      const cases = new CaseService({ stores: createStores(db.knex, defaultPolicy().calendar), clock: systemClock, policy: defaultPolicy() });
      const took = await timed(async () => (created = (await importCsvFile(path, { cases, clock: systemClock })).created));
      if (i === runs) written = await rowsWritten(db, 'csv');
      return took;
    });
    if (i > 0) times.push(ms); // the first is a warm-up
  }
  const value = median(times);
  const floor = await bulkFloor(written, runs);
  return {
    name: `CSV import, ${count(rows)} rows [sqlite]`,
    value,
    unit: 'ms',
    floor,
    floorName: `bulk insert of the same rows (${describeRows(written)})`,
    goal: `ratio ≤ ${RATIO_GOAL}`,
    pass: value / floor <= RATIO_GOAL && created === rows,
    note: `${count(created)} cases created per run`,
  };
}

/** Events in one batch request (`{ events: [...] }`) when the batch form is measured. */
const BATCH = 50;

async function webhooks(ctx: BenchContext): Promise<FigureResult> {
  const events = ctx.size(1_000);
  const now = Date.now();
  const bodiesOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => intakeBody(prefix, i, now));
  const latencies = new Latencies();
  let created = 0;
  let errors = 0;
  const measured = await withDatabase(await tempSqlite('webhooks'), async (db) => {
    await markPeriodicJobsDone(db, new Date(now));
    const stub = await startSlackStub();
    const app = await startCareBridgeProcess(benchEnv({ DATABASE_URL: db.url, SLACK_API_URL: stub.apiUrl }));
    try {
      const post = async (body: object, expect: number, measure: boolean) => {
        const start = performance.now();
        try {
          const res = await fetch(`${app.url}/intake/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          const answer = (await res.json()) as { created?: number };
          const made = res.status === 201 ? 1 : res.status === 200 ? (answer.created ?? 0) : 0;
          if (measure) created += made;
          if (made !== expect) errors += 1;
        } catch {
          errors += 1;
        }
        if (measure) latencies.record(performance.now() - start);
      };
      await inFlight(bodiesOf('warm', 50), CONCURRENCY, (b) => post(b, 1, false));
      ctx.progress(`intake: posting ${count(events)} webhook events one by one, then in batches of ${BATCH}`);
      const single = await timed(() => inFlight(bodiesOf('ehr', events), CONCURRENCY, (b) => post(b, 1, true)));
      const singleRows = await rowsWritten(db, 'ehr');
      const batches: { events: IntakeBody[] }[] = [];
      const batchBodies = bodiesOf('batch', events);
      for (let i = 0; i < batchBodies.length; i += BATCH) batches.push({ events: batchBodies.slice(i, i + BATCH) });
      const batched = await timed(() => inFlight(batches, CONCURRENCY, (b) => post(b, b.events.length, false)));
      return { single, singleRows, batched, batchRows: await rowsWritten(db, 'batch') };
    } finally {
      await app.stop();
      await stub.close();
    }
  });
  const runs = ctx.quick ? 2 : 3;
  const floor = await bulkFloor(measured.singleRows, runs);
  const batchFloor = await bulkFloor(measured.batchRows, runs);
  return {
    name: `Intake webhooks, ${count(events)} events at c=${CONCURRENCY} [sqlite]`,
    value: measured.single,
    unit: 'ms',
    floor,
    floorName: `bulk insert of the same rows (${describeRows(measured.singleRows)})`,
    goal: `ratio ≤ ${RATIO_GOAL}`,
    pass: measured.single / floor <= RATIO_GOAL && created === events && errors === 0,
    note:
      `${count(created)} created (201), ${errors} errors; per request p50 ${latencies.percentile(50).toFixed(1)} ms, p99 ${latencies.percentile(99).toFixed(1)} ms; ` +
      `the same number as ${Math.ceil(events / BATCH)} batches of ${BATCH}: ${measured.batched.toFixed(0)} ms, ${(measured.batched / batchFloor).toFixed(1)}× its floor`,
  };
}

/** Figure 5: CSV import and webhook intake. */
export const intakeFigure: BenchFigure = {
  id: 'intake',
  title: 'Intake',
  run: async (ctx) => [await csvImport(ctx), await webhooks(ctx)],
};
