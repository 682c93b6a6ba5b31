/**
 * The series the weekly chart draws: for each of the last weeks, the share of first-response
 * windows met and the cases unresolved at the week's end by lane. Only those two figures are
 * computed (not the whole scorecard), in one read snapshot, so eight weeks stay quick.
 */
import { isoWeekRange } from '../domain/calendar';
import { ratio, shiftIsoWeek, type TrendPoint, type WeeklyTrend } from '../domain/metrics';
import type { Policy } from '../domain/policy';
import { LANES, type LaneKey } from '../domain/types';
import type { MetricsPort } from './ports';

/** The `weeks` weeks ending with `week` (inclusive), oldest first. */
export async function weeklyTrend(metrics: MetricsPort, policy: Policy, week: string, weeks = 8): Promise<WeeklyTrend> {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new RangeError(`weeks must be a whole number from 1 to 104, not ${weeks}`);
  const cal = policy.calendar;
  const labels = Array.from({ length: weeks }, (_, i) => shiftIsoWeek(week, i - weeks + 1));
  const points = await metrics.snapshot(async (q) => {
    const out: TrendPoint[] = [];
    for (const label of labels) {
      const { start, end } = isoWeekRange(cal, label);
      const w = { start: start.getTime(), end: end.getTime() };
      let due = 0;
      let met = 0;
      for (const r of await q.windowsByLane(w)) {
        due += r.due;
        met += r.met;
      }
      const unresolvedByLane = Object.fromEntries(LANES.map((l) => [l, 0])) as Record<LaneKey, number>;
      for (const r of await q.unresolvedCountByLane(w)) {
        if ((LANES as readonly string[]).includes(r.lane)) unresolvedByLane[r.lane as LaneKey] += r.open;
      }
      out.push({ week: label, withinWindowRate: ratio(met, due).rate, unresolvedByLane });
    }
    return out;
  });
  const laneLabels = Object.fromEntries(LANES.map((l) => [l, policy.lanes[l].label])) as Record<LaneKey, string>;
  return { weeks: points, laneLabels };
}
