/**
 * What a case is due for next, whether it is overdue, and the per-lane queue
 * figures (open, unclaimed, due today, overdue) that App Home and lists show.
 * Pure: every function is given `now`.
 */
import { addCalendarDays, atLocalTime, practiceDate, type PracticeCalendar } from './calendar';
import { isFirstResponseBreached, isNextActionOverdueOn, isResolutionOverdue } from './sla';
import { LANES, type Case, type LaneKey } from './types';

/** What the next due time of a case is about. */
export type DueKind = 'first_response' | 'next_action' | 'resolution';

export interface CaseDue {
  kind: DueKind;
  at: Date;
}

type DueFields = Pick<Case, 'state' | 'firstResponseAt' | 'firstResponseDueAt' | 'nextActionDue' | 'resolutionDueAt'>;

/** What a queue list needs of a case to sort and count it: no patient fields, no texts. */
export type QueueRow = DueFields & Pick<Case, 'id' | 'lane' | 'ownerId' | 'backupId'>;

/**
 * The next thing a case is due for: its first response until one is logged, then
 * the next promised action (a date, due by the end of that practice day), else
 * its resolution target.
 */
export function caseDue(cal: PracticeCalendar, c: DueFields): CaseDue {
  if (c.firstResponseAt === null) return { kind: 'first_response', at: c.firstResponseDueAt };
  if (c.nextActionDue) return { kind: 'next_action', at: atLocalTime(cal, c.nextActionDue, '23:59') };
  return { kind: 'resolution', at: c.resolutionDueAt };
}

/** True when an open case missed its first response, its next promised action or its resolution target. */
export function isOverdue(cal: PracticeCalendar, c: DueFields, now: Date): boolean {
  return overdueOn(c, now, practiceDate(cal, now));
}

/** The overdue rule (SPEC §8), written once: `isOverdue` with today's practice date already known. */
function overdueOn(c: DueFields, now: Date, today: string): boolean {
  return isFirstResponseBreached(c, now) || isNextActionOverdueOn(c, today) || isResolutionOverdue(c, now);
}

/** What an overdue case missed, and since when (ms): the digest lists cases by the earliest. */
export interface Missed {
  kind: DueKind;
  since: number;
  /** An ISO instant (first response, resolution) or a date `YYYY-MM-DD` (next action). */
  due: string;
}

/** The earliest thing an open case missed as of `now` (by the rule of `isOverdue`), or null when it is not overdue. */
export function earliestMissed(cal: PracticeCalendar, c: DueFields, now: Date, today = practiceDate(cal, now)): Missed | null {
  const missed: Missed[] = [];
  if (isFirstResponseBreached(c, now)) missed.push({ kind: 'first_response', since: c.firstResponseDueAt.getTime(), due: c.firstResponseDueAt.toISOString() });
  if (isNextActionOverdueOn(c, today)) missed.push({ kind: 'next_action', since: nextActionMissedAt(cal, c.nextActionDue!), due: c.nextActionDue! });
  if (isResolutionOverdue(c, now)) missed.push({ kind: 'resolution', since: c.resolutionDueAt.getTime(), due: c.resolutionDueAt.toISOString() });
  return missed.sort((a, b) => a.since - b.since)[0] ?? null;
}

/** When a next promised action dated `date` is missed: the first instant of the practice day after it. */
function nextActionMissedAt(cal: PracticeCalendar, date: string): number {
  return atLocalTime(cal, addCalendarDays(date, 1), '00:00').getTime();
}

/**
 * What a case's row keeps so that queues are read with bounded SQL (store/case-store.ts
 * writes them with every case): `nextDueAt`, the instant of `caseDue` (lists are ordered
 * by it), and `overdueAt`, the instant the case becomes overdue if nothing changes: the
 * earliest `since` that `earliestMissed` could report. For a case not closed,
 * `isOverdue(cal, c, now)` holds exactly when `now >= overdueAt` (the rule stays the one
 * above; test/domain/queue.test.ts checks the two agree at the edges, daylight-saving days
 * included).
 */
