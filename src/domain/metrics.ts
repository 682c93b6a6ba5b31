/**
 * The weekly scorecard of SPEC §9: what each figure means and the arithmetic that
 * turns per-lane counts and samples into it. Pure: the metrics service gathers the
 * counts (SQL) and samples (business-time arithmetic) for one ISO week in the
 * practice zone, and this module does the rest, so every definition lives here once.
 *
 * A week is local Monday 00:00 to the next Monday 00:00 (`isoWeekRange`), written
 * [start, end) below; "by the week's end" means strictly before `end`. Rates whose
 * denominator is 0 are null (shown "—"), never 0 % or NaN.
 */
import { atLocalTime, addCalendarDays, isoWeekOf, practiceDate, type PracticeCalendar } from './calendar';
import { shiftIsoWeek } from './iso-week';
import { distribution, ratio, type Distribution, type Ratio } from './stats';
import { LANES, SYSTEM_ACTOR_ID, type Barrier, type Case, type CaseEvent, type LaneKey } from './types';

export { change, distribution, mean, median, percentile, ratio, type Distribution, type Ratio } from './stats';
export { isIsoWeek, shiftIsoWeek } from './iso-week';

/** The ISO week before the one `now` falls in (practice zone): the week a report on `now` covers. */
export function reportedWeek(cal: PracticeCalendar, now: Date): string {
  return shiftIsoWeek(isoWeekOf(cal, now), -1);
}

/** Barriers that count (a note saying "none" names no barrier). */
export const COUNTED_BARRIERS = [
  'fear_or_anxiety', 'confusion', 'transportation', 'work_schedule', 'technology', 'language',
  'cost', 'low_urgency_perception', 'phone_tag', 'insurance', 'other',
] as const satisfies readonly Barrier[];
export type CountedBarrier = (typeof COUNTED_BARRIERS)[number];

