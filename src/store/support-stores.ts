import type { Knex } from 'knex';
import { OUTBOX_PRIORITY } from '../services/outbox';
import type { AwayPort, HeartbeatPort, JobRunPort, OutboxEntry, OutboxItem, OutboxPort } from '../services/ports';
import { chunks, insertRowsPerStatement, rowsPerStatement } from './chunks';

/** The outbox's priorities (services/outbox.ts) as SQL: most urgent first, a kind it does not know last. */
const PRIORITY_SQL = `CASE kind ${Object.entries(OUTBOX_PRIORITY)
  .map(([kind, priority]) => `WHEN '${kind}' THEN ${priority}`)
  .join(' ')} ELSE 9 END`;

/** Away periods: while a coordinator is away, their reminders and alerts go to each case's backup. */
export class AwayStore implements AwayPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async add(userId: string, fromDate: string, toDate: string, at: Date): Promise<void> {
    await this.db('away_periods').insert({ user_id: userId, from_date: fromDate, to_date: toDate, created_at: at.getTime() });
  }

  /** Which of these users are away on a practice date. */
  async awayOn(userIds: string[], date: string): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.db('away_periods')
      .whereIn('user_id', [...new Set(userIds)])
      .where('from_date', '<=', date)
      .where('to_date', '>=', date)
      .distinct('user_id');
    return new Set(rows.map((r) => r.user_id as string));
  }
}

/**
 * Slack messages waiting to be delivered. Enqueued inside the transaction of the
 * change they announce; delivered afterwards, with retries, by the Slack layer.
 */
