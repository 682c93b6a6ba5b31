/**
 * Figure 3 (and 7 on PostgreSQL): the weekly scorecard of the last full week over a
 * year of a large practice (1,000,000 case events), against one SQL pass that counts
 * those events.
 */
import { isoWeekOf, isoWeekRange } from '../src/domain/calendar';
import { shiftIsoWeek } from '../src/domain/iso-week';
import { defaultPolicy } from '../src/domain/policy';
import { computeWeeklyComparison, computeWeeklyMetrics } from '../src/services/metrics-service';
import type { Engine } from '../src/store/db';
import { benchEngines, settle, tempDatabase, withDatabase, type BenchDatabase } from './support/databases';
import type { BenchFigure, FigureResult } from './support/figure';
import { seedYear } from './support/metrics-year';
import { tallyQueries } from './support/query-tally';
import { count } from './support/count';
import { medianTime, timed } from './support/timing';
import { MetricsStore } from '../src/store/metrics-store';

/** The Wednesday after the reported week (the report runs on Monday; any day after reads the same). */
const NOW = new Date('2026-11-25T10:00:00-05:00');
const RATIO_GOAL = 3;
const TIME_GOAL_MS = 2_000;

/** The floor: one pass over the case events up to the week's end, counted by action. */
async function countEvents(db: BenchDatabase, end: number): Promise<number> {
  const result = await db.knex.raw('SELECT action, COUNT(*) AS n FROM case_events WHERE at < ? GROUP BY action', [end]);
  const rows = (db.engine === 'postgres' ? result.rows : result) as { n: number | string }[];
  return rows.reduce((sum, r) => sum + Number(r.n), 0);
}

/** Figure 3 (and 7): the weekly scorecard over a year of events. */
export const weeklyMetricsFigure: BenchFigure = {
  id: 'metrics',
  title: 'Weekly metrics',
  async run(ctx) {
    const results: FigureResult[] = [];
    const policy = defaultPolicy();
    const week = shiftIsoWeek(isoWeekOf(policy.calendar, NOW), -1);
    const end = isoWeekRange(policy.calendar, week).end.getTime();
    const events = ctx.size(1_000_000);
    for (const engine of benchEngines() as Engine[]) {
      results.push(
        await withDatabase(await tempDatabase(engine, 'metrics'), async (db) => {
          ctx.progress(`metrics [${engine}]: seeding a year of ${count(events)} case events`);
          const year = await seedYear(db, engine, { now: NOW.getTime(), events });
          await settle(db);
          ctx.progress(`metrics [${engine}]: computing ${week}`);
          const { tally } = await tallyQueries(db.knex, () => computeWeeklyMetrics(new MetricsStore(db.knex), policy, week));
          const value = await medianTime(() => computeWeeklyMetrics(new MetricsStore(db.knex), policy, week), { runs: ctx.quick ? 2 : 3, warmup: 0 });
          let counted = 0;
          const floor = await medianTime(async () => (counted = await countEvents(db, end)), { runs: 3 });
          const report = await timed(() => computeWeeklyComparison(new MetricsStore(db.knex), policy, week));
          const ratio = value / floor;
          return {
            name: `Weekly metrics ${week}, ${count(year.events)} case events [${engine}]`,
            value,
            unit: 'ms',
            floor,
            floorName: `one pass counting the ${count(counted)} events by action`,
            goal: `ratio ≤ ${RATIO_GOAL} and < ${TIME_GOAL_MS / 1000} s`,
            pass: ratio <= RATIO_GOAL && value < TIME_GOAL_MS,
            note: `${count(year.cases)} cases, ${count(year.notes)} notes; ${tally.statements} SQL statements, ${tally.sqlMs.toFixed(0)} ms in SQL; report with the week before ${report.toFixed(0)} ms`,
          } satisfies FigureResult;
        }),
      );
    }
    return results;
  },
};
