import type { Knex } from 'knex';
import type { PracticeCalendar } from '../domain/calendar';
import { noShowWindow } from '../domain/no-shows';
import { queueKeys } from '../domain/queue';
import type { Case, CaseEvent, CaseState, ContactAttempt, Escalation, Guidance, LaneKey, Note, NoteInput } from '../domain/types';
import type { QueueRow } from '../domain/queue';
import type { CasePort, CaseQuery, NewCase, QueueList } from '../services/ports';
import { chunks, insertRowsPerStatement, rowsPerStatement } from './chunks';
import { caseToRow, noteToRow, rowToCase, rowToEscalation, rowToNote, type CaseRow } from './rows';

/**
 * Cases, their audit trail, notes and escalations. `cal` is the practice calendar: a
 * case's queue keys (when it is next due, when it becomes overdue) need its time zone.
 */
export class CaseStore implements CasePort {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly cal: PracticeCalendar,
  ) {}

  /**
   * The row written for a case: its columns and its queue keys (domain/queue.ts
   * `queueKeys`), which App Home and the digest read through indexes. Every write of a
   * case's due fields goes through here; the per-lane counters follow by trigger.
   */
  private caseRow(c: NewCase): CaseRow {
    const keys = queueKeys(this.cal, c);
    return { ...caseToRow(c), next_due_at: keys.nextDueAt, overdue_at: keys.overdueAt };
  }

  /** Inserts a case; returns null when its externalId already exists (the caller reads that one). */
  async insertCase(c: NewCase): Promise<Case | null> {
    const query = this.db('cases').insert(this.caseRow(c));
    const rows = c.externalId
      ? await query.onConflict('external_id').ignore().returning('*')
      : await query.returning('*');
    return rows[0] ? rowToCase(rows[0]) : null;
  }

  /**
   * Inserts many cases in one statement, skipping any whose externalId already exists
   * (every case here must have one). Returns the cases inserted, in no particular order.
   */
  async insertCases(cases: NewCase[]): Promise<Case[]> {
    if (cases.length === 0) return [];
    if (cases.some((c) => !c.externalId)) throw new Error('insertCases: every case needs an externalId');
    const rows = await this.db('cases').insert(cases.map((c) => this.caseRow(c))).onConflict('external_id').ignore().returning('*');
    return rows.map(rowToCase);
  }

  async getCasesByExternalIds(externalIds: string[]): Promise<Case[]> {
    if (externalIds.length === 0) return [];
    const rows = await this.db('cases').whereIn('external_id', externalIds);
    return rows.map(rowToCase);
  }

  async getCase(id: number): Promise<Case | null> {
    const row = await this.db('cases').where({ id }).first();
    return row ? rowToCase(row) : null;
  }

  async insertGuidance(g: Omit<Guidance, 'id'>): Promise<Guidance> {
    const [row] = await this.db('escalation_guidance')
      .insert({ escalation_id: g.escalationId, case_id: g.caseId, author_id: g.authorId, text: g.text, added_at: g.addedAt.getTime() })
      .returning('*');
    return rowToGuidance(row);
  }

  async getGuidance(id: number): Promise<Guidance | null> {
    const row = await this.db('escalation_guidance').where({ id }).first();
    return row ? rowToGuidance(row) : null;
  }

  /** The case's guidance, newest first. */
  async listGuidance(caseId: number, limit = 20): Promise<Guidance[]> {
    const rows = await this.db('escalation_guidance').where({ case_id: caseId }).orderBy([{ column: 'added_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
    return rows.map(rowToGuidance);
  }

  /**
   * What waits for providers: escalations to the providers channel on open cases not yet
   * acknowledged (urgent first, newest first, at most `limit`, and how many in all), and
   * those `userId` acknowledged since `since` (newest first), each with its case.
   */
  async providerEscalations(userId: string, since: Date, limit: number): Promise<{ pending: { escalation: Escalation; c: Case }[]; pendingTotal: number; acknowledged: { escalation: Escalation; c: Case }[] }> {
    const pendingQuery = () =>
      this.db('escalations as e').join('cases', 'cases.id', 'e.case_id').where('e.target', 'providers').whereNull('e.acknowledged_at').whereRaw(`cases.state <> 'closed'`);
    const [pendingRows, [count], ackRows] = await Promise.all([
      pendingQuery().select('e.id as escalation_id').orderBy([{ column: 'e.urgent', order: 'desc' }, { column: 'e.raised_at', order: 'desc' }, { column: 'e.id', order: 'desc' }]).limit(limit),
      pendingQuery().count<{ n: number | string }[]>('* as n'),
      this.db('escalations').where({ acknowledged_by: userId }).where('acknowledged_at', '>=', since.getTime()).orderBy('acknowledged_at', 'desc').limit(limit).select('id as escalation_id'),
    ]);
    const ids = [...pendingRows, ...ackRows].map((r) => Number(r.escalation_id));
    const escalations = ids.length ? (await this.db('escalations').whereIn('id', ids)).map(rowToEscalation) : [];
    const cases = new Map((await this.getCases([...new Set(escalations.map((e) => e.caseId))])).map((c) => [c.id, c]));
    const byId = new Map(escalations.map((e) => [e.id, e]));
    const pair = (r: { escalation_id: unknown }) => {
      const escalation = byId.get(Number(r.escalation_id))!;
      return { escalation, c: cases.get(escalation.caseId)! };
    };
    return { pending: pendingRows.map(pair), pendingTotal: Number(count?.n ?? 0), acknowledged: ackRows.map(pair) };
  }

  /**
   * Open cases nobody has moved since `before`, longest without movement first (at most
   * `limit`), and how many there are in all. Read through the partial index on
   * `last_moved_at` over open cases.
   */
  async staleCases(before: Date, limit: number): Promise<{ cases: Case[]; total: number }> {
    const stale = () => this.db('cases').whereRaw(`last_moved_at IS NOT NULL AND state <> 'closed'`).where('last_moved_at', '<', before.getTime());
    const [rows, [count]] = await Promise.all([
      stale().orderBy([{ column: 'last_moved_at' }, { column: 'id' }]).limit(limit),
      stale().count<{ n: number | string }[]>('* as n'),
    ]);
    return { cases: rows.map(rowToCase), total: Number(count?.n ?? 0) };
  }

  /**
   * Reads a case inside a transaction and, on PostgreSQL, locks its row until the
   * transaction ends, so changes to one case queue instead of racing (SQLite runs one
   * writer at a time already).
   */
  async getCaseForUpdate(id: number): Promise<Case | null> {
    const query = this.db('cases').where({ id });
    if (this.db.client.config.client === 'pg') query.forUpdate();
    const row = await query.first();
    return row ? rowToCase(row) : null;
  }

  async getCaseByExternalId(externalId: string): Promise<Case | null> {
    const row = await this.db('cases').where({ external_id: externalId }).first();
    return row ? rowToCase(row) : null;
  }

  /**
   * Writes a changed case only if nobody changed it since it was read
   * (`expectedVersion`); false means the caller lost a race and must re-read.
   */
  async updateCase(c: Case, expectedVersion: number): Promise<boolean> {
    const updated = await this.db('cases').where({ id: c.id, version: expectedVersion }).update(this.caseRow(c));
    return Number(updated) === 1;
  }

  /**
   * Writes many changed cases, each only if nobody changed it since it was read (its
   * `before.version`), as `updateCase` does one; returns the ids written (one missing
   * lost a race). Cases changed alike (the same columns to the same values, e.g. every
   * automatic escalation of a sweep) share one statement, in slices under the engine's
   * bound-parameter limit.
   */
  async updateCases(changes: readonly { before: Case; after: Case }[]): Promise<Set<number>> {
    const groups = new Map<string, { set: Record<string, unknown>; versionStep: number; rows: [number, number][] }>();
    for (const { before, after } of changes) {
      if (after.id !== before.id) throw new Error('updateCases: a change must keep its case id');
      // Whole rows with their queue keys: a change of a due field moves the keys with it.
      const was = this.caseRow(before) as unknown as Record<string, unknown>;
      const is = this.caseRow(after) as unknown as Record<string, unknown>;
      const set = Object.fromEntries(Object.keys(is).filter((k) => k !== 'version' && is[k] !== was[k]).map((k) => [k, is[k]]));
      const versionStep = after.version - before.version;
      const key = JSON.stringify([versionStep, Object.entries(set)]);
      const group = groups.get(key) ?? { set, versionStep, rows: [] };
      group.rows.push([before.id, before.version]);
      groups.set(key, group);
    }
    const written = new Set<number>();
    for (const { set, versionStep, rows } of groups.values()) {
      const columns = Object.keys(set).length + 1;
      for (const part of chunks(rows, rowsPerStatement(this.db, 2, columns))) {
        // (id, version) IN (VALUES …): the optimistic check of each row, read through the primary key on both engines.
        const updated = await this.db('cases')
          .update({ ...set, version: this.db.raw('version + ?', [versionStep]) })
          .whereRaw(`(id, version) IN (VALUES ${part.map(() => '(CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ')})`, part.flat())
          .returning('id');
        for (const r of updated) written.add(Number((r as { id: unknown }).id));
      }
    }
    return written;
  }

  async appendEvents(caseId: number, events: CaseEvent[]): Promise<void> {
    await this.appendEventsOfCases(events.map((event) => ({ caseId, event })));
  }

  /** Audit entries of several cases in few statements (bulk intake, the SLA sweep), sliced under the engine's limits. */
  async appendEventsOfCases(entries: { caseId: number; event: CaseEvent }[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map(({ caseId, event: e }) => ({
      case_id: caseId,
      action: e.action,
      actor_id: e.actorId,
      at: e.at.getTime(),
      before: e.before ? JSON.stringify(e.before) : null,
      after: e.after ? JSON.stringify(e.after) : null,
    }));
    for (const part of chunks(rows, insertRowsPerStatement(this.db, 6))) await this.db('case_events').insert(part);
  }

  async listEvents(caseId: number): Promise<(CaseEvent & { id: number })[]> {
    const rows = await this.db('case_events').where({ case_id: caseId }).orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      action: r.action,
      actorId: r.actor_id,
      at: new Date(Number(r.at)),
      before: r.before ? JSON.parse(r.before) : null,
      after: r.after ? JSON.parse(r.after) : null,
    }));
  }

  async insertNote(caseId: number, authorId: string, at: Date, note: NoteInput): Promise<Note> {
    const [row] = await this.db('notes').insert(noteToRow(caseId, authorId, at, note)).returning('*');
    return rowToNote(row);
  }

  async listNotes(caseId: number): Promise<Note[]> {
    const rows = await this.db('notes').where({ case_id: caseId }).orderBy('id');
    return rows.map(rowToNote);
  }

  async latestNote(caseId: number): Promise<Note | null> {
    const row = await this.db('notes').where({ case_id: caseId }).orderBy('id', 'desc').first();
    return row ? rowToNote(row) : null;
  }

  /** Contact attempts logged on a case since an instant (a reopen starts the count again). */
  async listAttempts(caseId: number, since: Date | null = null): Promise<ContactAttempt[]> {
    const query = this.db('notes').where({ case_id: caseId }).whereNotNull('contact_channel');
    if (since) query.where('created_at', '>=', since.getTime());
    const rows = await query.orderBy('id').select('contact_channel', 'contact_result');
    return rows.map((r) => ({ channel: r.contact_channel, result: r.contact_result }));
  }

  async insertEscalation(e: Omit<Escalation, 'id'>): Promise<Escalation> {
    const [row] = await this.db('escalations').insert(escalationToRow(e)).returning('*');
    return rowToEscalation(row);
  }

  /** Inserts many escalations in few multi-row statements; returns them with their ids, in the order given. */
  async insertEscalations(escalations: readonly Omit<Escalation, 'id'>[]): Promise<Escalation[]> {
    const inserted: Escalation[] = [];
    for (const part of chunks(escalations, insertRowsPerStatement(this.db, ESCALATION_COLUMNS))) {
      const rows = (await this.db('escalations').insert(part.map(escalationToRow)).returning('*')).map(rowToEscalation);
      // Ids are given in insertion order; sorted, they pair with the rows as given.
      rows.sort((a, b) => a.id - b.id);
      inserted.push(...rows);
    }
    return inserted;
  }

  async getEscalation(id: number): Promise<Escalation | null> {
    const row = await this.db('escalations').where({ id }).first();
    return row ? rowToEscalation(row) : null;
  }

  async listEscalations(caseId: number): Promise<Escalation[]> {
    const rows = await this.db('escalations').where({ case_id: caseId }).orderBy('id');
    return rows.map(rowToEscalation);
  }

  /**
   * The case's escalations nobody has acknowledged, oldest first. Those raised before the
   * case was last reopened do not count: closing it (a manager, over them) settled them.
   */
  async pendingEscalations(caseId: number): Promise<Escalation[]> {
    const rows = await this.db('escalations')
      .where({ case_id: caseId })
      .whereNull('acknowledged_at')
      .whereRaw(`raised_at >= coalesce((select max(at) from case_events where case_id = ? and action = 'reopened'), 0)`, [caseId])
      .orderBy([{ column: 'raised_at' }, { column: 'id' }]);
    return rows.map(rowToEscalation);
  }

  /**
   * Records an acknowledgement only if the escalation is still unacknowledged;
   * false when someone else acknowledged it first.
   */
  async acknowledgeEscalation(id: number, by: string, guidance: string, at: Date): Promise<boolean> {
    const updated = await this.db('escalations')
      .where({ id })
      .whereNull('acknowledged_at')
      .update({ acknowledged_by: by, acknowledged_at: at.getTime(), guidance });
    return Number(updated) === 1;
  }

  /** Marks an urgent escalation re-raised; false when it already was (so it is re-raised once). */
  async markReraised(id: number, at: Date): Promise<boolean> {
    const updated = await this.db('escalations').where({ id }).whereNull('reraised_at').whereNull('acknowledged_at').update({ reraised_at: at.getTime() });
    return Number(updated) === 1;
  }

  /** Marks many urgent escalations re-raised; returns the ids marked now (one already re-raised or acknowledged is left out). */
  async markAllReraised(ids: readonly number[], at: Date): Promise<Set<number>> {
    const marked = new Set<number>();
    for (const part of chunks(ids, rowsPerStatement(this.db, 1, 1))) {
      const rows = await this.db('escalations').whereIn('id', part).whereNull('reraised_at').whereNull('acknowledged_at').update({ reraised_at: at.getTime() }).returning('id');
      for (const r of rows) marked.add(Number((r as { id: unknown }).id));
    }
    return marked;
  }

  async listCases(q: CaseQuery = {}): Promise<Case[]> {
    const query = this.db('cases');
    if (q.states) query.whereIn('state', q.states);
    if (q.lanes) query.whereIn('lane', q.lanes);
    if (q.ownerId) query.where('owner_id', q.ownerId);
    if (q.involving) query.where((w) => w.where('owner_id', q.involving!).orWhere('backup_id', q.involving!));
    if (q.unclaimed) query.whereNull('owner_id');
    query.orderBy(q.orderBy ?? 'first_response_due_at').orderBy('id');
    if (q.limit) query.limit(q.limit);
    const rows = await query;
    return rows.map(rowToCase);
  }

  /**
   * One of App Home's lists: live cases by next due time (then id), at most `limit`, read
   * whole; and how many match in all (unless `withTotal` is false). Each is an indexed
   * range over open cases, so the cost follows the list, not the queue.
   */
  async queueList(list: QueueList, limit: number, withTotal = true): Promise<{ cases: Case[]; total: number | null }> {
    // The list as parts that do not overlap, each a plain range of one index (an OR across
    // columns would make the planner read and sort every case of every branch); each part's
    // first `limit` in due order, merged; the total is the sum of the parts' counts.
    const who = list.who;
    type Narrow = (q: Knex.QueryBuilder, counting: boolean) => unknown;
    const unclaimed: Narrow = (q, counting) =>
      // Counting the overdue unclaimed, the overdue range (fewer, and its index holds owner_id)
      // is the one to read; written so the planner cannot take the owner index instead.
      counting && list.overdueAt ? q.whereRaw(`COALESCE(owner_id, '') = ''`) : q.whereNull('owner_id');
    const parts: Narrow[] =
      who.kind === 'all'
        ? [() => undefined]
        : who.kind === 'unclaimed'
          ? [unclaimed]
          : who.kind === 'involving'
            ? [(q) => q.where('owner_id', who.userId), (q) => q.where('backup_id', who.userId).where((w) => w.whereNull('owner_id').orWhere('owner_id', '<>', who.userId))]
            : // Backed up by the user and owned by someone else; the unclaimed include those the user backs up.
              [(q) => q.where('owner_id', who.userId), (q) => q.where('backup_id', who.userId).where('owner_id', '<>', who.userId), unclaimed];
    const part = (narrow: Narrow, counting: boolean) => {
      const q = this.db('cases').whereRaw(`state <> 'closed'`);
      if (list.overdueAt) q.where('overdue_at', '<=', list.overdueAt.getTime());
      narrow(q, counting);
      return q;
    };
    const [lists, counts] = await Promise.all([
      Promise.all(parts.map((narrow) => part(narrow, false).orderBy([{ column: 'next_due_at' }, { column: 'id' }]).limit(limit))),
      withTotal ? Promise.all(parts.map((narrow) => part(narrow, true).count<{ n: number | string }[]>('* as n'))) : null,
    ]);
    const rows = lists.flat().sort((a, b) => Number(a.next_due_at) - Number(b.next_due_at) || Number(a.id) - Number(b.id));
    return { cases: rows.slice(0, limit).map(rowToCase), total: counts ? counts.reduce((n, [c]) => n + Number(c?.n ?? 0), 0) : null };
  }

  /**
   * Writes the queue keys of open cases that have none: those opened before the keys
   * existed (the migration cannot work them out: a next promised action's instants need
   * the practice time zone). Run at start-up, before anyone is served; returns how many.
   */
  async fillQueueKeys(batch = 1000): Promise<number> {
    let filled = 0;
    for (;;) {
      const rows = await this.db('cases')
        .whereNull('next_due_at')
        .whereRaw(`state <> 'closed'`)
        .select('id', 'state', 'first_response_at', 'first_response_due_at', 'next_action_due', 'resolution_due_at')
        .orderBy('id')
        .limit(batch);
      if (rows.length === 0) return filled;
      const keyed = rows.map((r) => {
        const keys = queueKeys(this.cal, {
          state: r.state,
          firstResponseAt: r.first_response_at === null ? null : new Date(Number(r.first_response_at)),
          firstResponseDueAt: new Date(Number(r.first_response_due_at)),
          nextActionDue: r.next_action_due ?? null,
          resolutionDueAt: new Date(Number(r.resolution_due_at)),
        });
        return [Number(r.id), keys.nextDueAt, keys.overdueAt];
      });
      // One statement per batch (UPDATE … FROM is SQLite 3.33+ and PostgreSQL).
      await this.db.raw(
        `UPDATE cases SET next_due_at = k.column2, overdue_at = k.column3
         FROM (VALUES ${keyed.map(() => '(CAST(? AS bigint), CAST(? AS bigint), CAST(? AS bigint))').join(', ')}) AS k
         WHERE cases.id = k.column1`,
        keyed.flat(),
      );
      filled += rows.length;
    }
  }

  /** Whole cases by id (in no particular order). */
  async getCases(ids: number[]): Promise<Case[]> {
    const cases: Case[] = [];
    // Chunked: SQLite allows a limited number of bound parameters per statement.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db('cases').whereIn('id', ids.slice(i, i + 500));
      cases.push(...rows.map(rowToCase));
    }
    return cases;
  }

  /**
   * The patient's earlier no-shows for a missed-appointment case (domain/no-shows.ts):
   * missed appointments of the same MRN in the 12 months before its trigger; null in
   * other lanes. Read through the patient_mrn index.
   */
  async earlierNoShows(c: Case): Promise<number | null> {
    const window = noShowWindow(c);
    if (!window) return null;
    const [row] = await this.db('cases')
      .where({ patient_mrn: c.patient.mrn, lane: 'missed_appointment' })
      .where('occurred_at', '>=', window.from.getTime())
      .where('occurred_at', '<', window.to.getTime())
      .count<{ n: number | string }[]>('* as n');
    return Number(row?.n ?? 0);
  }
}

const ESCALATION_COLUMNS = 11;

function escalationToRow(e: Omit<Escalation, 'id'>): Record<string, unknown> {
  return {
    case_id: e.caseId,
    reason: e.reason,
    text: e.text,
    target: e.target,
    urgent: e.urgent,
    raised_by: e.raisedBy,
    raised_at: e.raisedAt.getTime(),
    acknowledged_by: e.acknowledgedBy,
    acknowledged_at: e.acknowledgedAt?.getTime() ?? null,
    guidance: e.guidance,
    reraised_at: e.reraisedAt?.getTime() ?? null,
  };
}

function rowToGuidance(r: Record<string, unknown>): Guidance {
  return { id: Number(r.id), escalationId: Number(r.escalation_id), caseId: Number(r.case_id), authorId: String(r.author_id), text: String(r.text), addedAt: new Date(Number(r.added_at)) };
}
