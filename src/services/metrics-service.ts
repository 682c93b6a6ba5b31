/**
 * Computes the weekly scorecard (SPEC §9) for an ISO week in the practice zone: SQL
 * aggregation for the counts, business-time arithmetic for the week's own cases, and
 * the definitions and statistics of domain/metrics.ts for the rest.
 */
import { businessDayMinutes, businessMinutesBetween, isoWeekRange, type PracticeCalendar } from '../domain/calendar';
import {
  AGE_BUCKETS,
  COUNTED_BARRIERS,
  ageBucketStarts,
  buildWeeklyMetrics,
  emptyLaneCounts,
  shiftIsoWeek,
  type CountedBarrier,
  type LaneCounts,
  type LaneSamples,
  type WeekFacts,
  type WeeklyMetrics,
} from '../domain/metrics';
import type { Policy } from '../domain/policy';
import { LANES, type LaneKey } from '../domain/types';
import type { WeeklyTrend } from '../domain/metrics';
import { enqueue } from './outbox';
import { weeklyTrend } from './weekly-trend';
import type { BacklogRow, CloseRow, MetricsPort, MetricsReads, Stores, TargetRow, WeekBounds } from './ports';


/** A week's figures with the week before's, for week-over-week changes. */
export interface WeeklyComparison {
  current: WeeklyMetrics;
  previous: WeeklyMetrics;
}

/** The weekly report's figures for the Slack layer and the command line: each read from one snapshot. */
export class ReportService {
  constructor(private readonly metrics: MetricsPort, private readonly policy: Policy) {}

  /** The scorecard for `week` and the week before it. */
  weeklyComparison(week: string): Promise<WeeklyComparison> {
    return computeWeeklyComparison(this.metrics, this.policy, week);
  }

  /** The chart's series: the `weeks` weeks ending with `week`. */
  weeklyTrend(week: string, weeks: number): Promise<WeeklyTrend> {
    return weeklyTrend(this.metrics, this.policy, week, weeks);
  }
}

/** Queues the weekly report of `week` for the managers channel, in the caller's transaction. */
export async function queueWeeklyReport(stores: Pick<Stores, 'outbox'>, week: string, now: Date): Promise<void> {
  await enqueue(stores, { kind: 'weekly_report', week }, now);
}

/**
 * The scorecard for ISO week `week` (`YYYY-Www`); throws RangeError on a malformed or
 * nonexistent week. Reads only what the audit trail held by the week's end, so re-running
 * it later (a back-filled report) gives the same figures.
 */
export async function computeWeeklyMetrics(metrics: MetricsPort, policy: Policy, week: string): Promise<WeeklyMetrics> {
  return metrics.snapshot((q) => weekMetrics(q, policy, week));
}

/** The scorecard for `week` and for the week before it, read from one snapshot. */
export async function computeWeeklyComparison(metrics: MetricsPort, policy: Policy, week: string): Promise<WeeklyComparison> {
  const previousWeek = shiftIsoWeek(week, -1);
  return metrics.snapshot(async (q) => ({ current: await weekMetrics(q, policy, week), previous: await weekMetrics(q, policy, previousWeek) }));
}

