/**
 * "Monday 08:00": the app's own event-loop delay (max and p99, read inside the app
 * process) while 20 people click and the morning's jobs run in the same process: the SLA
 * sweep every 5 seconds, the daily digest and the weekly report with its chart (their
 * schedules set so they fire during the load). The delay is what every Slack request,
 * intake call and /healthz waits on top of its own work. Measured from the start of the
 * load until the weekly report reached Slack (it is delivered last, behind the load's card
 * updates, as its priority says) or the cap.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { practiceDate } from '../src/domain/calendar';
import { defaultPolicy } from '../src/domain/policy';
import { JOBS } from '../src/jobs/jobs';
import { SIGNING_SECRET } from '../test/support/slack-payloads';
import { startCareBridgeProcess } from './support/app-process';
import { CONCURRENCY, interactionsOf } from './support/app-under-load';
import { benchEnv } from './support/bench-config';
import { count } from './support/count';
import { scratchDir, tempSqlite, withDatabase } from './support/databases';
import type { BenchFigure } from './support/figure';
import { markPeriodicJobsDone } from './support/job-history';
import { loopProbe } from './support/loop-probe';
import { seedOpenQueue } from './support/open-queue';
import { runInteractions } from './support/slack-load';
import { startSlackStub } from './support/slack-stub';

const GOAL_MS = 50;
const SLACK_LATENCY_MS = 150;
/** Stop waiting for the weekly report this long after the load ended. */
const REPORT_CAP_MS = 150_000;

export const mondayFigure: BenchFigure = {
  id: 'monday',
  title: 'Event-loop delay on a Monday morning',
  async run(ctx) {
    const open = ctx.size(10_000);
    const each = ctx.size(2_000);
    const warmup = ctx.quick ? 20 : 100;
    return withDatabase(await tempSqlite('monday'), async (db) => {
      const now = new Date();
      const policy = defaultPolicy();
      ctx.progress(`monday: seeding ${count(open)} open cases`);
      const queue = await seedOpenQueue(db, 'sqlite', { open, now: now.getTime(), today: practiceDate(policy.calendar, now), toClaim: each + warmup, toNote: each + warmup });
      // Already sent at start-up (no catch-up before the measurement); re-opened below, just before the load.
      await markPeriodicJobsDone(db, now);
      const policyFile = join(scratchDir(), 'monday-policy.json');
      writeFileSync(policyFile, JSON.stringify({ schedules: { slaSweep: '*/5 * * * * *', dailyDigest: '*/5 * * * * *', weeklyReport: '*/5 * * * * *' } }));
      const { warmup: warm, measured } = interactionsOf(queue, warmup);
      const stub = await startSlackStub({ latencyMs: SLACK_LATENCY_MS });
      const probe = loopProbe('monday');
      const app = await startCareBridgeProcess(
        benchEnv({ DATABASE_URL: db.url, SLACK_API_URL: stub.apiUrl, SLACK_SIGNING_SECRET: SIGNING_SECRET, POLICY_FILE: policyFile, ...probe.env }),
      );
      try {
        await runInteractions(app.url, warm, { concurrency: CONCURRENCY });
        // The morning's sweep, digest and report are due again: the next 5-second tick runs them, during the load.
        const periods = [JOBS['sla-sweep'], JOBS['daily-digest'], JOBS['weekly-report']].flatMap((job) => {
          const p = job.periodOf(policy, new Date());
          return 'skip' in p ? [] : [{ job: job.name, period: p.period }];
        });
        for (const p of periods) await db.knex('job_runs').where(p).delete();
        const uploadsBefore = stub.calls.get('files.completeUploadExternal') ?? 0;
        await probe.read(app.pid);
        ctx.progress(`monday: ${count(measured.length)} requests while the jobs run`);
        const started = Date.now();
        const load = await runInteractions(app.url, measured, { concurrency: CONCURRENCY });
        const duringLoad = await probe.read(app.pid);
        const loadEnded = Date.now();
        ctx.progress('monday: waiting for the weekly report to reach Slack');
        while ((stub.calls.get('files.completeUploadExternal') ?? 0) === uploadsBefore && Date.now() - loadEnded < REPORT_CAP_MS) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const reportAt = (stub.calls.get('files.completeUploadExternal') ?? 0) > uploadsBefore ? (Date.now() - started) / 1000 : null;
        const afterLoad = await probe.read(app.pid);
        const ran = await db.knex('job_runs').where('started_at', '>=', started).select('job');
        const breaches = Number((await db.knex('breach_alerts').count({ n: '*' }))[0]?.n ?? 0);
        const jobs = ['sla-sweep', 'daily-digest', 'weekly-report'].map((j) => `${j} ×${ran.filter((r) => r.job === j).length}`).join(', ');
        const max = Math.max(duringLoad.maxMs, afterLoad.maxMs);
        return [
          {
            name: `Event-loop delay (max), ${count(measured.length)} requests at c=${CONCURRENCY} with the morning's jobs, ${count(open)} open [sqlite]`,
            value: max,
            unit: 'ms',
            floor: null,
            goal: `max < ${GOAL_MS} ms`,
            pass: max < GOAL_MS && reportAt !== null && load.errors === 0,
            note:
              `during the ${(load.wallMs / 1000).toFixed(1)} s load: max ${duringLoad.maxMs.toFixed(0)} ms, p99 ${duringLoad.p99Ms.toFixed(0)} ms, request p99 ${load.all.percentile(99).toFixed(0)} ms, ${load.errors} errors; ` +
              `${count(breaches)} breach alerts recorded; then until the report: max ${afterLoad.maxMs.toFixed(0)} ms, p99 ${afterLoad.p99Ms.toFixed(0)} ms; jobs run: ${jobs}; ` +
              (reportAt === null ? `the weekly report had not reached Slack ${REPORT_CAP_MS / 1000} s after the load` : `weekly report delivered ${reportAt.toFixed(0)} s after the load began`),
          },
        ];
      } finally {
        await app.stop();
        await stub.close();
      }
    });
  },
};
