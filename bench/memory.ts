/**
 * Figure 6: peak resident memory of the running app (`carebridge start`, its own process)
 * with 100,000 open cases under the interaction load of figure 1, against the bare Bolt
 * app's peak under the same load.
 */
import { practiceDate } from '../src/domain/calendar';
import { defaultPolicy } from '../src/domain/policy';
import { interactionsOf, loadApp, loadBareApp } from './support/app-under-load';
import { tempSqlite, withDatabase } from './support/databases';
import type { BenchFigure } from './support/figure';
import { markPeriodicJobsDone } from './support/job-history';
import { seedOpenQueue } from './support/open-queue';
import { savedInteractions } from './support/saved-check';
import { startSlackStub } from './support/slack-stub';
import { count } from './support/count';

const GOAL_MB = 250;
/** The load stops taking new requests after this long: an app that cannot keep up is reported, not waited for. */
const DEADLINE_MS = 150_000;

/** Figure 6: peak RSS of the running app over 100,000 open cases. */
export const memoryFigure: BenchFigure = {
  id: 'memory',
  title: 'Memory',
  async run(ctx) {
    const open = ctx.size(100_000);
    const each = ctx.size(2_000);
    const warmup = ctx.quick ? 20 : 100;
    return withDatabase(await tempSqlite('memory'), async (db) => {
      const now = new Date();
      ctx.progress(`memory: seeding ${count(open)} open cases`);
      const queue = await seedOpenQueue(db, 'sqlite', { open, now: now.getTime(), today: practiceDate(defaultPolicy().calendar, now), toClaim: each + warmup, toNote: each + warmup });
      await markPeriodicJobsDone(db, now);
      const { warmup: warm, measured } = interactionsOf(queue, warmup);
      const stub = await startSlackStub();
      try {
        const bare = await loadBareApp({ stub, warmup: warm, measured });
        ctx.progress(`memory: CareBridge over ${count(open)} open cases, ${count(measured.length)} requests`);
        const deadlineMs = ctx.quick ? DEADLINE_MS / 5 : DEADLINE_MS;
        const app = await loadApp('carebridge', { databaseUrl: db.url, stub, warmup: warm, measured, deadlineMs, afterLoad: () => savedInteractions(db, queue) });
        if (app.peakRssMb === null) throw new Error('peak memory needs /proc (Linux)');
        const sent = app.load.sent < measured.length ? `; only ${count(app.load.sent)} of ${count(measured.length)} requests sent before the ${deadlineMs / 1000} s deadline` : '';
        return [
          {
            name: `Peak RSS, ${count(open)} open cases under the interaction load [sqlite]`,
            value: app.peakRssMb,
            unit: 'MB',
            floor: bare.peakRssMb,
            floorName: 'bare Bolt app under the same load',
            goal: `< ${GOAL_MB} MB`,
            pass: app.peakRssMb < GOAL_MB,
            note: `${app.startRssMb?.toFixed(0) ?? '?'} MB once started; p99 ${app.load.all.percentile(99).toFixed(0)} ms under this load; ${app.checked}${sent}`,
          },
        ];
      } finally {
        await stub.close();
      }
    });
  },
};
