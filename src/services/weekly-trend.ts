/**
 * The series the weekly chart draws: for each of the last weeks, the share of first-response
 * windows met and the cases unresolved at the week's end by lane. Weeks that are over come
 * from the stored weekly figures (counted and stored once, see metrics-service.ts); a week not
 * over yet is counted afresh, only those two figures, in one read snapshot.
 */
import { isoWeekRange } from '../domain/calendar';
import { ratio, shiftIsoWeek, type TrendPoint, type WeeklyTrend } from '../domain/metrics';
import type { Policy } from '../domain/policy';
import { LANES, type LaneKey } from '../domain/types';
import { weekIsSettled, weeksFacts } from './weekly-figures';
import type { MetricsPort } from './ports';

/**
 * The `weeks` weeks ending with `week` (inclusive), oldest first. Given `now`, weeks over by
 * then are read from (or added to) the stored figures; without it every week is counted afresh.
 */
export async function weeklyTrend(metrics: MetricsPort, policy: Policy, week: string, weeks = 8, now?: Date): Promise<WeeklyTrend> {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new RangeError(`weeks must be a whole number from 1 to 104, not ${weeks}`);
  const cal = policy.calendar;
  const labels = Array.from({ length: weeks }, (_, i) => shiftIsoWeek(week, i - weeks + 1));
  const settled = labels.filter((label) => weekIsSettled(policy, label, now));
  const stored = new Map<string, TrendPoint>();
  if (settled.length > 0) {
    for (const [label, facts] of await weeksFacts(metrics, policy, settled, now)) {
      let due = 0;
      let met = 0;
      const unresolvedByLane = Object.fromEntries(LANES.map((l) => [l, 0])) as Record<LaneKey, number>;
      for (const lane of LANES) {
        due += facts.lanes[lane].counts.windowsDue;
        met += facts.lanes[lane].counts.windowsMet;
        unresolvedByLane[lane] = facts.lanes[lane].counts.open;
      }
      stored.set(label, { week: label, withinWindowRate: ratio(met, due).rate, unresolvedByLane });
    }
  }
  const points = await metrics.snapshot(async (q) => {
    const out: TrendPoint[] = [];
    for (const label of labels) {
      const known = stored.get(label);
      if (known) {
        out.push(known);
        continue;
      }
      const { start, end } = isoWeekRange(cal, label);
      const w = { start: start.getTime(), end: end.getTime() };
      let due = 0;
      let met = 0;
      for (const r of await q.windowsByLane(w)) {
        if (!(LANES as readonly string[]).includes(r.lane)) continue;
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