/** Age of an unresolved case at the week's end, in practice-calendar days since its trigger date. */
export const AGE_BUCKETS = ['0-2', '3-7', '8-14', '15-30', '31+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
/** Oldest age (days) in each bucket but the last; `ageBucketStarts` turns these into instants. */
export const AGE_BUCKET_MAX_DAYS = [2, 7, 14, 30] as const;

/**
 * Lower bounds (inclusive instants) of the age buckets but the last, youngest first: a case
 * triggered at or after `starts[0]` is 0–2 days old at the end of the week, and so on. Ages
 * are practice-calendar days from the trigger's local date to the week's last day, so each
 * bound is a local midnight and a daylight-saving change cannot move a case between buckets.
 */
export function ageBucketStarts(cal: PracticeCalendar, weekEnd: Date): Date[] {
  const lastDay = addCalendarDays(practiceDate(cal, weekEnd), -1);
  return AGE_BUCKET_MAX_DAYS.map((days) => atLocalTime(cal, addCalendarDays(lastDay, -days), '00:00'));
}

/**
 * Activities that count as movement on a case. Views, breach alerts, re-raised escalations and
 * escalations CareBridge raised by itself (actor `carebridge`) do not: nobody touched the case.
 */
export const MOVEMENT_ACTIONS = ['opened', 'claimed', 'noted', 'escalated', 'escalation_acknowledged', 'reopened', 'reassigned', 'closed'] as const;

/** Whether an audit event moved the case (MOVEMENT_ACTIONS, except escalations CareBridge raised itself). */
export function isMovement(event: Pick<CaseEvent, 'action' | 'actorId'>): boolean {
  return (MOVEMENT_ACTIONS as readonly string[]).includes(event.action) && !(event.action === 'escalated' && event.actorId === SYSTEM_ACTOR_ID);
}

/** Whole days since a case last moved, as a manager reads "12 days without movement". */
export function daysWithoutMovement(c: Pick<Case, 'lastMovedAt'>, now: Date): number {
  return Math.floor((now.getTime() - c.lastMovedAt.getTime()) / 86_400_000);
}

/** Raw per-lane counts for one week, as the metrics service gathers them. */
export interface LaneCounts {
  windowsDue: number;
  windowsMet: number;
  attempts: number;
  reached: number;
  closed: number;
  completed: number;
  /** Referrals closed `completed` (the loop question is asked only then). */
  loopAsked: number;
  loopTold: number;
  targetsDue: number;
  targetsMet: number;
  escalationsRaised: number;
  escalationsAcknowledged: number;
  escalationsPending: number;
  open: number;
  waitingOnPatient: number;
  overdue: number;
  noMovement7d: number;
  ages: Record<AgeBucket, number>;
  barriers: Record<CountedBarrier, number>;
}

/** Per-lane samples, each value already in its unit (business hours or business days). */
export interface LaneSamples {
  firstResponseHours: number[];
  completionDays: number[];
  ackHours: number[];
}

/** Everything `buildWeeklyMetrics` needs for one week. */
export interface WeekFacts {
  week: string;
  timeZone: string;
  start: Date;
  end: Date;
  laneLabels: Record<LaneKey, string>;
  lanes: Record<LaneKey, { counts: LaneCounts; samples: LaneSamples }>;
}

/** The week's figures for one lane, or for all lanes together. */
export interface LaneFigures {
  /**
   * First-response time, business hours from the trigger (`occurredAt`) to the first logged
   * contact attempt, over cases whose first attempt was logged in [start, end). Time outside
   * business hours, weekends and holidays does not count; an attempt on a holiday adds none.
   */
  firstResponseHours: Distribution;
  /**
   * % within window: cases whose first-response window ended (`firstResponseDueAt`) in
   * [start, end) ÷ of them, those with a first attempt at or before that due time. A case still
   * without an attempt counts as missed; one closed before its window ended without an
   * attempt (a duplicate, say) needed no response and is left out.
   */
  firstResponseWithinWindow: Ratio;
  /** Contact rate: patient contact attempts logged in [start, end) that reached the patient ÷ all of them. Attempts to an outside office are not patient outreach and do not count. */
  contactRate: Ratio;
  /**
   * Cases closed in [start, end) with outcome `completed` ÷ cases closed in [start, end). A case
   * counts once, with its last close of the week. For `referral` this is referral conversion;
   * for `missed_appointment`, no-show recovery.
   */
  completionRate: Ratio;
  /** Trigger to completion, business days from `occurredAt` to the close, over cases closed `completed` in [start, end). */
  triggerToCompletionDays: Distribution;
  /**
   * On time: cases whose resolution target (`resolutionDueAt`) fell in [start, end) ÷ of them,
   * those closed `completed` at or before it. Judged by the case's state at its target: one
   * closed with another outcome by then no longer needed the step and is left out; one still
   * open counts as late. For `post_visit` this is "post-visit on time".
   */
  resolvedOnTime: Ratio;
  /** Referral loop closed: referrals closed `completed` in [start, end) whose referring office was told ÷ those referrals. */
  referralLoopClosed: Ratio;
  escalations: {
    /** Escalations raised in [start, end). */
    raised: number;
    /** Escalations acknowledged in [start, end), whenever raised. */
    acknowledged: number;
    /** Escalations raised before `end` and not acknowledged by then. */
    pendingAtEnd: number;
    /** Business hours from raise to acknowledgement, over the escalations acknowledged in [start, end). */
    ackHours: Distribution;
  };
  /** Barriers: distinct cases with a note naming the barrier in [start, end) (several notes naming it count once). */
  barriers: Record<CountedBarrier, number>;
  /** Cases not closed at `end` (open, active, waiting or escalated), judged from the audit trail. */
  unresolved: {
    total: number;
    /** Whose latest note before `end` has status "waiting on patient". */
    waitingOnPatient: number;
    /** Past their resolution target at `end`. */
    overdue: number;
    /** With no movement (see MOVEMENT_ACTIONS: something a person did, or the case opening) in the 7 days [start, end). */
    noMovement7d: number;
    /** By whole practice-calendar days from the trigger date to the week's last day (Sunday). */
    byAge: Record<AgeBucket, number>;
  };
}

/** The weekly scorecard: per lane and overall. JSON-safe (instants as ISO strings). */
export interface WeeklyMetrics {
  week: string;
  timeZone: string;
  start: string;
  end: string;
  laneLabels: Record<LaneKey, string>;
  overall: LaneFigures;
  lanes: Record<LaneKey, LaneFigures>;
}

/** Counts of zero for one lane; the service fills in what it finds. */
export function emptyLaneCounts(): LaneCounts {
  return {
    windowsDue: 0, windowsMet: 0, attempts: 0, reached: 0, closed: 0, completed: 0, loopAsked: 0, loopTold: 0,
    targetsDue: 0, targetsMet: 0, escalationsRaised: 0, escalationsAcknowledged: 0, escalationsPending: 0,
    open: 0, waitingOnPatient: 0, overdue: 0, noMovement7d: 0,
    ages: Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<AgeBucket, number>,
    barriers: Object.fromEntries(COUNTED_BARRIERS.map((b) => [b, 0])) as Record<CountedBarrier, number>,
  };
}

/** Turns a week's counts and samples into per-lane and overall figures. */
export function buildWeeklyMetrics(facts: WeekFacts): WeeklyMetrics {
  const lanes = {} as Record<LaneKey, LaneFigures>;
  const total = emptyLaneCounts();
  const all: LaneSamples = { firstResponseHours: [], completionDays: [], ackHours: [] };
  for (const lane of LANES) {
    const { counts, samples } = facts.lanes[lane];
    lanes[lane] = figures(counts, samples);
    addCounts(total, counts);
    all.firstResponseHours.push(...samples.firstResponseHours);
    all.completionDays.push(...samples.completionDays);
    all.ackHours.push(...samples.ackHours);
  }
  return {
    week: facts.week,
    timeZone: facts.timeZone,
    start: facts.start.toISOString(),
    end: facts.end.toISOString(),
    laneLabels: { ...facts.laneLabels },
    overall: figures(total, all),
    lanes,
  };
}

function figures(c: LaneCounts, s: LaneSamples): LaneFigures {
  return {
    firstResponseHours: distribution(s.firstResponseHours),
    firstResponseWithinWindow: ratio(c.windowsMet, c.windowsDue),
    contactRate: ratio(c.reached, c.attempts),
    completionRate: ratio(c.completed, c.closed),
    triggerToCompletionDays: distribution(s.completionDays),
    resolvedOnTime: ratio(c.targetsMet, c.targetsDue),
    referralLoopClosed: ratio(c.loopTold, c.loopAsked),
    escalations: {
      raised: c.escalationsRaised,
      acknowledged: c.escalationsAcknowledged,
      pendingAtEnd: c.escalationsPending,
      ackHours: distribution(s.ackHours),
    },
    barriers: { ...c.barriers },
    unresolved: { total: c.open, waitingOnPatient: c.waitingOnPatient, overdue: c.overdue, noMovement7d: c.noMovement7d, byAge: { ...c.ages } },
  };
}

function addCounts(into: LaneCounts, from: LaneCounts): void {
  for (const key of Object.keys(from) as (keyof LaneCounts)[]) {
    const v = from[key];
    if (typeof v === 'number') (into[key] as number) += v;
  }
  for (const b of AGE_BUCKETS) into.ages[b] += from.ages[b];
  for (const b of COUNTED_BARRIERS) into.barriers[b] += from.barriers[b];
}

// ---- comparison with the week before ---------------------------------------------

/** A barrier's count this week and the week before (null when there is no week before to compare). */
export interface BarrierChange {
  barrier: CountedBarrier;
  count: number;
  previous: number | null;
  change: number | null;
}

/**
 * The `n` barriers named for the most cases this week (ties in the order of the note
 * form), with the change from the week before. Barriers with no case are left out.
 */
export function topBarriers(current: LaneFigures, previous: LaneFigures | null, n = 5): BarrierChange[] {
  return COUNTED_BARRIERS.map((barrier) => {
    const count = current.barriers[barrier];
    const before = previous ? previous.barriers[barrier] : null;
    return { barrier, count, previous: before, change: before === null ? null : count - before };
  })
    .filter((b) => b.count > 0)
    .sort((a, b) => b.count - a.count || COUNTED_BARRIERS.indexOf(a.barrier) - COUNTED_BARRIERS.indexOf(b.barrier))
    .slice(0, n);
}

/** The lane-specific figures SPEC §9 names, read from the per-lane figures. */
export interface HeadlineRates {
  /** `referral` completion rate. */
  referralConversion: Ratio;
  /** `missed_appointment` completion rate. */
  noShowRecovery: Ratio;
  /** `post_visit` resolved on time. */
  postVisitOnTime: Ratio;
  /** `referral` loop closed. */
  referralLoopClosed: Ratio;
}

/** Referral conversion, no-show recovery, post-visit on time and referral loop closed, from their lanes. */
export function headlineRates(m: WeeklyMetrics): HeadlineRates {
  return {
    referralConversion: m.lanes.referral.completionRate,
    noShowRecovery: m.lanes.missed_appointment.completionRate,
    postVisitOnTime: m.lanes.post_visit.resolvedOnTime,
    referralLoopClosed: m.lanes.referral.referralLoopClosed,
  };
}

/** One week of the trend. */
export interface TrendPoint {
  week: string;
  /** First-response windows that ended in the week and were met ÷ those windows (null: none ended). */
  withinWindowRate: number | null;
  /** Cases unresolved at the week's end, per lane (as in the scorecard). */
  unresolvedByLane: Record<LaneKey, number>;
}

/** The chart's input: weeks oldest first, and the practice's lane labels. */
export interface WeeklyTrend {
  weeks: TrendPoint[];
  laneLabels: Record<LaneKey, string>;
}
