/**
 * The daily digest: per-lane open, unclaimed, due-today and overdue counts and the most
 * overdue cases, grouped by location when open cases sit at more than one, and the
 * stale list; queued as one message for the coordinators channel.
 */
import { addCalendarDays, atLocalTime, practiceDate } from '../domain/calendar';
import {
  DIGEST_STALE_MAX,
  LOCATIONS_WITH_LISTS,
  MOST_OVERDUE,
  MOST_OVERDUE_PER_LOCATION,
  digestGroups,
  type DailyDigest,
} from '../domain/digest';
import type { Policy } from '../domain/policy';
import { earliestMissed, sumQueueCounts, type Missed } from '../domain/queue';
import type { Case } from '../domain/types';
import { enqueue } from './outbox';
import type { DigestClock, Stores } from './ports';
import { loadStaleList } from './stale-work';

/** The instants and practice date the queue figures are counted against at `now`. */
export function queueClock(policy: Policy, now: Date): DigestClock {
  const cal = policy.calendar;
  const today = practiceDate(cal, now);
  return { now, today, dayStart: atLocalTime(cal, today, '00:00'), dayEnd: atLocalTime(cal, addCalendarDays(today, 1), '00:00') };
}

/** The digest's figures and lists as of `now`. */
export async function computeDigest(stores: Stores, policy: Policy, now: Date): Promise<DailyDigest> {
  const cal = policy.calendar;
  const at = queueClock(policy, now);
  const today = at.today;
  const rows = await stores.digest.laneCounts(at);
  const { grouped, groups } = digestGroups(rows);
  for (const [i, g] of groups.entries()) {
    if (g.totals.overdue === 0 || i >= LOCATIONS_WITH_LISTS) continue;
    const limit = grouped ? MOST_OVERDUE_PER_LOCATION : MOST_OVERDUE;
    const candidates = await stores.digest.overdueCandidates(at, limit, grouped ? g.location : undefined);
    g.mostOverdue = candidates
      .map((c) => ({ c, missed: earliestMissed(cal, c, now, today) }))
      .filter((x): x is { c: Case; missed: Missed } => x.missed !== null)
      .sort((a, b) => a.missed.since - b.missed.since || a.c.id - b.c.id)
      .slice(0, limit)
      .map(({ c, missed }) => ({ caseId: c.id, number: c.number, lane: c.lane, tier: c.tier, ownerId: c.ownerId, kind: missed.kind, due: missed.due }));
  }
  const stale = await loadStaleList(stores, policy, now, DIGEST_STALE_MAX);
  return { date: today, at: now.toISOString(), grouped, totals: sumQueueCounts(rows), groups, stale };
}

/** Counts the digest as of `now` and queues it for the coordinators channel (`date`: the practice date). */
export async function queueDailyDigest(stores: Stores, policy: Policy, now: Date, date: string): Promise<DailyDigest> {
  const digest = await computeDigest(stores, policy, now);
  await enqueue(stores, { kind: 'daily_digest', date, digest }, now);
  return digest;
}
