/**
 * What a case is due for next, whether it is overdue, and the per-lane queue
 * figures (open, unclaimed, due today, overdue) that App Home and lists show.
 * Pure: every function is given `now`.
 */
import { atLocalTime, practiceDate, type PracticeCalendar } from './calendar';
import { isFirstResponseBreached, isNextActionOverdue, isResolutionOverdue } from './sla';
import { LANES, type Case, type LaneKey } from './types';

/** What the next due time of a case is about. */
export type DueKind = 'first_response' | 'next_action' | 'resolution';

export interface CaseDue {
  kind: DueKind;
  at: Date;
}

type DueFields = Pick<Case, 'state' | 'firstResponseAt' | 'firstResponseDueAt' | 'nextActionDue' | 'resolutionDueAt'>;

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
  return isFirstResponseBreached(c, now) || isNextActionOverdue(cal, c, now) || isResolutionOverdue(c, now);
}

/** Open cases sorted by their next due time (earliest first; case id breaks ties). */
export function byDue<T extends DueFields & Pick<Case, 'id'>>(cal: PracticeCalendar, cases: readonly T[]): T[] {
  const keyed = cases.map((c) => ({ c, at: caseDue(cal, c).at.getTime() }));
  keyed.sort((a, b) => a.at - b.at || a.c.id - b.c.id);
  return keyed.map((k) => k.c);
}

export interface LaneFigures {
  lane: LaneKey;
  open: number;
  unclaimed: number;
  /** Not overdue, and due on today's practice date. */
  dueToday: number;
  overdue: number;
}

/** Per-lane figures over the cases that are not closed, in the order of LANES. */
export function laneFigures(cal: PracticeCalendar, cases: readonly (DueFields & Pick<Case, 'lane' | 'ownerId'>)[], now: Date): LaneFigures[] {
  const today = practiceDate(cal, now);
  const figures = new Map<LaneKey, LaneFigures>(LANES.map((lane) => [lane, { lane, open: 0, unclaimed: 0, dueToday: 0, overdue: 0 }]));
  for (const c of cases) {
    if (c.state === 'closed') continue;
    const f = figures.get(c.lane)!;
    f.open += 1;
    if (c.ownerId === null) f.unclaimed += 1;
    if (isOverdue(cal, c, now)) f.overdue += 1;
    else if (practiceDate(cal, caseDue(cal, c).at) === today) f.dueToday += 1;
  }
  return [...figures.values()];
}
