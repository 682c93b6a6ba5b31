/**
 * A year of a large practice for the weekly metrics: cases opened on business days
 * all year, claimed, noted (contact attempts, barriers), sometimes escalated and
 * acknowledged, mostly closed with an outcome, a few reopened; the newest still open.
 * Generated and inserted in batches until exactly `events` audit entries exist.
 */
import type { Engine } from '../../src/store/db';
import { SYSTEM_ACTOR_ID } from '../../src/domain/types';
import type { BenchDatabase } from './databases';
import { bulkInsertAll } from './bulk-insert';
import { COORDINATOR_IDS, DAY, HOUR, MANAGER_ID, MINUTE, PROVIDER_ID, Random, caseRow, openedEventRow, type CaseRow } from './practice-data';

type Row = Record<string, unknown>;

const WINDOW_HOURS: Record<string, number> = { urgent: 4, high: 24, routine: 48, low: 120 };
const OUTCOMES = ['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'barrier_resolved', 'unreachable', 'declined', 'not_needed'] as const;
const BARRIERS = ['transportation', 'work_schedule', 'cost', 'phone_tag', 'language', 'fear_or_anxiety', 'insurance', 'technology'] as const;
const RESULTS = ['reached', 'reached', 'reached', 'left_voicemail', 'no_answer', 'message_sent'] as const;
const BATCH_CASES = 5_000;

/** 'YYYY-MM-DD' of an instant in the practice's zone (New York; an hour off around DST is fine here). */
const localDate = (ms: number) => new Date(ms - 5 * HOUR).toISOString().slice(0, 10);

/** What `seedYear` inserted. */
export interface YearSummary {
  cases: number;
  events: number;
  notes: number;
}

/** Inserts a year ending at `now`, stopping at exactly `events` case events. */
export async function seedYear(db: BenchDatabase, engine: Engine, o: { now: number; events: number; seed?: number }): Promise<YearSummary> {
  const rnd = new Random(o.seed ?? 11);
  const summary: YearSummary = { cases: 0, events: 0, notes: 0 };
  let id = 0;
  while (summary.events < o.events) {
    const cases: CaseRow[] = [];
    const events: Row[] = [];
    const notes: Row[] = [];
    const escalations: Row[] = [];
    for (let i = 0; i < BATCH_CASES && summary.events + events.length < o.events; i++) {
      id += 1;
      oneCase(rnd, id, o.now, cases, events, notes, escalations);
    }
    // The last batch stops at the exact count (the final case may lose its last entries).
    events.length = Math.min(events.length, o.events - summary.events);
    await bulkInsertAll(db.knex, engine, [['cases', cases], ['case_events', events], ['notes', notes], ['escalations', escalations]]);
    summary.cases += cases.length;
    summary.events += events.length;
    summary.notes += notes.length;
  }
  if (engine === 'postgres') await db.knex.raw(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))`);
  return summary;
}

/** One case's life, appended to the batch's rows. */
function oneCase(rnd: Random, id: number, now: number, cases: CaseRow[], events: Row[], notes: Row[], escalations: Row[]): void {
  // A business-day morning or afternoon in the last year (13:00–22:00 UTC is 08:00–17:00 in New York).
  let day = now - rnd.between(1, 365) * DAY;
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= DAY;
  const occurredAt = Math.floor(day / DAY) * DAY + 13 * HOUR + rnd.int(9 * 60) * MINUTE;
  const draft = caseRow(rnd, id, { occurredAt, firstResponseDueAt: 0, resolutionDueAt: 0 });
  const row: CaseRow = { ...draft, id, first_response_due_at: occurredAt + WINDOW_HOURS[String(draft.tier)]! * HOUR, resolution_due_at: occurredAt + rnd.between(3, 14) * DAY };
  const event = (action: string, actor: string, at: number, after: object | null, before: object | null = null) => {
    if (at < now) events.push({ case_id: id, action, actor_id: actor, at, before: before && JSON.stringify(before), after: after && JSON.stringify(after) });
  };
  events.push(openedEventRow(id, row));
  cases.push(row);
  if (rnd.chance(0.03)) return; // never claimed: waits in the queue

  const owner = rnd.pick(COORDINATOR_IDS);
  let t = Number(row.created_at) + rnd.between(30, 20 * 60) * MINUTE;
  if (t >= now) return;
  Object.assign(row, { state: 'active', owner_id: owner, claimed_at: t, updated_at: t, version: 2 });
  event('claimed', owner, t, { state: 'active', ownerId: owner, claimedAt: new Date(t).toISOString() }, { state: 'open', ownerId: null });

  let failed = 0;
  for (let n = rnd.between(1, 3); n > 0; n--) {
    t += rnd.between(60, 72 * 60) * MINUTE;
    if (t >= now) return;
    const result = rnd.pick(RESULTS);
    const reached = result === 'reached';
    failed = reached ? 0 : failed + 1;
    const barrier = rnd.chance(0.3) ? rnd.pick(BARRIERS) : 'none';
    const target = localDate(t + rnd.between(2, 10) * DAY);
    notes.push({
      case_id: id, author_id: owner, created_at: t, contact_channel: rnd.chance(0.7) ? 'phone' : 'text', contact_result: result,
      status: reached ? 'on_track' : 'waiting_on_patient', barrier, barrier_text: null, understanding: reached ? 'understands' : 'not_reached',
      understanding_text: null, next_action: 'Confirm the appointment with the patient', responsible_party: 'coordinator', responsible_user_id: null,
      target_date: target, escalation_reason: null, escalation_text: null, checklist: null,
    });
    row.first_response_at ??= t;
    Object.assign(row, { next_action: 'Confirm the appointment with the patient', next_action_due: target, consecutive_failed_attempts: failed, updated_at: t });
    event('noted', owner, t, { nextActionDue: target, consecutiveFailedAttempts: failed });
  }
  if (rnd.chance(0.3)) event('details_viewed', owner, t + 5 * MINUTE, null);
  if (rnd.chance(0.05)) event('breach_alerted', SYSTEM_ACTOR_ID, Number(row.first_response_due_at) + 5 * MINUTE, { kind: 'first_response', dmTo: owner });

  if (rnd.chance(0.08)) {
    const raisedAt = t + rnd.between(5, 120) * MINUTE;
    const acknowledgedAt = rnd.chance(0.8) ? raisedAt + rnd.between(10, 8 * 60) * MINUTE : null;
    if (raisedAt >= now) return;
    escalations.push({
      case_id: id, reason: 'medication_confusion', text: 'Unsure which dose to take', target: 'providers', urgent: row.tier === 'urgent', raised_by: owner, raised_at: raisedAt,
      acknowledged_by: acknowledgedAt && acknowledgedAt < now ? PROVIDER_ID : null, acknowledged_at: acknowledgedAt && acknowledgedAt < now ? acknowledgedAt : null,
      guidance: acknowledgedAt && acknowledgedAt < now ? 'Take the morning dose only; nurse will call' : null, reraised_at: null,
    });
    event('escalated', owner, raisedAt, { state: 'escalated', reason: 'medication_confusion' });
    if (acknowledgedAt) event('escalation_acknowledged', PROVIDER_ID, acknowledgedAt, { state: 'active' });
    t = acknowledgedAt ?? raisedAt;
  }

  // Most cases close within days; a few linger in the backlog whatever their age.
  const closeAt = t + rnd.between(60, 96 * 60) * MINUTE;
  if (closeAt >= now || rnd.chance(0.03)) return;
  const close = (at: number) => {
    const outcome = rnd.pick(OUTCOMES);
    const loopClosed = row.lane === 'referral' && outcome === 'completed' ? rnd.chance(0.8) : null;
    Object.assign(row, { state: 'closed', closed_at: at, outcome, close_reason: 'Next step confirmed with the patient', loop_closed: loopClosed, updated_at: at });
    event('closed', owner, at, { state: 'closed', closedAt: new Date(at).toISOString(), outcome, loopClosed });
  };
  close(closeAt);
  if (rnd.chance(0.02)) {
    const reopenAt = closeAt + rnd.between(2, 48) * HOUR;
    if (reopenAt >= now) return;
    Object.assign(row, { state: 'active', closed_at: null, outcome: null, close_reason: null, loop_closed: null, updated_at: reopenAt });
    event('reopened', MANAGER_ID, reopenAt, { state: 'active', closedAt: null, outcome: null });
    const again = reopenAt + rnd.between(2, 72) * HOUR;
    if (again < now) close(again);
  }
}
