/**
 * A practice's live queue of open cases, for the figures that need one (SLA sweep,
 * digest and Home, interactions, memory): unclaimed and claimed cases due later, cases
 * breached and already alerted, cases newly breaching, and cases kept aside for Claim
 * presses and note submissions. Each case has its 'opened' audit entry and a posted
 * case card, as in a practice that has run for a while.
 */
import { addCalendarDays, type PracticeCalendar } from '../../src/domain/calendar';
import { defaultPolicy } from '../../src/domain/policy';
import { queueKeys } from '../../src/domain/queue';
import type { Engine } from '../../src/store/db';
import { CHANNELS } from '../../test/support/slack-payloads';
import type { BenchDatabase } from './databases';
import { bulkInsertAll } from './bulk-insert';
import { COORDINATOR_IDS, DAY, HOUR, MINUTE, Random, caseRow, claimed, openedEventRow, type CaseRow } from './practice-data';

/** The shape of the queue to seed. */
export interface QueueOptions {
  /** Open cases in all. */
  open: number;
  /** The instant the queue is looked at (epoch ms), and its practice date. */
  now: number;
  today: string;
  /** Newly breaching: past their first-response window (70%) or next-action date (30%), not yet alerted. */
  breaching?: number;
  /** Breached earlier and already alerted and escalated, so the sweep must pass them over. */
  alerted?: number;
  /** Unclaimed cases kept for Claim presses (the first ids). */
  toClaim?: number;
  /** Claimed cases kept for note submissions by their owners (the ids after those). */
  toNote?: number;
  seed?: number;
  /** The practice calendar the queue keys are worked out in (the default policy's unless given). */
  calendar?: PracticeCalendar;
}

/** The cases kept aside for interactions, by id. */
export interface SeededQueue {
  toClaim: number[];
  toNote: { caseId: number; owner: string }[];
}

const BATCH = 10_000;

/** Inserts the queue (in batches, so 100,000 cases never sit in memory at once). */
export async function seedOpenQueue(db: BenchDatabase, engine: Engine, o: QueueOptions): Promise<SeededQueue> {
  const rnd = new Random(o.seed ?? 7);
  const toClaim = o.toClaim ?? 0;
  const toNote = o.toNote ?? 0;
  const breaching = o.breaching ?? 0;
  const alerted = o.alerted ?? 0;
  const seeded: SeededQueue = { toClaim: [], toNote: [] };
  const cal = o.calendar ?? defaultPolicy().calendar;
  const yesterday = addCalendarDays(o.today, -1);
  let cases: CaseRow[] = [];
  let events: Record<string, unknown>[] = [];
  let alerts: Record<string, unknown>[] = [];
  let cards: Record<string, unknown>[] = [];
  const flush = async () => {
    await bulkInsertAll(db.knex, engine, [['cases', cases], ['case_events', events], ['breach_alerts', alerts], ['slack_messages', cards]]);
    cases = [];
    events = [];
    alerts = [];
    cards = [];
  };

  for (let id = 1; id <= o.open; id++) {
    const owner = COORDINATOR_IDS[id % COORDINATOR_IDS.length]!;
    const recent = { occurredAt: o.now - rnd.between(2, 20) * HOUR, firstResponseDueAt: o.now + rnd.between(1, 72) * HOUR, resolutionDueAt: o.now + rnd.between(2, 20) * DAY };
    let row: CaseRow;
    let k = id - 1;
    if (k < toClaim) {
      row = caseRow(rnd, id, recent);
      seeded.toClaim.push(id);
    } else if ((k -= toClaim) < toNote) {
      row = claimed(caseRow(rnd, id, recent), owner, o.now - rnd.between(1, 6) * HOUR, addCalendarDays(o.today, rnd.between(1, 14)));
      seeded.toNote.push({ caseId: id, owner });
    } else if ((k -= toNote) < breaching) {
      const past = { ...recent, occurredAt: o.now - 30 * HOUR, firstResponseDueAt: o.now - rnd.between(1, 240) * MINUTE };
      // 70% missed their first-response window just now; 30% passed their next promised action's date.
      row = k < Math.round(breaching * 0.7) ? caseRow(rnd, id, past) : claimed(caseRow(rnd, id, recent), owner, o.now - 3 * DAY, yesterday);
    } else if ((k -= breaching) < alerted) {
      const due = o.now - rnd.between(2, 10) * DAY;
      row = caseRow(rnd, id, { occurredAt: due - DAY, firstResponseDueAt: due, resolutionDueAt: due + 5 * DAY });
      alerts.push({ case_id: id, kind: 'first_response', key: String(due), alerted_at: due + 5 * MINUTE, routed_to: null });
      alerts.push({ case_id: id, kind: 'escalation:response_window_missed', key: '0', alerted_at: due + 5 * MINUTE, routed_to: null });
    } else {
      // The rest of the queue: half waiting for a coordinator, half claimed and on track.
      row = rnd.chance(0.5) ? caseRow(rnd, id, recent) : claimed(caseRow(rnd, id, recent), owner, o.now - rnd.between(1, 48) * HOUR, addCalendarDays(o.today, rnd.between(1, 14)));
    }
    row.id = id;
    // The queue keys the case store writes with every case (App Home and the digest read them).
    const keys = queueKeys(cal, {
      state: row.state as 'open',
      firstResponseAt: row.first_response_at === null || row.first_response_at === undefined ? null : new Date(Number(row.first_response_at)),
      firstResponseDueAt: new Date(Number(row.first_response_due_at)),
      nextActionDue: (row.next_action_due as string | null | undefined) ?? null,
      resolutionDueAt: new Date(Number(row.resolution_due_at)),
    });
    row.next_due_at = keys.nextDueAt;
    row.overdue_at = keys.overdueAt;
    cases.push(row);
    events.push(openedEventRow(id, row));
    cards.push({ kind: 'case_card', ref: String(id), channel: CHANNELS.coordinators, ts: `1700000000.${String(id).padStart(6, '0')}`, posted_at: row.created_at });
    if (cases.length >= BATCH) await flush();
  }
  await flush();
  // Ids were given explicitly: move PostgreSQL's sequence past them for the rows the app adds.
  if (engine === 'postgres') await db.knex.raw(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))`);
  return seeded;
}
