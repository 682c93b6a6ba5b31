import type { Knex } from 'knex';
import { alertKey, REMINDER } from '../domain/alerts';
import { FAILED_CONTACT_RUN, type AutomaticReason } from '../domain/escalation';
import type { Case, Escalation } from '../domain/types';
import type { BreachAlert, BreachPort, EscalationClaim } from '../services/ports';
import { chunks, insertRowsPerStatement, rowsPerStatement } from './chunks';
import { rowToCase, rowToEscalation } from './rows';

// Predicates written with literal constants, exactly as in the partial indexes of the
// breach-alerts migration, so SQLite and PostgreSQL read only the cases that match.
const OPEN = `cases.state <> 'closed'`;
const NO_FIRST_RESPONSE = 'cases.first_response_at IS NULL';
const FAILING_CONTACT = `cases.consecutive_failed_attempts >= ${FAILED_CONTACT_RUN}`;
const URGENT_REFERRAL = `cases.lane = 'referral' AND cases.tier = 'urgent'`;
const REATTEMPT_SCHEDULED = 'cases.next_attempt_due_at IS NOT NULL';
/** When the case was last reopened (0: never), as text: an automatic escalation is raised once per such epoch. */
const REOPEN_EPOCH = `CAST(COALESCE((SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.action = 'reopened'), 0) AS VARCHAR(20))`;
/** `automaticEscalationKey` (domain/escalation.ts) in SQL: the key of each reason's claim for the case as it is now. */
const ESCALATION_KEY: Record<AutomaticReason, string> = {
  response_window_missed: REOPEN_EPOCH,
  urgent_referral_delay: REOPEN_EPOCH,
  repeated_failed_contact: `${REOPEN_EPOCH} || ':' || CAST(COALESCE(cases.last_reached_at, 0) AS VARCHAR(20)) || ':' || CAST(cases.consecutive_failed_attempts / ${FAILED_CONTACT_RUN} AS VARCHAR(10))`,
};

/**
 * What the SLA sweep reads and records. Every read starts from a partial index over
 * open cases that breach, so its cost grows with the breaching cases, not all cases.
 */
