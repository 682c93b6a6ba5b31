/**
 * The SQL behind the weekly scorecard and its trend chart. Counting over many rows is done by the database
 * (grouped by lane); only the week's own cases come back row by row, where business-time
 * arithmetic needs them. Written for SQLite and PostgreSQL alike: instants are epoch-ms
 * integers compared with bound numbers, every flag is a `CASE … THEN 1 ELSE 0` sum (no
 * boolean arithmetic), no division happens in SQL, and every count is read through
 * `Number()` because PostgreSQL returns bigint sums.
 */
import type { Knex } from 'knex';
import { AGE_BUCKETS, COUNTED_BARRIERS, MOVEMENT_ACTIONS, type LaneCounts, type LaneSamples } from '../domain/metrics';
import { LANES, SYSTEM_ACTOR_ID, type LaneKey } from '../domain/types';
import type { BacklogRow, CloseRow, MetricsPort, MetricsReads, StoredLaneWeek, TargetRow, WeekBounds } from '../services/ports';

type Row = Record<string, unknown>;
const n = (v: unknown): number => Number(v ?? 0);
const HISTORY = ['closed', 'reopened'];

/**
 * First-response windows that ended in the week, per lane: how many, and how many had an
 * attempt by their due time. Cases CareBridge heard of only after the week are left out
 * (the report must read the same when re-run later), and so are cases closed by their due
 * time without an attempt (nothing was left to respond to).
 */
async function windowsByLane(db: Knex, w: WeekBounds): Promise<{ lane: string; due: number; met: number }[]> {
  const rows: Row[] = await db('cases as c')
    .select('c.lane')
    .count({ due: '*' })
    .select(db.raw('SUM(CASE WHEN c.first_response_at IS NOT NULL AND c.first_response_at <= c.first_response_due_at THEN 1 ELSE 0 END) AS met'))
    .where('c.first_response_due_at', '>=', w.start)
    .where('c.first_response_due_at', '<', w.end)
    .where('c.created_at', '<', w.end)
    // COALESCE: with no close in the history the comparison would be NULL, and NOT NULL drops the row.
    // "Without an attempt" means none by the due time: a first attempt after a reopening, weeks
    // later, does not change the week's figures (a finished week's stored figures stay true).
    .whereNot((q) =>
      q.where((a) => a.whereNull('c.first_response_at').orWhereRaw('c.first_response_at > c.first_response_due_at')).whereRaw(
        `COALESCE((SELECT e.action FROM case_events e WHERE e.case_id = c.id AND e.action IN ('closed', 'reopened')
          AND e.at <= c.first_response_due_at ORDER BY e.at DESC, e.id DESC LIMIT 1), 'none') = 'closed'`,
      ),
    )
    .groupBy('c.lane');
  return rows.map((r) => ({ lane: String(r.lane), due: n(r.due), met: n(r.met) }));
}

/** Cases whose first attempt was logged in the week, with their trigger time. */
async function firstResponses(db: Knex, w: WeekBounds): Promise<{ lane: string; occurredAt: number; respondedAt: number }[]> {
  const rows: Row[] = await db('cases')
    .select('lane', 'occurred_at', 'first_response_at')
    .where('first_response_at', '>=', w.start)
    .where('first_response_at', '<', w.end);
  return rows.map((r) => ({ lane: String(r.lane), occurredAt: n(r.occurred_at), respondedAt: n(r.first_response_at) }));
}

/** Patient contact attempts logged in the week, per lane, and how many reached the patient. */
async function contactsByLane(db: Knex, w: WeekBounds): Promise<{ lane: string; attempts: number; reached: number }[]> {
  const rows: Row[] = await db('notes as n')
    .join('cases as c', 'c.id', 'n.case_id')
    .select('c.lane')
    .count({ attempts: '*' })
    .select(db.raw(`SUM(CASE WHEN n.contact_result = 'reached' THEN 1 ELSE 0 END) AS reached`))
    .where('n.created_at', '>=', w.start)
    .where('n.created_at', '<', w.end)
    .whereNotNull('n.contact_channel')
    // Not patient outreach (see isPatientOutreach): it says nothing about reaching the patient.
    .whereNot('n.contact_channel', 'outside_office')
    .whereNot('n.contact_result', 'outside_office_responded')
    .groupBy('c.lane');
  return rows.map((r) => ({ lane: String(r.lane), attempts: n(r.attempts), reached: n(r.reached) }));
}

