import type { Knex } from 'knex';
import type { Case, LaneKey } from '../domain/types';
import type { DigestClock, DigestPort, LaneCountsRow } from '../services/ports';
import { rowToCase } from './rows';

// The definitions of domain/queue.ts (caseDue, isOverdue), as SQL over cases that are not closed:
// overdue = first response missed, next promised action's date passed, or resolution target passed;
// due today = what the case is due for next (first response, else next action, else resolution) falls today.
// Every term is TRUE or FALSE, never NULL (a NULL next_action_due would make NOT OVERDUE unknown).
const OVERDUE = `((first_response_at IS NULL AND first_response_due_at <= :now) OR (next_action_due IS NOT NULL AND next_action_due < :today) OR resolution_due_at <= :now)`;
const DUE_TODAY = `((first_response_at IS NULL AND first_response_due_at >= :dayStart AND first_response_due_at < :dayEnd)
  OR (first_response_at IS NOT NULL AND next_action_due = :today)
  OR (first_response_at IS NOT NULL AND next_action_due IS NULL AND resolution_due_at >= :dayStart AND resolution_due_at < :dayEnd))`;

/** The daily digest's reads: SQL aggregation for the figures, short indexed lists for the most overdue. */
export class DigestStore implements DigestPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Open, unclaimed, due-today and overdue counts per location and lane, over every case not closed. */
  async laneCounts(at: DigestClock): Promise<LaneCountsRow[]> {
    const bindings = { now: at.now.getTime(), today: at.today, dayStart: at.dayStart.getTime(), dayEnd: at.dayEnd.getTime() };
    const rows = await this.db('cases')
      .whereRaw(`state <> 'closed'`)
      .groupBy('location', 'lane')
      .select('location', 'lane')
      .select(this.db.raw('COUNT(*) AS open_count'))
      .select(this.db.raw('SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END) AS unclaimed_count'))
      .select(this.db.raw(`SUM(CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END) AS overdue_count`, bindings))
      .select(this.db.raw(`SUM(CASE WHEN NOT ${OVERDUE} AND ${DUE_TODAY} THEN 1 ELSE 0 END) AS due_today_count`, bindings));
    return rows.map((r) => ({
      location: (r.location as string | null) ?? null,
      lane: r.lane as LaneKey,
      open: Number(r.open_count),
      unclaimed: Number(r.unclaimed_count ?? 0),
      dueToday: Number(r.due_today_count ?? 0),
      overdue: Number(r.overdue_count ?? 0),
    }));
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
