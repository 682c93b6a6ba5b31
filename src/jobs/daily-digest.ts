/**
 * `daily-digest` (business days 08:00; period: the practice date): per-lane open,
 * unclaimed, due-today and overdue counts and the most overdue cases, grouped by
 * location when open cases sit at more than one. Computed in the run's transaction
 * and queued as one outbox message for the coordinators channel.
 */
import { addCalendarDays, atLocalTime, isBusinessDay, practiceDate, type PracticeCalendar } from '../domain/calendar';
import { LANES, type Case, type LaneKey, type Tier } from '../domain/types';
import type { Policy } from '../domain/policy';
import { OUTBOX } from '../services/outbox-kinds';
import { loadStaleList, type StaleList } from '../services/stale-work';
import type { DigestClock, LaneCountsRow } from '../services/ports';
import type { Stores } from '../services/ports';
import type { Job } from './job-runner';

export type OverdueKind = 'first_response' | 'next_action' | 'resolution';

export interface QueueCounts {
  open: number;
  unclaimed: number;
  dueToday: number;
  overdue: number;
}

/** An overdue case as the digest lists it (no patient data: the label is read at delivery). */
export interface DigestCase {
  caseId: number;
  number: string;
  lane: LaneKey;
  tier: Tier;
  ownerId: string | null;
  kind: OverdueKind;
  /** What was missed: an ISO instant (first response, resolution) or a date `YYYY-MM-DD` (next action). */
  due: string;
}

export interface DigestGroup {
  /** The location's name; null for cases without one (or the whole practice when not grouped). */
  location: string | null;
  totals: QueueCounts;
  lanes: (QueueCounts & { lane: LaneKey })[];
  mostOverdue: DigestCase[];
}

export interface DailyDigest {
  date: string;
  /** When the figures were counted (ISO). */
  at: string;
  /** True when the practice has open cases at more than one location. */
  grouped: boolean;
  totals: QueueCounts;
  groups: DigestGroup[];
  /** The cases longest without movement (absent in digests queued before this was counted). */
  stale?: StaleList;
}

/** Stale cases the digest lists. */
export const DIGEST_STALE_MAX = 5;

/** Most overdue cases listed for the whole practice, or per location when grouped. */
export const MOST_OVERDUE = 10;
export const MOST_OVERDUE_PER_LOCATION = 5;
/** Locations given a case list; the rest show counts only (the message could not hold more). */
export const LOCATIONS_WITH_LISTS = 10;

export const dailyDigest: Job = {
  name: 'daily-digest',
  periodOf(policy, now) {
    const date = practiceDate(policy.calendar, now);
    return isBusinessDay(policy.calendar, date) ? { period: date } : { skip: `${date} is not a business day (weekend or holiday)` };
  },
  async run({ tx, policy, now, period }) {
    const digest = await computeDigest(tx, policy, now);
    await tx.outbox.enqueue(OUTBOX.dailyDigest, period, digest, now);
    const t = digest.totals;
    return `digest queued for the coordinators channel (${t.open} open, ${t.unclaimed} unclaimed, ${t.dueToday} due today, ${t.overdue} overdue)`;
  },
};

/** The digest's figures and lists as of `now`. */
export async function computeDigest(stores: Stores, policy: Policy, now: Date): Promise<DailyDigest> {
  const cal = policy.calendar;
  const today = practiceDate(cal, now);
  const at: DigestClock = { now, today, dayStart: atLocalTime(cal, today, '00:00'), dayEnd: atLocalTime(cal, addCalendarDays(today, 1), '00:00') };
  const rows = await stores.digest.laneCounts(at);
  const byLocation = new Map<string | null, LaneCountsRow[]>();
  for (const r of rows) byLocation.set(r.location, [...(byLocation.get(r.location) ?? []), r]);
  const grouped = byLocation.size > 1;
  const groups: DigestGroup[] = grouped
    ? [...byLocation].map(([location, list]) => group(location, list))
    : [group(null, rows)];
  // Busiest first; cases without a location last.
  groups.sort((a, b) => Number(a.location === null) - Number(b.location === null) || b.totals.overdue - a.totals.overdue || b.totals.open - a.totals.open || (a.location ?? '').localeCompare(b.location ?? ''));
  for (const [i, g] of groups.entries()) {
    if (g.totals.overdue === 0 || i >= LOCATIONS_WITH_LISTS) continue;
    const limit = grouped ? MOST_OVERDUE_PER_LOCATION : MOST_OVERDUE;
    const candidates = await stores.digest.overdueCandidates(at, limit, grouped ? g.location : undefined);
    g.mostOverdue = candidates
      .map((c) => ({ c, missed: mostOverdueBy(cal, c, now, today) }))
      .filter((x): x is { c: Case; missed: { kind: OverdueKind; since: number; due: string } } => x.missed !== null)
      .sort((a, b) => a.missed.since - b.missed.since || a.c.id - b.c.id)
      .slice(0, limit)
      .map(({ c, missed }) => ({ caseId: c.id, number: c.number, lane: c.lane, tier: c.tier, ownerId: c.ownerId, kind: missed.kind, due: missed.due }));
  }
  const stale = await loadStaleList(stores, policy, now, DIGEST_STALE_MAX);
  return { date: today, at: now.toISOString(), grouped, totals: sum(rows), groups, stale };
}

function group(location: string | null, rows: LaneCountsRow[]): DigestGroup {
  const lanes = LANES.map((lane) => ({ lane, ...sum(rows.filter((r) => r.lane === lane)) })).filter((l) => l.open > 0);
  return { location, totals: sum(rows), lanes, mostOverdue: [] };
}

function sum(rows: QueueCounts[]): QueueCounts {
  const t = { open: 0, unclaimed: 0, dueToday: 0, overdue: 0 };
  for (const r of rows) {
    t.open += r.open;
    t.unclaimed += r.unclaimed;
    t.dueToday += r.dueToday;
    t.overdue += r.overdue;
  }
  return t;
}

/** The earliest thing an open case missed, or null when it is not overdue. */
export function mostOverdueBy(cal: PracticeCalendar, c: Case, now: Date, today: string): { kind: OverdueKind; since: number; due: string } | null {
  const missed: { kind: OverdueKind; since: number; due: string }[] = [];
  if (c.firstResponseAt === null && c.firstResponseDueAt <= now) missed.push({ kind: 'first_response', since: c.firstResponseDueAt.getTime(), due: c.firstResponseDueAt.toISOString() });
  if (c.nextActionDue !== null && c.nextActionDue < today) {
    missed.push({ kind: 'next_action', since: atLocalTime(cal, addCalendarDays(c.nextActionDue, 1), '00:00').getTime(), due: c.nextActionDue });
  }
  if (c.resolutionDueAt <= now) missed.push({ kind: 'resolution', since: c.resolutionDueAt.getTime(), due: c.resolutionDueAt.toISOString() });
  return missed.sort((a, b) => a.since - b.since)[0] ?? null;
}