/** Distinct cases per lane and barrier with a note naming that barrier in the week. */
async function barriersByLane(db: Knex, w: WeekBounds): Promise<{ lane: string; barrier: string; cases: number }[]> {
  const rows: Row[] = await db('notes as n')
    .join('cases as c', 'c.id', 'n.case_id')
    .select('c.lane', 'n.barrier')
    .countDistinct({ cases: 'n.case_id' })
    .where('n.created_at', '>=', w.start)
    .where('n.created_at', '<', w.end)
    .whereNot('n.barrier', 'none')
    .groupBy('c.lane', 'n.barrier');
  return rows.map((r) => ({ lane: String(r.lane), barrier: String(r.barrier), cases: n(r.cases) }));
}

/** Close events of the week, oldest first per case. */
async function closesInWeek(db: Knex, w: WeekBounds): Promise<CloseRow[]> {
  const rows: Row[] = await db('case_events as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .select('e.case_id', 'c.lane', 'c.occurred_at', 'e.at', 'e.after', 'c.closed_at', 'c.outcome', 'c.loop_closed')
    .where('e.action', 'closed')
    .where('e.at', '>=', w.start)
    .where('e.at', '<', w.end)
    .orderBy([{ column: 'e.case_id' }, { column: 'e.at' }, { column: 'e.id' }]);
  return rows.map((r) => ({
    caseId: n(r.case_id),
    lane: String(r.lane),
    occurredAt: n(r.occurred_at),
    at: n(r.at),
    after: (r.after as string | null) ?? null,
    caseClosedAt: r.closed_at === null || r.closed_at === undefined ? null : n(r.closed_at),
    caseOutcome: (r.outcome as string | null) ?? null,
    // SQLite stores booleans as 0/1, PostgreSQL as true/false.
    caseLoopClosed: r.loop_closed === null || r.loop_closed === undefined ? null : Boolean(r.loop_closed),
  }));
}

/** Cases whose resolution target fell in the week, with their close/reopen history up to it. */
async function targetsInWeek(db: Knex, w: WeekBounds): Promise<TargetRow[]> {
  const rows: Row[] = await db('cases as c')
    .leftJoin('case_events as e', (j) =>
      j.on('e.case_id', 'c.id').andOnIn('e.action', HISTORY).andOn('e.at', '<=', 'c.resolution_due_at'),
    )
    .select('c.id', 'c.lane', 'c.resolution_due_at', 'e.action', 'e.at', 'e.after')
    .where('c.resolution_due_at', '>=', w.start)
    .where('c.resolution_due_at', '<', w.end)
    .where('c.created_at', '<', w.end)
    .orderBy([{ column: 'c.id' }, { column: 'e.at' }, { column: 'e.id' }]);
  const byCase = new Map<number, TargetRow>();
  for (const r of rows) {
    const id = n(r.id);
    let t = byCase.get(id);
    if (!t) byCase.set(id, (t = { caseId: id, lane: String(r.lane), dueAt: n(r.resolution_due_at), history: [] }));
    if (r.action) t.history.push({ action: r.action as 'closed' | 'reopened', at: n(r.at), after: (r.after as string | null) ?? null });
  }
  return [...byCase.values()];
}

/** Escalations raised in the week, and still unacknowledged at its end, per lane. */
async function escalationCountsByLane(db: Knex, w: WeekBounds): Promise<{ lane: string; raised: number; pending: number }[]> {
  const rows: Row[] = await db('escalations as x')
    .join('cases as c', 'c.id', 'x.case_id')
    .select('c.lane')
    .select(db.raw('SUM(CASE WHEN x.raised_at >= ? THEN 1 ELSE 0 END) AS raised', [w.start]))
    .select(db.raw('SUM(CASE WHEN x.acknowledged_at IS NULL OR x.acknowledged_at >= ? THEN 1 ELSE 0 END) AS pending', [w.end]))
    .where('x.raised_at', '<', w.end)
    .where((q) => q.whereNull('x.acknowledged_at').orWhere('x.acknowledged_at', '>=', w.start))
    .groupBy('c.lane');
  return rows.map((r) => ({ lane: String(r.lane), raised: n(r.raised), pending: n(r.pending) }));
}

/** Escalations acknowledged in the week, with when they were raised. */
async function acknowledgements(db: Knex, w: WeekBounds): Promise<{ lane: string; raisedAt: number; acknowledgedAt: number }[]> {
  const rows: Row[] = await db('escalations as x')
    .join('cases as c', 'c.id', 'x.case_id')
    .select('c.lane', 'x.raised_at', 'x.acknowledged_at')
    .where('x.acknowledged_at', '>=', w.start)
    .where('x.acknowledged_at', '<', w.end);
  return rows.map((r) => ({ lane: String(r.lane), raisedAt: n(r.raised_at), acknowledgedAt: n(r.acknowledged_at) }));
}

/**
 * Cases unresolved at the week's end, judged from the audit trail: a case is unresolved when
 * CareBridge had it before `end` and its last close or reopening before `end` (if any) was a
 * reopening. Only cases open now or closed after `end` can qualify, which keeps the per-case
 * look-ups to the backlog rather than the whole history. `extra` adds per-case columns.
 */
function unresolvedCases(db: Knex, w: WeekBounds, extra: Knex.Raw[] = []): Knex.QueryBuilder {
  return db('cases as c')
    .select('c.id', 'c.lane', 'c.occurred_at', 'c.resolution_due_at')
    .select(
      // Only a case reopened since `end` can have been closed at `end` and be open or closed later
      // now; for any other candidate the case row says it all (no history look-up needed).
      db.raw(
        `CASE WHEN c.id IN (SELECT r.case_id FROM case_events r WHERE r.action = 'reopened' AND r.at >= ?)
          THEN (SELECT e.action FROM case_events e WHERE e.case_id = c.id AND e.action IN ('closed', 'reopened')
          AND e.at < ? ORDER BY e.at DESC, e.id DESC LIMIT 1) END AS last_change`,
        [w.end, w.end],
      ),
      ...extra,
    )
    .where('c.created_at', '<', w.end)
    .where((q) => q.whereNull('c.closed_at').orWhere('c.closed_at', '>=', w.end));
}

/** How many cases each lane had unresolved at the week's end (the chart's bars). */
async function unresolvedCountByLane(db: Knex, w: WeekBounds): Promise<{ lane: string; open: number }[]> {
  const rows: Row[] = await db
    .from(unresolvedCases(db, w).as('t'))
    .select('t.lane')
    .count({ open: '*' })
    .whereRaw(`COALESCE(t.last_change, 'reopened') = 'reopened'`)
    .groupBy('t.lane');
  return rows.map((r) => ({ lane: String(r.lane), open: n(r.open) }));
}

/** Cases unresolved at the week's end, per lane: by age, overdue, waiting on the patient, not moved in the week. */
async function backlogByLane(db: Knex, w: WeekBounds, ageStarts: number[]): Promise<BacklogRow[]> {
  const moves = MOVEMENT_ACTIONS.map(() => '?').join(', ');
  const inner = unresolvedCases(db, w, [
    db.raw(
      `(SELECT nt.status FROM notes nt WHERE nt.case_id = c.id AND nt.created_at < ?
        ORDER BY nt.created_at DESC, nt.id DESC LIMIT 1) AS last_status`,
      [w.end],
    ),
    db.raw(
      `CASE WHEN EXISTS (SELECT 1 FROM case_events m WHERE m.case_id = c.id AND m.at >= ? AND m.at < ?
        AND m.action IN (${moves}) AND NOT (m.action = 'escalated' AND m.actor_id = ?)) THEN 1 ELSE 0 END AS moved`,
      [w.start, w.end, ...MOVEMENT_ACTIONS, SYSTEM_ACTOR_ID],
    ),
  ]).as('t');
  const rows: Row[] = await db
    .from(inner)
    .select('t.lane')
    .count({ open: '*' })
    .select(ageStarts.map((at, i) => db.raw(`SUM(CASE WHEN t.occurred_at >= ? THEN 1 ELSE 0 END) AS age${i}`, [at])))
    .select(db.raw('SUM(CASE WHEN t.resolution_due_at < ? THEN 1 ELSE 0 END) AS overdue', [w.end]))
    .select(db.raw(`SUM(CASE WHEN t.last_status = 'waiting_on_patient' THEN 1 ELSE 0 END) AS waiting`))
    .select(db.raw('SUM(1 - t.moved) AS still'))
    // One comparison, so the history look-up runs once per case (no history: never closed).
    .whereRaw(`COALESCE(t.last_change, 'reopened') = 'reopened'`)
    .groupBy('t.lane');
  return rows.map((r) => ({
    lane: String(r.lane),
    open: n(r.open),
    atLeast: ageStarts.map((_, i) => n(r[`age${i}`])),
    overdue: n(r.overdue),
    waitingOnPatient: n(r.waiting),
    noMovement: n(r.still),
  }));
}

const FIGURES = 'weekly_lane_figures';

/** The integer columns of `weekly_lane_figures` and the count each holds. */
const COUNT_COLUMNS = {
  windows_due: 'windowsDue', windows_met: 'windowsMet', attempts: 'attempts', reached: 'reached', closed: 'closed',
  completed: 'completed', loop_asked: 'loopAsked', loop_told: 'loopTold', targets_due: 'targetsDue', targets_met: 'targetsMet',
  escalations_raised: 'escalationsRaised', escalations_acknowledged: 'escalationsAcknowledged', escalations_pending: 'escalationsPending',
  open: 'open', waiting_on_patient: 'waitingOnPatient', overdue: 'overdue', no_movement_7d: 'noMovement7d',
} as const satisfies Record<string, keyof LaneCounts>;

/** Stored rows of these weeks for this calendar; rows of a lane this build does not know are skipped. */
async function storedWeeks(db: Knex, weeks: string[], calendarKey: string): Promise<StoredLaneWeek[]> {
  if (weeks.length === 0) return [];
  const rows: Row[] = await db(FIGURES).where('calendar_key', calendarKey).whereIn('week', weeks);
  const out: StoredLaneWeek[] = [];
  for (const r of rows) {
    if (!(LANES as readonly string[]).includes(String(r.lane))) continue;
    const ages = JSON.parse(String(r.ages)) as Record<string, number>;
    const barriers = JSON.parse(String(r.barriers)) as Record<string, number>;
    const samples = JSON.parse(String(r.samples)) as LaneSamples;
    const counts = {
      ...Object.fromEntries(Object.entries(COUNT_COLUMNS).map(([column, key]) => [key, n(r[column])])),
      ages: Object.fromEntries(AGE_BUCKETS.map((b) => [b, n(ages[b])])),
      barriers: Object.fromEntries(COUNTED_BARRIERS.map((b) => [b, n(barriers[b])])),
    } as LaneCounts;
    out.push({ week: String(r.week), lane: String(r.lane) as LaneKey, calendarKey, start: n(r.week_start), end: n(r.week_end), counts, samples });
  }
  return out;
}

function storedRow(w: StoredLaneWeek, now: Date): Row {
  return {
    week: w.week,
    lane: w.lane,
    calendar_key: w.calendarKey,
    week_start: w.start,
    week_end: w.end,
    ...Object.fromEntries(Object.entries(COUNT_COLUMNS).map(([column, key]) => [column, w.counts[key]])),
    ages: JSON.stringify(w.counts.ages),
    barriers: JSON.stringify(w.counts.barriers),
    samples: JSON.stringify(w.samples),
    computed_at: now.getTime(),
  };
}

const POSTGRES_CLIENTS = ['pg', 'postgres', 'postgresql'];

/** The weekly figures' reads over one connection or transaction. */
function readsOver(db: Knex): MetricsReads {
  return {
    windowsByLane: (w) => windowsByLane(db, w),
    firstResponses: (w) => firstResponses(db, w),
    contactsByLane: (w) => contactsByLane(db, w),
    barriersByLane: (w) => barriersByLane(db, w),
    closesInWeek: (w) => closesInWeek(db, w),
    targetsInWeek: (w) => targetsInWeek(db, w),
    escalationCountsByLane: (w) => escalationCountsByLane(db, w),
    acknowledgements: (w) => acknowledgements(db, w),
    unresolvedCountByLane: (w) => unresolvedCountByLane(db, w),
    backlogByLane: (w, ageStarts) => backlogByLane(db, w, ageStarts),
    storedWeeks: (weeks, calendarKey) => storedWeeks(db, weeks, calendarKey),
  };
}

/** The metrics port: every figure of a report read from one snapshot of the database. */
export class MetricsStore implements MetricsPort {
  constructor(private readonly db: Knex) {}

  /**
   * Runs `fn` in one read-only transaction, so every figure comes from the same moment. On
   * PostgreSQL the week's queries touch few rows, yet correlated look-ups inflate their cost
   * estimates past `jit_above_cost`: compiling them (and starting parallel workers) took longer
   * than running them, so both are switched off for this transaction only.
   */
  snapshot<T>(fn: (reads: MetricsReads) => Promise<T>): Promise<T> {
    const db = this.db;
    if (db.isTransaction) return fn(readsOver(db));
    if (!POSTGRES_CLIENTS.includes(String(db.client.config.client))) return db.transaction((tx) => fn(readsOver(tx)));
    return db.transaction(
      async (tx) => {
        await tx.raw('SET LOCAL jit = off');
        await tx.raw('SET LOCAL max_parallel_workers_per_gather = 0');
        return fn(readsOver(tx));
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    );
  }

  /**
   * Inserts the rows, leaving any already there: the primary key (week, calendar, lane) makes a
   * second writer of the same week a no-op on both engines, whichever process commits first.
   */
  async storeWeeks(rows: StoredLaneWeek[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.db(FIGURES).insert(rows.map((r) => storedRow(r, now))).onConflict(['week', 'calendar_key', 'lane']).ignore();
  }
}
