/**
 * Figure 3 (and 7 on PostgreSQL): the weekly report job end to end over a year of a large
 * practice (1,000,000 case events): the reported week, the week before it and the 8-week
 * trend, as the managers-channel deliverer computes them (ReportService.weeklyComparison,
 * then weeklyTrend), against one SQL pass that counts those events.
 *
 * Timed warm: the weeks before the reported one are already stored (last Monday's report
 * stored them), so the job counts the reported week once and reads the other seven. Also
 * measured, in the note: the cold start (nothing stored: the first report after the
 * upgrade counts all eight weeks and stores them) and a re-run with everything stored.
 */
import { isoWeekOf, isoWeekRange } from '../src/domain/calendar';
import { shiftIsoWeek } from '../src/domain/iso-week';
import { defaultPolicy } from '../src/domain/policy';
import { FixedClock } from '../src/clock';
import { ReportService } from '../src/services/metrics-service';
import type { Engine } from '../src/store/db';
import { benchEngines, settle, tempDatabase, withDatabase, type BenchDatabase } from './support/databases';
import type { BenchFigure, FigureResult } from './support/figure';
import { seedYear } from './support/metrics-year';
import { tallyQueries } from './support/query-tally';
import { count } from './support/count';
import { median, medianTime, timed } from './support/timing';
import { MetricsStore } from '../src/store/metrics-store';

/** The Wednesday after the reported week (the report runs on Monday; any day after reads the same). */
const NOW = new Date('2026-11-25T10:00:00-05:00');
const RATIO_GOAL = 3;
const TIME_GOAL_MS = 1_000;
const CHART_WEEKS = 8;

/** The floor: one pass over the case events up to the week's end, counted by action. */
async function countEvents(db: BenchDatabase, end: number): Promise<number> {
  const result = await db.knex.raw('SELECT action, COUNT(*) AS n FROM case_events WHERE at < ? GROUP BY action', [end]);
  const rows = (db.engine === 'postgres' ? result.rows : result) as { n: number | string }[];
  return rows.reduce((sum, r) => sum + Number(r.n), 0);
}

/** Figure 3 (and 7): the weekly report job over a year of events. */
export const weeklyMetricsFigure: BenchFigure = {
  id: 'metrics',
  title: 'Weekly report job',
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
          const reports = new ReportService(new MetricsStore(db.knex), policy, new FixedClock(NOW));
          const job = async () => {
            await reports.weeklyComparison(week);
            await reports.weeklyTrend(week, CHART_WEEKS);
          };
          const clear = (which: 'all' | 'reported') =>
            which === 'all' ? db.knex('weekly_lane_figures').delete() : db.knex('weekly_lane_figures').where('week', week).delete();

          ctx.progress(`metrics [${engine}]: the ${week} report job, cold and warm`);
          // Cold: nothing stored yet (the first report after the upgrade); this also warms the page cache.
          const colds: number[] = [];
          for (let i = 0; i < (ctx.quick ? 1 : 2); i++) {
            await clear('all');
            colds.push(await timed(job));
          }
          // Warm: every week before the reported one stored, the reported week counted and stored.
          await clear('reported');
          const { tally } = await tallyQueries(db.knex, job);
          const value = await medianTime(async () => {
            await clear('reported');
            await job();
          }, { runs: ctx.quick ? 2 : 3, warmup: 0 });
          const rerun = await medianTime(job, { runs: 3, warmup: 0 });
          let counted = 0;
          const floor = await medianTime(async () => (counted = await countEvents(db, end)), { runs: 3 });
          const ratio = value / floor;
          return {
            name: `Weekly report job ${week} (week, week before, ${CHART_WEEKS}-week trend), ${count(year.events)} case events [${engine}]`,
            value,
            unit: 'ms',
            floor,
            floorName: `one pass counting the ${count(counted)} events by action`,
            goal: `ratio ≤ ${RATIO_GOAL} and < ${TIME_GOAL_MS / 1000} s`,
            pass: ratio <= RATIO_GOAL && value < TIME_GOAL_MS,
            note:
              `${count(year.cases)} cases, ${count(year.notes)} notes; earlier weeks stored, ${week} counted: ${tally.statements} SQL statements, ` +
              `${tally.sqlMs.toFixed(0)} ms in SQL; cold start (nothing stored, ${CHART_WEEKS} weeks counted) ${median(colds).toFixed(0)} ms; ` +
              `all weeks stored ${rerun.toFixed(0)} ms`,
          } satisfies FigureResult;
        }),
      );
    }
    return results;
  },
};
