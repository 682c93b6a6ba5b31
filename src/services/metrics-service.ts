/**
 * Computes the weekly scorecard (SPEC §9) for an ISO week in the practice zone: SQL
 * aggregation for the counts, business-time arithmetic for the week's own cases, and
 * the definitions and statistics of domain/metrics.ts for the rest.
 *
 * Weeks that are over come from the stored weekly figures (weekly-figures.ts).
 */
import { buildWeeklyMetrics, shiftIsoWeek, type WeeklyMetrics, type WeeklyTrend } from '../domain/metrics';
import type { Policy } from '../domain/policy';
import type { Clock } from '../clock';
import { enqueue } from './outbox';
import { weeksFacts } from './weekly-figures';
import { weeklyTrend } from './weekly-trend';
import type { MetricsPort, Stores } from './ports';

/** A week's figures with the week before's, for week-over-week changes. */
export interface WeeklyComparison {
  current: WeeklyMetrics;
  previous: WeeklyMetrics;
}

/** The weekly report's figures for the Slack layer and the command line: each read from one snapshot. */
export class ReportService {
  constructor(private readonly metrics: MetricsPort, private readonly policy: Policy, private readonly clock?: Clock) {}

  /** The scorecard for `week` and the week before it. */
  weeklyComparison(week: string): Promise<WeeklyComparison> {
    return computeWeeklyComparison(this.metrics, this.policy, week, this.clock?.now());
  }

  /** The chart's series: the `weeks` weeks ending with `week`. */
  weeklyTrend(week: string, weeks: number): Promise<WeeklyTrend> {
    return weeklyTrend(this.metrics, this.policy, week, weeks, this.clock?.now());
  }
}

/** Queues the weekly report of `week` for the managers channel, in the caller's transaction. */
export async function queueWeeklyReport(stores: Pick<Stores, 'outbox'>, week: string, now: Date): Promise<void> {
  await enqueue(stores, { kind: 'weekly_report', week }, now);
}

/**
 * The scorecard for ISO week `week` (`YYYY-Www`); throws RangeError on a malformed or
 * nonexistent week. Reads only what the audit trail held by the week's end, so re-running
 * it later (a back-filled report) gives the same figures. Given `now`, a week over by then
 * is read from (or added to) the stored figures; without it everything is counted afresh.
 */
export async function computeWeeklyMetrics(metrics: MetricsPort, policy: Policy, week: string, now?: Date): Promise<WeeklyMetrics> {
  const facts = await weeksFacts(metrics, policy, [week], now);
  return buildWeeklyMetrics(facts.get(week)!);
}

/** The scorecard for `week` and for the week before it, read from one snapshot (see computeWeeklyMetrics for `now`). */
export async function computeWeeklyComparison(metrics: MetricsPort, policy: Policy, week: string, now?: Date): Promise<WeeklyComparison> {
  const previousWeek = shiftIsoWeek(week, -1);
  const facts = await weeksFacts(metrics, policy, [week, previousWeek], now);
  return { current: buildWeeklyMetrics(facts.get(week)!), previous: buildWeeklyMetrics(facts.get(previousWeek)!) };
}

