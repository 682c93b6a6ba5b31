import type { Knex } from 'knex';
import type { Case, LaneKey } from '../domain/types';
import type { DigestClock, DigestPort, LaneCountsRow, OpenCountsRow } from '../services/ports';
import { rowToCase } from './rows';

/**
 * The daily digest's reads (and App Home's figures): per-lane figures from maintained
 * counters and indexed ranges, short indexed lists for the most overdue.
 */
export class DigestStore implements DigestPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /**
   * Open, unclaimed, due-today and overdue counts per location and lane, over every case not
   * closed, without reading every open case: open and unclaimed from `queue_counts` (kept by
   * triggers on every write), overdue from the range `overdue_at <= now`, due today from the
   * range of `next_due_at` within today, of cases not overdue (see domain/queue.ts
   * `queueKeys`: not overdue means due now or later, so at or after today's start).
   */
  async laneCounts(at: DigestClock): Promise<LaneCountsRow[]> {
    const now = at.now.getTime();
    const [counters, overdue, dueToday] = await Promise.all([
      this.openCounts(),
      this.db('cases')
        .whereRaw(`state <> 'closed'`)
        .where('overdue_at', '<=', now)
        .groupBy('location', 'lane')
        .select('location', 'lane')
        .count<{ location: string | null; lane: string; n: number | string }[]>('* as n'),
      this.db('cases')
        .whereRaw(`state <> 'closed'`)
        .where('next_due_at', '>=', at.dayStart.getTime())
        .where('next_due_at', '<', at.dayEnd.getTime())
        .where('overdue_at', '>', now)
        .groupBy('location', 'lane')
        .select('location', 'lane')
        .count<{ location: string | null; lane: string; n: number | string }[]>('* as n'),
    ]);
    const key = (location: string | null, lane: string) => `${location ?? ''}\u0000${lane}`;
    const overdueBy = new Map(overdue.map((r) => [key(r.location, r.lane), Number(r.n)]));
    const dueTodayBy = new Map(dueToday.map((r) => [key(r.location, r.lane), Number(r.n)]));
    return counters.map((r) => ({ ...r, dueToday: dueTodayBy.get(key(r.location, r.lane)) ?? 0, overdue: overdueBy.get(key(r.location, r.lane)) ?? 0 }));
  }

  /** Open and unclaimed counts per location and lane, from `queue_counts` alone: a few rows, whatever the queue. */
  async openCounts(): Promise<OpenCountsRow[]> {
    const rows = await this.db('queue_counts').where('open_count', '>', 0).select('location', 'lane', 'open_count', 'unclaimed_count');
    // The counters key "no location" as ''; intake never stores an empty location.
    return rows.map((r) => ({ location: r.location === '' ? null : String(r.location), lane: r.lane as LaneKey, open: Number(r.open_count), unclaimed: Number(r.unclaimed_count) }));
  }

  /**
   * Candidates for the most overdue open cases at a location (undefined: everywhere): the first
   * `limit` by each overdue rule, whose union holds the `limit` most overdue by any rule.
   */
  async overdueCandidates(at: DigestClock, limit: number, location?: string | null): Promise<Case[]> {
    const scoped = () => {
      const q = this.db('cases').select('cases.*').whereRaw(`cases.state <> 'closed'`);
      if (location === null) q.whereNull('cases.location');
      else if (location !== undefined) q.where('cases.location', location);
      return q;
    };
    const lists = [
      await scoped().whereRaw('cases.first_response_at IS NULL').where('cases.first_response_due_at', '<=', at.now.getTime()).orderBy('cases.first_response_due_at').orderBy('cases.id').limit(limit),
      await scoped().where('cases.next_action_due', '<', at.today).orderBy('cases.next_action_due').orderBy('cases.id').limit(limit),
      await scoped().where('cases.resolution_due_at', '<=', at.now.getTime()).orderBy('cases.resolution_due_at').orderBy('cases.id').limit(limit),
    ];
    const byId = new Map<number, Case>();
    for (const row of lists.flat()) byId.set(Number(row.id), rowToCase(row));
    return [...byId.values()];
  }
}
