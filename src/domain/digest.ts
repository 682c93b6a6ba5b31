/**
 * The daily digest and the stale list as people read them: per-lane queue figures
 * (grouped by location when open cases sit at more than one), the most overdue cases
 * and the cases longest without movement. Pure data and its assembly; no patient data
 * (each case's label is read at delivery).
 */
import type { DueKind, LaneQueueCounts, QueueCounts } from './queue';
import { sumQueueCounts } from './queue';
import { LANES, type LaneKey, type Tier } from './types';

/** An overdue case as the digest lists it. */
export interface DigestCase {
  caseId: number;
  number: string;
  lane: LaneKey;
  tier: Tier;
  ownerId: string | null;
  kind: DueKind;
  /** What was missed: an ISO instant (first response, resolution) or a date `YYYY-MM-DD` (next action). */
  due: string;
}

export interface DigestGroup {
  /** The location's name; null for cases without one (or the whole practice when not grouped). */
  location: string | null;
  totals: QueueCounts;
  lanes: LaneQueueCounts[];
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

/** An open case nobody has moved for the policy's `staleAfterDays`. */
export interface StaleCase {
  caseId: number;
  number: string;
  lane: LaneKey;
  ownerId: string | null;
  days: number;
  /** The case card, when it has been posted. */
  card: { channel: string; ts: string } | null;
}

export interface StaleList {
  afterDays: number;
  /** Every stale case, of which `cases` are the longest without movement. */
  total: number;
  cases: StaleCase[];
}

/** Stale cases the digest lists. */
export const DIGEST_STALE_MAX = 5;
/** Most overdue cases listed for the whole practice, or per location when grouped. */
export const MOST_OVERDUE = 10;
export const MOST_OVERDUE_PER_LOCATION = 5;
/** Locations given a case list; the rest show counts only (the message could not hold more). */
export const LOCATIONS_WITH_LISTS = 10;

/**
 * The digest's groups from per-location, per-lane figures: one per location when open
 * cases sit at more than one (busiest first, cases without a location last), else one
 * for the whole practice. Their most-overdue lists are filled in afterwards.
 */
export function digestGroups(rows: readonly (LaneQueueCounts & { location: string | null })[]): { grouped: boolean; groups: DigestGroup[] } {
  const byLocation = new Map<string | null, LaneQueueCounts[]>();
  for (const r of rows) byLocation.set(r.location, [...(byLocation.get(r.location) ?? []), r]);
  const grouped = byLocation.size > 1;
  const groups = grouped ? [...byLocation].map(([location, list]) => group(location, list)) : [group(null, rows)];
  groups.sort(
    (a, b) =>
      Number(a.location === null) - Number(b.location === null) ||
      b.totals.overdue - a.totals.overdue ||
      b.totals.open - a.totals.open ||
      (a.location ?? '').localeCompare(b.location ?? ''),
  );
  return { grouped, groups };
}

function group(location: string | null, rows: readonly LaneQueueCounts[]): DigestGroup {
  const lanes = LANES.map((lane) => ({ lane, ...sumQueueCounts(rows.filter((r) => r.lane === lane)) })).filter((l) => l.open > 0);
  return { location, totals: sumQueueCounts(rows), lanes, mostOverdue: [] };
}