export class OutboxStore implements OutboxPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /**
   * Adds a message. With `coalesce`, an undelivered message of the same kind and
   * ref makes this a no-op (one card refresh covers any number of changes).
   */
  async enqueue(kind: string, ref: string, payload: unknown, at: Date, coalesce = false): Promise<void> {
    if (coalesce) {
      // Only a message not yet being sent covers this change: one under way read the case before it.
      const pending = await this.pending(this.db('outbox').where({ kind, ref }), at).first('id');
      if (pending) return;
    }
    await this.db('outbox').insert({
      kind,
      ref,
      payload: payload === undefined ? null : JSON.stringify(payload),
      created_at: at.getTime(),
      next_attempt_at: at.getTime(),
    });
  }

  /**
   * Adds one message of a kind per ref in one statement, without coalescing: for refs
   * that cannot have a message pending yet (cases created in the same transaction).
   */
  async enqueueMany(kind: string, refs: string[], at: Date): Promise<void> {
    if (refs.length === 0) return;
    await this.db('outbox').insert(refs.map((ref) => ({ kind, ref, payload: null, created_at: at.getTime(), next_attempt_at: at.getTime() })));
  }

  /**
   * Adds many messages in few statements, as `enqueue` would one after another: one read
   * of the waiting messages per coalesced kind, then multi-row inserts of the messages that
   * are not covered (by one waiting, or by an earlier one of the same batch).
   */
  async enqueueAll(messages: readonly OutboxEntry[], at: Date): Promise<void> {
    const waiting = new Set<string>();
    const coalescedRefs = new Map<string, Set<string>>();
    for (const m of messages) if (m.coalesce) coalescedRefs.set(m.kind, (coalescedRefs.get(m.kind) ?? new Set()).add(m.ref));
    for (const [kind, refs] of coalescedRefs) {
      for (const part of chunks([...refs], rowsPerStatement(this.db, 1, 3))) {
        const rows = await this.pending(this.db('outbox').where({ kind }).whereIn('ref', part), at).distinct('ref');
        for (const r of rows) waiting.add(`${kind}\u0000${r.ref}`);
      }
    }
    const rows: Record<string, unknown>[] = [];
    for (const m of messages) {
      const key = `${m.kind}\u0000${m.ref}`;
      if (m.coalesce && waiting.has(key)) continue;
      if (m.coalesce) waiting.add(key);
      rows.push({ kind: m.kind, ref: m.ref, payload: m.payload === undefined ? null : JSON.stringify(m.payload), created_at: at.getTime(), next_attempt_at: at.getTime() });
    }
    for (const part of chunks(rows, insertRowsPerStatement(this.db, 5))) await this.db('outbox').insert(part);
  }

  /** Narrows a query to messages waiting to be sent (not delivered, not given up, not under way). */
  private pending(query: Knex.QueryBuilder, at: Date): Knex.QueryBuilder {
    return query
      .whereNull('delivered_at')
      .where('failed', false)
      .where((q) => q.whereNull('leased_until').orWhere('leased_until', '<', at.getTime()));
  }

  /** Messages due for (another) attempt and not leased by a live delivery: most urgent first, then oldest first. */
  async due(at: Date, limit = 50): Promise<OutboxItem[]> {
    const rows = await this.db('outbox')
      .whereNull('delivered_at')
      .where('failed', false)
      .where('next_attempt_at', '<=', at.getTime())
      .where((q) => q.whereNull('leased_until').orWhere('leased_until', '<', at.getTime()))
      .orderByRaw(`${PRIORITY_SQL}, id`)
      .limit(limit);
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      ref: r.ref,
      payload: r.payload ? JSON.parse(r.payload) : null,
      attempts: Number(r.attempts),
      createdAt: new Date(Number(r.created_at)),
      uncertain: Number(r.attempts) > 0 || r.leased_until !== null,
    }));
  }

  /**
   * Takes due messages for delivery by `holder` until `until`, in one statement; returns
   * the ids it got (another instance may have taken or delivered some first), so two
   * instances draining one database post each message once. A lease that runs out (its
   * holder died mid-delivery) makes the message due again; a live holder renews its leases
   * while its deliveries run.
   */
  async lease(ids: number[], at: Date, until: Date, holder = 'carebridge'): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows: { id: number | string }[] = await this.db('outbox')
      .whereIn('id', ids)
      .whereNull('delivered_at')
      .where('failed', false)
      .where('next_attempt_at', '<=', at.getTime())
      .where((q) => q.whereNull('leased_until').orWhere('leased_until', '<', at.getTime()))
      .update({ leased_until: until.getTime(), leased_by: holder }, ['id']);
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** Extends the leases `holder` still has among `ids` (those not delivered, not run out and taken over); returns how many. */
  async renewLeases(ids: number[], holder: string, until: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return Number(await this.db('outbox').whereIn('id', ids).where({ leased_by: holder }).whereNull('delivered_at').update({ leased_until: until.getTime() }));
  }

  /** Gives back the leases `holder` has among `ids` and did not use: those messages are due again at once. */
  async releaseLeases(ids: number[], holder: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db('outbox').whereIn('id', ids).where({ leased_by: holder }).whereNull('delivered_at').update({ leased_until: null, leased_by: null });
  }

  /** Records many deliveries in one statement. */
  async markDelivered(ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db('outbox').whereIn('id', ids).update({ delivered_at: at.getTime(), last_error: null, leased_until: null, leased_by: null });
  }

  /** Schedules a retry, or gives up (`permanent`) keeping the error for /healthz and the logs. */
  async markFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    await this.db('outbox')
      .where({ id })
      .update({ last_error: error.slice(0, 500), failed: retryAt === null, next_attempt_at: retryAt?.getTime() ?? 0, leased_until: null, leased_by: null })
      .increment('attempts', 1);
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.db('outbox').whereNull('delivered_at').where('failed', false).count<{ n: number }[]>('* as n');
    return Number(row?.n ?? 0);
  }

  async failures(limit = 10): Promise<{ kind: string; ref: string; error: string }[]> {
    const rows = await this.db('outbox').where('failed', true).orderBy('id', 'desc').limit(limit);
    return rows.map((r) => ({ kind: r.kind, ref: r.ref, error: r.last_error ?? '' }));
  }
}

/** Run-once-per-period bookkeeping for scheduled jobs. */
export class JobRunStore implements JobRunPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Claims a job's period; false when it was already claimed (by this or another instance). */
  async claim(job: string, period: string, at: Date): Promise<boolean> {
    const rows = await this.db('job_runs')
      .insert({ job, period, started_at: at.getTime() })
      .onConflict(['job', 'period'])
      .ignore()
      .returning('id');
    return rows.length === 1;
  }

  async finish(job: string, period: string, at: Date): Promise<void> {
    await this.db('job_runs').where({ job, period }).update({ finished_at: at.getTime() });
  }

  async get(job: string, period: string): Promise<{ startedAt: Date; finishedAt: Date | null } | null> {
    const row = await this.db('job_runs').where({ job, period }).first();
    return row ? { startedAt: new Date(Number(row.started_at)), finishedAt: row.finished_at ? new Date(Number(row.finished_at)) : null } : null;
  }
}

/** The health check's heartbeat: one row written on every check, so readiness proves the database takes writes. */
export class HeartbeatStore implements HeartbeatPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async beat(at: Date): Promise<void> {
    const updated = await this.db('heartbeat').where({ id: 1 }).update({ at: at.getTime() });
    if (Number(updated) === 0) await this.db('heartbeat').insert({ id: 1, at: at.getTime() }).onConflict('id').merge();
  }
}