async function weekMetrics(q: MetricsReads, policy: Policy, week: string): Promise<WeeklyMetrics> {
  const cal = policy.calendar;
  const { start, end } = isoWeekRange(cal, week);
  const w: WeekBounds = { start: start.getTime(), end: end.getTime() };
  const lanes = Object.fromEntries(LANES.map((lane) => [lane, { counts: emptyLaneCounts(), samples: emptySamples() }])) as WeekFacts['lanes'];
  // One lane's accumulators, or null for a lane this policy does not know (never counted).
  const at = (lane: string) => ((LANES as readonly string[]).includes(lane) ? lanes[lane as LaneKey] : null);
  // Floored at 0: a source system's clock a little ahead can log a trigger after the first attempt.
  const hours = (from: number, to: number) => Math.max(0, businessMinutesBetween(cal, new Date(from), new Date(to))) / 60;

  // Sequential on purpose: SQLite has one connection, and PostgreSQL gains little here.
  for (const r of await q.windowsByLane(w)) addTo(at(r.lane)?.counts, { windowsDue: r.due, windowsMet: r.met });
  for (const r of await q.firstResponses(w)) at(r.lane)?.samples.firstResponseHours.push(hours(r.occurredAt, r.respondedAt));
  for (const r of await q.contactsByLane(w)) addTo(at(r.lane)?.counts, { attempts: r.attempts, reached: r.reached });
  for (const r of await q.barriersByLane(w)) {
    const counts = at(r.lane)?.counts;
    if (counts && (COUNTED_BARRIERS as readonly string[]).includes(r.barrier)) counts.barriers[r.barrier as CountedBarrier] += r.cases;
  }
  addCloses(cal, await q.closesInWeek(w), at);
  for (const t of await q.targetsInWeek(w)) {
    const verdict = targetVerdict(t);
    if (verdict !== 'excused') addTo(at(t.lane)?.counts, { targetsDue: 1, targetsMet: verdict === 'met' ? 1 : 0 });
  }
  for (const r of await q.escalationCountsByLane(w)) addTo(at(r.lane)?.counts, { escalationsRaised: r.raised, escalationsPending: r.pending });
  for (const r of await q.acknowledgements(w)) {
    const lane = at(r.lane);
    addTo(lane?.counts, { escalationsAcknowledged: 1 });
    lane?.samples.ackHours.push(hours(r.raisedAt, r.acknowledgedAt));
  }
  const ageStarts = ageBucketStarts(cal, end).map((d) => d.getTime());
  for (const r of await q.backlogByLane(w, ageStarts)) addBacklog(at(r.lane)?.counts, r);

  const laneLabels = Object.fromEntries(LANES.map((lane) => [lane, policy.lanes[lane].label])) as Record<LaneKey, string>;
  return buildWeeklyMetrics({ week, timeZone: cal.timeZone, start, end, laneLabels, lanes });
}

function emptySamples(): LaneSamples {
  return { firstResponseHours: [], completionDays: [], ackHours: [] };
}

function addTo(counts: LaneCounts | undefined, add: Partial<Record<keyof LaneCounts, number>>): void {
  if (!counts) return;
  for (const [key, value] of Object.entries(add)) (counts[key as keyof LaneCounts] as number) += value ?? 0;
}

interface CloseFacts {
  outcome: string | null;
  loopClosed: boolean | null;
}

/** Outcome and loop answer of a close: from the event (the audit trail), else from the case row if it is that close. */
function closeFacts(after: string | null, fallback?: CloseRow): CloseFacts {
  const parsed = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  if (typeof parsed.outcome === 'string') {
    return { outcome: parsed.outcome, loopClosed: typeof parsed.loopClosed === 'boolean' ? parsed.loopClosed : null };
  }
  if (fallback && fallback.caseClosedAt === fallback.at) return { outcome: fallback.caseOutcome, loopClosed: fallback.caseLoopClosed };
  return { outcome: null, loopClosed: null };
}

/** Each case once, with its last close of the week (rows arrive oldest first per case). */
function addCloses(cal: PracticeCalendar, rows: CloseRow[], at: (lane: string) => { counts: LaneCounts; samples: LaneSamples } | null): void {
  const last = new Map<number, CloseRow>();
  for (const r of rows) last.set(r.caseId, r);
  const dayMinutes = businessDayMinutes(cal);
  for (const r of last.values()) {
    const lane = at(r.lane);
    if (!lane) continue;
    const { outcome, loopClosed } = closeFacts(r.after, r);
    lane.counts.closed += 1;
    if (outcome !== 'completed') continue;
    lane.counts.completed += 1;
    const minutes = Math.max(0, businessMinutesBetween(cal, new Date(r.occurredAt), new Date(r.at)));
    lane.samples.completionDays.push(minutes / dayMinutes);
    if (r.lane === 'referral') {
      lane.counts.loopAsked += 1;
      if (loopClosed === true) lane.counts.loopTold += 1;
    }
  }
}

/** A resolution target judged by the case's state at it: met, missed, or excused (closed otherwise by then). */
function targetVerdict(t: TargetRow): 'met' | 'missed' | 'excused' {
  const lastChange = t.history.at(-1);
  if (!lastChange || lastChange.action === 'reopened') return 'missed';
  return closeFacts(lastChange.after).outcome === 'completed' ? 'met' : 'excused';
}

function addBacklog(counts: LaneCounts | undefined, r: BacklogRow): void {
  if (!counts) return;
  counts.open += r.open;
  counts.overdue += r.overdue;
  counts.waitingOnPatient += r.waitingOnPatient;
  counts.noMovement7d += r.noMovement;
  // Cumulative "triggered at or after" counts, youngest first, become bucket counts.
  const bounds = [...r.atLeast, r.open];
  AGE_BUCKETS.forEach((bucket, i) => {
    counts.ages[bucket] += bounds[i]! - (i === 0 ? 0 : bounds[i - 1]!);
  });
}