export class BreachStore implements BreachPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Open cases past their first-response window with no outreach logged, not yet alerted for that window. */
  async newFirstResponseBreaches(now: Date): Promise<Case[]> {
    const rows = await this.db('cases')
      .select('cases.*')
      .whereRaw(NO_FIRST_RESPONSE)
      .whereRaw(OPEN)
      .where('cases.first_response_due_at', '<=', now.getTime())
      .whereNotExists((q) => this.alerted(q, 'first_response', 'CAST(cases.first_response_due_at AS VARCHAR(20))'))
      .orderBy('cases.first_response_due_at')
      .orderBy('cases.id');
    return rows.map(rowToCase);
  }

  /** Open cases whose next promised action's target date is before `today`, not yet alerted for that date. */
  async newNextActionBreaches(today: string): Promise<Case[]> {
    const rows = await this.db('cases')
      .select('cases.*')
      .whereRaw(OPEN)
      .where('cases.next_action_due', '<', today)
      .whereNotExists((q) => this.alerted(q, 'next_action', 'cases.next_action_due'))
      .orderBy('cases.next_action_due')
      .orderBy('cases.id');
    return rows.map(rowToCase);
  }

  /** Open cases whose scheduled re-attempt is due by `now`, not yet alerted for that due time. */
  async newReattemptBreaches(now: Date): Promise<Case[]> {
    const rows = await this.db('cases')
      .select('cases.*')
      .whereRaw(REATTEMPT_SCHEDULED)
      .whereRaw(OPEN)
      .where('cases.next_attempt_due_at', '<=', now.getTime())
      .whereNotExists((q) => this.alerted(q, 'reattempt', 'CAST(cases.next_attempt_due_at AS VARCHAR(20))'))
      .orderBy('cases.next_attempt_due_at')
      .orderBy('cases.id');
    return rows.map(rowToCase);
  }

  /**
   * Claimed open cases with no outreach logged whose first-response window ends in
   * `(now, dueBy]`, not yet reminded for that window. `reminderDue` decides each.
   */
  async firstResponsesDueSoon(now: Date, dueBy: Date): Promise<Case[]> {
    const rows = await this.db('cases')
      .select('cases.*')
      .whereRaw(NO_FIRST_RESPONSE)
      .whereRaw(OPEN)
      .where('cases.first_response_due_at', '>', now.getTime())
      .where('cases.first_response_due_at', '<=', dueBy.getTime())
      .whereNotNull('cases.owner_id')
      .whereNotExists((q) => this.alerted(q, REMINDER.first_response, 'CAST(cases.first_response_due_at AS VARCHAR(20))'))
      .orderBy('cases.first_response_due_at')
      .orderBy('cases.id');
    return rows.map(rowToCase);
  }

  /**
   * Claimed open cases whose next step, not yet worked, has a target date in
   * `[today, targetDateBy]`, not yet reminded for that date. `reminderDue` decides each.
   */
  async nextStepsDueSoon(today: string, targetDateBy: string): Promise<Case[]> {
    const rows = await this.db('cases')
      .select('cases.*')
      .whereRaw(OPEN)
      .where('cases.next_action_due', '>=', today)
      .where('cases.next_action_due', '<=', targetDateBy)
      .whereNull('cases.next_action_attempted_at')
      .whereNotNull('cases.owner_id')
      .whereNotExists((q) => this.alerted(q, REMINDER.next_action, 'cases.next_action_due'))
      .orderBy('cases.next_action_due')
      .orderBy('cases.id');
    return rows.map(rowToCase);
  }

  /** The `breach_alerts` row that says this case was alerted (or reminded) of `kind` under the key `keySql`. */
  private alerted(q: Knex.QueryBuilder, kind: string, keySql: string): Knex.QueryBuilder {
    return q
      .select(this.db.raw('1'))
      .from('breach_alerts as b')
      .whereRaw('b.case_id = cases.id')
      .where('b.kind', kind)
      .whereRaw(`b.key = ${keySql}`);
  }

  /**
   * Open cases that meet the condition of an automatic escalation as of `now` and have not
   * had it raised under its current key (since they were last reopened; for repeated failed
   * contact, in the current run of failures). The domain's `automaticEscalations` has
   * the last word; this only narrows the cases it is asked about.
   */
  async escalationCandidates(reason: AutomaticReason, now: Date): Promise<Case[]> {
    const query = this.db('cases').select('cases.*').whereRaw(OPEN);
    if (reason === 'response_window_missed') query.whereRaw(NO_FIRST_RESPONSE).where('cases.first_response_due_at', '<=', now.getTime());
    if (reason === 'repeated_failed_contact') query.whereRaw(FAILING_CONTACT);
    if (reason === 'urgent_referral_delay') query.whereRaw(URGENT_REFERRAL).where('cases.resolution_due_at', '<=', now.getTime());
    const rows = await query
      .whereNotExists((q) => this.alerted(q, `escalation:${reason}`, ESCALATION_KEY[reason]));
    // Unordered on purpose: ORDER BY id would tempt SQLite to scan the table in rowid order; the caller sorts.
    return rows.map(rowToCase);
  }

  /** When each case was last reopened (absent: never), for the cases given. */
  async reopenedAt(caseIds: number[]): Promise<Map<number, Date>> {
    const found = new Map<number, Date>();
    for (const ids of chunks(caseIds, rowsPerStatement(this.db, 1, 1))) {
      const rows = await this.db('case_events').whereIn('case_id', ids).where('action', 'reopened').groupBy('case_id').select('case_id').max('at as at');
      for (const r of rows) found.set(Number(r.case_id), new Date(Number(r.at)));
    }
    return found;
  }

  /** Every escalation of the cases given. */
  async escalationsOf(caseIds: number[]): Promise<Escalation[]> {
    const found: Escalation[] = [];
    for (const ids of chunks(caseIds, rowsPerStatement(this.db, 1))) {
      const rows = await this.db('escalations').whereIn('case_id', ids).orderBy('id');
      found.push(...rows.map(rowToEscalation));
    }
    return found;
  }

  /**
   * Claims an automatic escalation of a case under its key (`automaticEscalationKey`); false
   * when it was claimed already (a sweep on another instance got there first, and raises it).
   */
  async claimEscalation(caseId: number, reason: AutomaticReason, key: string, at: Date): Promise<boolean> {
    const rows = await this.db('breach_alerts')
      .insert({ case_id: caseId, kind: `escalation:${reason}`, key, alerted_at: at.getTime(), routed_to: null })
      .onConflict(['case_id', 'kind', 'key'])
      .ignore()
      .returning('id');
    return rows.length === 1;
  }

  /** Gives back a claim whose escalation was refused, so the next sweep tries again. */
  async releaseEscalation(caseId: number, reason: AutomaticReason, key: string): Promise<void> {
    await this.db('breach_alerts').where({ case_id: caseId, kind: `escalation:${reason}`, key }).delete();
  }

  /**
   * Claims many automatic escalations at once (as `claimEscalation` does one); returns the
   * `alertKey` (kind `escalation:<reason>`) of those claimed now.
   */
  async claimEscalations(claims: readonly EscalationClaim[], at: Date): Promise<Set<string>> {
    return this.recordAlerts(claims.map((c) => ({ caseId: c.caseId, kind: `escalation:${c.reason}`, key: c.key, routedTo: null })), at);
  }

  /** Gives back many claims whose escalations were not raised (refused, or the case changed meanwhile), so the next sweep tries again. */
  async releaseEscalations(claims: readonly EscalationClaim[]): Promise<void> {
    for (const part of chunks(claims, rowsPerStatement(this.db, 3))) {
      await this.db('breach_alerts')
        .whereRaw(`(case_id, kind, key) IN (VALUES ${part.map(() => '(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT))').join(', ')})`, part.flatMap((c) => [c.caseId, `escalation:${c.reason}`, c.key]))
        .delete();
    }
  }

  /**
   * Records alerts; returns the `caseId:kind:key` of those recorded now. One recorded
   * before (by a sweep that raced this one) is left out, so it is sent once.
   */
  async recordAlerts(alerts: BreachAlert[], at: Date): Promise<Set<string>> {
    const recorded = new Set<string>();
    for (const part of chunks(alerts, insertRowsPerStatement(this.db, 5))) {
      const rows = await this.db('breach_alerts')
        .insert(part.map((a) => ({ case_id: a.caseId, kind: a.kind, key: a.key, alerted_at: at.getTime(), routed_to: a.routedTo })))
        .onConflict(['case_id', 'kind', 'key'])
        .ignore()
        .returning(['case_id', 'kind', 'key']);
      for (const r of rows) recorded.add(alertKey({ caseId: Number(r.case_id), kind: r.kind, key: r.key }));
    }
    return recorded;
  }

  /** Unacknowledged urgent escalations of open cases that have not been re-raised. */
  async unansweredUrgentEscalations(): Promise<Escalation[]> {
    const rows = await this.db('escalations')
      .join('cases', 'cases.id', 'escalations.case_id')
      .select('escalations.*')
      .whereRaw('escalations.acknowledged_at IS NULL AND escalations.reraised_at IS NULL')
      .where('escalations.urgent', true)
      .whereRaw(OPEN)
      .orderBy('escalations.id');
    return rows.map(rowToEscalation);
  }

  /** How many alerts of a kind a case has had (tests and diagnostics). */
  async countAlerts(caseId: number, kind?: string): Promise<number> {
    const query = this.db('breach_alerts').where({ case_id: caseId });
    if (kind) query.where({ kind });
    const [row] = await query.count<{ n: number | string }[]>('* as n');
    return Number(row?.n ?? 0);
  }
}
