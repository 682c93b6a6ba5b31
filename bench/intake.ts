/**
 * Figure 5: intake. A 10,000-row CSV file through `importCsvFile` (what `carebridge import`
 * runs), against a bulk insert of the very rows it wrote (cases, audit entries, outbox
 * messages), read back from its database. And 1,000 trigger events posted one by one to
 * POST /intake/events of the running app at 20 in flight, against a bare `node:http`
 * server (its own process too) inserting the very rows CareBridge wrote for each event,
 * one request per event at the same concurrency.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../src/clock';
import { defaultPolicy } from '../src/domain/policy';
import { importCsvFile } from '../src/intake/csv-import';
import { CaseService } from '../src/services/case-service';
import { createStores } from '../src/store/stores';
import { startBareIntakeProcess, startCareBridgeProcess } from './support/app-process';
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

const CSV_RATIO_GOAL = 2.5;
const WEBHOOK_RATIO_GOAL = 2;
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
    goal: `ratio ≤ ${CSV_RATIO_GOAL}`,
    pass: value / floor <= CSV_RATIO_GOAL && created === rows,
    note: `${count(created)} cases created per run`,
  };
}

/** Events in one batch request (`{ events: [...] }`) when the batch form is measured. */
const BATCH = 50;

/** How one posting client went: its time, per-request latencies, what was created and how many requests went wrong. */
interface Posted {
  ms: number;
  latencies: Latencies;
  created: number;
  errors: number;
}

/**
 * Posts `bodies` to `url` at CONCURRENCY in flight, as an EHR's webhook sender would, and
 * checks each answer: a 201 per single event, `created` as expected for a batch.
 */
async function postAll(url: string, bodies: readonly object[], expect: (body: object) => number): Promise<Posted> {
  const latencies = new Latencies();
  let created = 0;
  let errors = 0;
  const ms = await timed(() =>
    inFlight(bodies, CONCURRENCY, async (body) => {
      const start = performance.now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const answer = (await res.json()) as { created?: number };
        const made = res.status === 201 ? 1 : res.status === 200 ? (answer.created ?? 0) : 0;
        created += made;
        if (made !== expect(body)) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.record(performance.now() - start);
    }),
  );
  return { ms, latencies, created, errors };
}

/** The rows written for each case, one request body per case: `{ cases: [case], case_events: [...], outbox: [...] }`. */
function rowsPerCase(tables: [string, Row[]][]): Record<string, Row[]>[] {
  const byTable = new Map(tables);
  const byCase = (rows: Row[], caseId: (r: Row) => number) => {
    const map = new Map<number, Row[]>();
    for (const r of rows) map.set(caseId(r), [...(map.get(caseId(r)) ?? []), r]);
    return map;
  };
  const events = byCase(byTable.get('case_events') ?? [], (r) => Number(r.case_id));
  const outbox = byCase(byTable.get('outbox') ?? [], (r) => Number(r.ref));
  return (byTable.get('cases') ?? []).map((c) => ({ cases: [c], case_events: events.get(Number(c.id)) ?? [], outbox: outbox.get(Number(c.id)) ?? [] }));
}

/**
 * The webhook floor: the bare intake server (its own process, a fresh migrated SQLite
 * file) takes the very rows CareBridge wrote, one request per event, at the same
 * concurrency, after the same warm-up; median of `runs`.
 */
async function httpFloor(warm: [string, Row[]][], measured: [string, Row[]][], runs: number): Promise<Posted> {
  const results: Posted[] = [];
  for (let i = 0; i < runs; i++) {
    const posted = await withDatabase(await tempSqlite('intake-http-floor'), async (db) => {
      const server = await startBareIntakeProcess({ DATABASE_PATH: db.url.slice('sqlite:'.length) });
      try {
        await postAll(`${server.url}/intake/events`, rowsPerCase(warm), () => 1);
        return await postAll(`${server.url}/intake/events`, rowsPerCase(measured), () => 1);
      } finally {
        await server.stop();
      }
    });
    results.push(posted);
  }
  const middle = median(results.map((r) => r.ms));
  return results.find((r) => r.ms === middle) ?? results.sort((a, b) => a.ms - b.ms)[results.length >> 1]!;
}

async function webhooks(ctx: BenchContext): Promise<FigureResult> {
  const events = ctx.size(1_000);
  const now = Date.now();
  const bodiesOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => intakeBody(prefix, i, now));
  const measured = await withDatabase(await tempSqlite('webhooks'), async (db) => {
    await markPeriodicJobsDone(db, new Date(now));
    const stub = await startSlackStub();
    const app = await startCareBridgeProcess(benchEnv({ DATABASE_URL: db.url, SLACK_API_URL: stub.apiUrl }));
    try {
      const url = `${app.url}/intake/events`;
      await postAll(url, bodiesOf('warm', 50), () => 1);
      ctx.progress(`intake: posting ${count(events)} webhook events one by one, then in batches of ${BATCH}`);
      const single = await postAll(url, bodiesOf('ehr', events), () => 1);
      const batches: { events: IntakeBody[] }[] = [];
      const batchBodies = bodiesOf('batch', events);
      for (let i = 0; i < batchBodies.length; i += BATCH) batches.push({ events: batchBodies.slice(i, i + BATCH) });
      const batched = await postAll(url, batches, (b) => (b as { events: unknown[] }).events.length);
      return { single, warmRows: await rowsWritten(db, 'warm'), singleRows: await rowsWritten(db, 'ehr'), batched, batchRows: await rowsWritten(db, 'batch') };
    } finally {
      await app.stop();
      await stub.close();
    }
  });
  const runs = ctx.quick ? 2 : 3;
  ctx.progress(`intake: the bare HTTP floor, ${count(events)} events at c=${CONCURRENCY}, ${runs} times`);
  const floor = await httpFloor(measured.warmRows, measured.singleRows, runs);
  const batchFloor = await bulkFloor(measured.batchRows, runs);
  const { single, batched } = measured;
  return {
    name: `Intake webhooks, ${count(events)} events at c=${CONCURRENCY} [sqlite]`,
    value: single.ms,
    unit: 'ms',
    floor: floor.ms,
    floorName: `a bare node:http server inserting the same rows per request at c=${CONCURRENCY} (${describeRows(measured.singleRows)})`,
    goal: `ratio ≤ ${WEBHOOK_RATIO_GOAL}`,
    pass: single.ms / floor.ms <= WEBHOOK_RATIO_GOAL && single.created === events && single.errors === 0 && floor.errors === 0,
    note:
      `${count(single.created)} created (201), ${single.errors} errors; per request p50 ${single.latencies.percentile(50).toFixed(1)} ms, p99 ${single.latencies.percentile(99).toFixed(1)} ms ` +
      `(floor p50 ${floor.latencies.percentile(50).toFixed(1)} ms, p99 ${floor.latencies.percentile(99).toFixed(1)} ms); ` +
      `the same number as ${Math.ceil(events / BATCH)} batches of ${BATCH}: ${batched.ms.toFixed(0)} ms (${batched.created} created, ${batched.errors} errors), ${(batched.ms / batchFloor).toFixed(1)}× a bulk insert of its rows`,
  };
}

/** Figure 5: CSV import and webhook intake. */
export const intakeFigure: BenchFigure = {
  id: 'intake',
  title: 'Intake',
  run: async (ctx) => [await csvImport(ctx), await webhooks(ctx)],
};
