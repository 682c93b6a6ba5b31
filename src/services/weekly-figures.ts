/**
 * One ISO week's per-lane counts and samples (WeekFacts), counted from the audit trail, and
 * kept once the week is over.
 *
 * A week that is over (SETTLE_MS past its end) is counted once and its per-lane figures
 * stored (`MetricsPort.storeWeeks`); later reports read them back instead of recounting, so
 * the comparison week and the trend cost a few rows each. That is sound because a finished
 * week's figures cannot change: every audit event, note, escalation and first response is
 * written at the time it happens (never back-dated), lanes, trigger times and due times are
 * fixed when a case is created, and the counting reads only what the trail held by the
 * week's end. The stored rows are keyed by the practice calendar (`calendarKey`), since the
 * week's bounds and the business-time figures depend on it.
 */
import { createHash } from 'node:crypto';
import { businessDayMinutes, businessMinutesBetween, isoWeekRange, type PracticeCalendar } from '../domain/calendar';
import {
  AGE_BUCKETS,
  COUNTED_BARRIERS,
  ageBucketStarts,
  emptyLaneCounts,
  type CountedBarrier,
  type LaneCounts,
  type LaneSamples,
  type WeekFacts,
} from '../domain/metrics';
import type { Policy } from '../domain/policy';
import { LANES, type LaneKey } from '../domain/types';
import type { BacklogRow, CloseRow, MetricsPort, MetricsReads, StoredLaneWeek, TargetRow, WeekBounds } from './ports';

/**
 * How long after its end a week's figures are stored: long enough for any transaction that
 * was writing the week's last events to have committed, and for a few minutes of clock
 * difference between processes.
 */
export const SETTLE_MS = 60 * 60_000;

/** The digest that tells stored figures of one practice calendar from another's. */
export function calendarKey(cal: PracticeCalendar): string {
  const canonical = JSON.stringify([cal.timeZone, [...cal.businessDays].sort(), cal.open, cal.close, [...cal.holidays].sort()]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Whether `week`'s figures can be stored (or read from storage) at `now`. */
export function weekIsSettled(policy: Policy, week: string, now: Date | undefined): boolean {
  return now !== undefined && isoWeekRange(policy.calendar, week).end.getTime() + SETTLE_MS <= now.getTime();
}

/**
 * The facts of each week, from one snapshot: stored figures for settled weeks that have them,
 * counted afresh for the rest. Settled weeks counted here are stored afterwards (outside the
 * read snapshot, which is read-only on PostgreSQL).
 */
export async function weeksFacts(metrics: MetricsPort, policy: Policy, weeks: string[], now?: Date): Promise<Map<string, WeekFacts>> {
  const key = calendarKey(policy.calendar);
  const settled = [...new Set(weeks.filter((week) => weekIsSettled(policy, week, now)))];
  const counted: WeekFacts[] = [];
  const out = await metrics.snapshot(async (q) => {
    const found = new Map<string, WeekFacts>();
    for (const [week, stored] of groupByWeek(await q.storedWeeks(settled, key))) {
      const facts = factsFromStored(policy, week, stored);
      if (facts) found.set(week, facts);
    }
    const result = new Map<string, WeekFacts>();
    for (const week of weeks) {
      let facts = found.get(week) ?? result.get(week);
      if (!facts) {
        facts = await weekFacts(q, policy, week);
        if (settled.includes(week)) counted.push(facts);
      }
      result.set(week, facts);
    }
    return result;
  });
  if (counted.length > 0) await metrics.storeWeeks(counted.flatMap((f) => storedRows(f, key)), now!);
  return out;
}

function groupByWeek(rows: StoredLaneWeek[]): Map<string, StoredLaneWeek[]> {
  const byWeek = new Map<string, StoredLaneWeek[]>();
  for (const r of rows) byWeek.set(r.week, [...(byWeek.get(r.week) ?? []), r]);
  return byWeek;
}

/** A week's facts from its stored rows, or null unless every lane is there with the week's bounds. */
function factsFromStored(policy: Policy, week: string, rows: StoredLaneWeek[]): WeekFacts | null {
  const { start, end } = isoWeekRange(policy.calendar, week);
  const lanes = {} as WeekFacts['lanes'];
  for (const lane of LANES) {
    const row = rows.find((r) => r.lane === lane);
    if (!row || row.start !== start.getTime() || row.end !== end.getTime()) return null;
    lanes[lane] = { counts: row.counts, samples: row.samples };
  }
  return { week, timeZone: policy.calendar.timeZone, start, end, laneLabels: laneLabels(policy), lanes };
}

function storedRows(f: WeekFacts, calendarKey: string): StoredLaneWeek[] {
  return LANES.map((lane) => ({ week: f.week, lane, calendarKey, start: f.start.getTime(), end: f.end.getTime(), ...f.lanes[lane] }));
}

function laneLabels(policy: Policy): Record<LaneKey, string> {
  return Object.fromEntries(LANES.map((lane) => [lane, policy.lanes[lane].label])) as Record<LaneKey, string>;
}

/** One week's counts and samples, counted from the audit trail. */
async function weekFacts(q: MetricsReads, policy: Policy, week: string): Promise<WeekFacts> {
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

  return { week, timeZone: cal.timeZone, start, end, laneLabels: laneLabels(policy), lanes };
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
