/**
 * Figure 5: intake. A 10,000-row CSV file through `importCsvFile` (what `carebridge import`
 * runs), and 1,000 trigger events posted one by one to POST /intake/events of the running
 * app at 20 in flight; each against a bulk insert of the same case rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../src/clock';
import { newCaseFromEvent } from '../src/domain/new-case';
import { defaultPolicy } from '../src/domain/policy';
import { validateTriggerEvent } from '../src/domain/trigger-event';
import { importCsvFile } from '../src/intake/csv-import';
import { CaseService } from '../src/services/case-service';
import { caseToRow } from '../src/store/rows';
import { createStores } from '../src/store/stores';
import { startCareBridgeProcess } from './support/app-process';
import { INTAKE_TOKEN, benchEnv } from './support/bench-config';
import { bulkInsert } from './support/bulk-insert';
import { scratchDir, tempSqlite, withDatabase } from './support/databases';
import type { BenchContext, BenchFigure, FigureResult } from './support/figure';
import { inFlight } from './support/in-flight';
import { markPeriodicJobsDone } from './support/job-history';
import { intakeBody, intakeCsv, type IntakeBody } from './support/intake-events';
import { startSlackStub } from './support/slack-stub';
import { count } from './support/text';
import { Latencies, median, timed } from './support/timing';

const RATIO_GOAL = 3;
const CONCURRENCY = 20;

/** The case rows the events become, as the service would write them (built before timing). */
function caseRowsOf(bodies: readonly IntakeBody[], now: Date): Record<string, unknown>[] {
  const policy = defaultPolicy();
  return bodies.map((body) => {
    const checked = validateTriggerEvent(body, { now, requireExternalId: true });
    if (!checked.ok) throw new Error(`bench intake event ${body.externalId} is invalid: ${JSON.stringify(checked.errors)}`);
    return caseToRow(newCaseFromEvent(policy, checked.value, now));
  });
}

/** The floor: the rows bulk inserted into a fresh database, median of `runs`. */
async function bulkFloor(rows: Record<string, unknown>[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const ms = await withDatabase(await tempSqlite('intake-floor'), (db) => timed(() => bulkInsert(db.knex, 'sqlite', 'cases', rows)));
    if (i > 0) times.push(ms); // the first is a warm-up
  }
  return median(times);
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
  for (let i = 0; i <= runs; i++) {
    const ms = await withDatabase(await tempSqlite('csv-import'), (db) =>
      timed(async () => {
        const policy = defaultPolicy();
        const cases = new CaseService({ stores: createStores(db.knex), clock: systemClock, policy });
        created = (await importCsvFile(path, { cases, clock: systemClock })).created;
      }),
    );
    if (i > 0) times.push(ms); // the first is a warm-up
  }
  const value = median(times);
  const floor = await bulkFloor(caseRowsOf(bodies, now), runs);
  return {
    name: `CSV import, ${count(rows)} rows [sqlite]`,
    value,
    unit: 'ms',
    floor,
    floorName: 'bulk insert of the same case rows',
    goal: `ratio ≤ ${RATIO_GOAL}`,
    pass: value / floor <= RATIO_GOAL && created === rows,
    note: `${count(created)} cases created per run (with their audit entries and card messages)`,
  };
}

async function webhooks(ctx: BenchContext): Promise<FigureResult> {
  const events = ctx.size(1_000);
  const now = new Date();
  const warmup = Array.from({ length: 50 }, (_, n) => intakeBody('warm', n, now.getTime()));
  const bodies = Array.from({ length: events }, (_, n) => intakeBody('ehr', n, now.getTime()));
  const latencies = new Latencies();
  let created = 0;
  let errors = 0;
  const wall = await withDatabase(await tempSqlite('webhooks'), async (db) => {
    await markPeriodicJobsDone(db, now);
    const stub = await startSlackStub();
    const app = await startCareBridgeProcess(benchEnv({ DATABASE_URL: db.url, SLACK_API_URL: stub.apiUrl }));
    try {
      const post = async (body: IntakeBody, measure: boolean) => {
        const start = performance.now();
        try {
          const res = await fetch(`${app.url}/intake/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          await res.arrayBuffer();
          if (measure && res.status === 201) created += 1;
          else if (measure) errors += 1;
        } catch {
          if (measure) errors += 1;
        }
        if (measure) latencies.record(performance.now() - start);
      };
      await inFlight(warmup, CONCURRENCY, (b) => post(b, false));
      ctx.progress(`intake: posting ${count(events)} webhook events`);
      return await timed(() => inFlight(bodies, CONCURRENCY, (b) => post(b, true)));
    } finally {
      await app.stop();
      await stub.close();
    }
  });
  const floor = await bulkFloor(caseRowsOf(bodies, now), ctx.quick ? 2 : 3);
  return {
    name: `Intake webhooks, ${count(events)} events at c=${CONCURRENCY} [sqlite]`,
    value: wall,
    unit: 'ms',
    floor,
    floorName: 'bulk insert of the same case rows',
    goal: `ratio ≤ ${RATIO_GOAL}`,
    pass: wall / floor <= RATIO_GOAL && created === events,
    note: `${count(created)} created (201), ${errors} errors; per request p50 ${latencies.percentile(50).toFixed(1)} ms, p99 ${latencies.percentile(99).toFixed(1)} ms`,
  };
}

export const intakeFigure: BenchFigure = {
  id: 'intake',
  title: 'Intake',
  run: async (ctx) => [await csvImport(ctx), await webhooks(ctx)],
};