export function queueKeys(cal: PracticeCalendar, c: DueFields): { nextDueAt: number; overdueAt: number } {
  const candidates = [c.resolutionDueAt.getTime()];
  if (c.firstResponseAt === null) candidates.push(c.firstResponseDueAt.getTime());
  if (c.nextActionDue !== null) candidates.push(nextActionMissedAt(cal, c.nextActionDue));
  return { nextDueAt: caseDue(cal, c).at.getTime(), overdueAt: Math.min(...candidates) };
}

/**
 * The same answers as `caseDue` and `isOverdue` for many cases at one instant: the
 * practice date and the end of each target day are worked out once, not per case,
 * so a queue of 100,000 cases sorts and counts in milliseconds.
 */
export function queueMoment(cal: PracticeCalendar, now: Date) {
  const today = practiceDate(cal, now);
  const dueMs = dueTimes(cal);
  return {
    today,
    /** The instant the case is next due (see caseDue). */
    dueMs,
    /** See isOverdue. */
    isOverdue: (c: DueFields): boolean => overdueOn(c, now, today),
    /** The first instant of tomorrow in the practice calendar. */
    endOfToday: atLocalTime(cal, addCalendarDays(today, 1), '00:00').getTime(),
  };
}

/** `caseDue(...).at` in milliseconds, remembering the end of each target day it has worked out. */
function dueTimes(cal: PracticeCalendar): (c: DueFields) => number {
  const endOfTargetDay = new Map<string, number>();
  return (c) => {
    if (c.firstResponseAt === null) return c.firstResponseDueAt.getTime();
    if (!c.nextActionDue) return c.resolutionDueAt.getTime();
    let at = endOfTargetDay.get(c.nextActionDue);
    if (at === undefined) endOfTargetDay.set(c.nextActionDue, (at = atLocalTime(cal, c.nextActionDue, '23:59').getTime()));
    return at;
  };
}

/** Open cases sorted by their next due time (earliest first; case id breaks ties). */
export function byDue<T extends DueFields & Pick<Case, 'id'>>(cal: PracticeCalendar, cases: readonly T[]): T[] {
  const dueMs = dueTimes(cal);
  const keyed = cases.map((c) => ({ c, at: dueMs(c) }));
  keyed.sort((a, b) => a.at - b.at || a.c.id - b.c.id);
  return keyed.map((k) => k.c);
}

/** The queue figures of some open cases: App Home, lists and the daily digest count these. */
export interface QueueCounts {
  open: number;
  unclaimed: number;
  /** Not overdue, and due on today's practice date. */
  dueToday: number;
  overdue: number;
}

/** One lane's queue figures. */
export type LaneQueueCounts = QueueCounts & { lane: LaneKey };

/** The sum of some queue figures. */
export function sumQueueCounts(rows: readonly QueueCounts[]): QueueCounts {
  const t = { open: 0, unclaimed: 0, dueToday: 0, overdue: 0 };
  for (const r of rows) {
    t.open += r.open;
    t.unclaimed += r.unclaimed;
    t.dueToday += r.dueToday;
    t.overdue += r.overdue;
  }
  return t;
}

/** Per-lane figures over the cases that are not closed, in the order of LANES. */
export function laneFigures(cal: PracticeCalendar, cases: readonly (DueFields & Pick<Case, 'lane' | 'ownerId'>)[], now: Date): LaneQueueCounts[] {
  const moment = queueMoment(cal, now);
  const figures = new Map<LaneKey, LaneQueueCounts>(LANES.map((lane) => [lane, { lane, open: 0, unclaimed: 0, dueToday: 0, overdue: 0 }]));
  for (const c of cases) {
    if (c.state === 'closed') continue;
    const f = figures.get(c.lane)!;
    f.open += 1;
    if (c.ownerId === null) f.unclaimed += 1;
    // Not overdue means due now or later; due today means before tomorrow begins.
    if (moment.isOverdue(c)) f.overdue += 1;
    else if (moment.dueMs(c) < moment.endOfToday) f.dueToday += 1;
  }
  return [...figures.values()];
}
