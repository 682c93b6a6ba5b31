/**
 * The multi-row writes the SLA sweep raises its escalations with, on each engine, straight
 * on the stores: many cases updated at once each against the version it was read at,
 * escalations inserted in order with their ids, urgent escalations re-raised once, claims
 * taken and given back together, and outbox messages queued together exactly as one
 * `enqueue` after another would queue them. Batches larger than one statement may carry
 * (500 rows of a knex insert on SQLite) are written whole.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/domain/alerts';
import type { Case, CaseEvent, Escalation } from '../../src/domain/types';
import { defaultPolicy } from '../../src/domain/policy';
import type { NewCase } from '../../src/services/ports';
import { createStores, type Stores } from '../../src/store/stores';
import { buildCase } from '../support/case-builder';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

/** Wednesday 2026-11-25 09:00 New York. */
const T = new Date('2026-11-25T14:00:00.000Z');
const LATER = new Date(T.getTime() + 60_000);

function newCase(i: number, overrides: Partial<Case> = {}): NewCase {
  const { id: _id, number: _number, ...c } = buildCase({ externalId: `bulk-${i}`, occurredAt: T, createdAt: T, updatedAt: T, lastMovedAt: T, ...overrides });
  return c;
}

function escalationOf(c: Case, i: number): Omit<Escalation, 'id'> {
  return {
    caseId: c.id,
    reason: i % 2 === 0 ? 'response_window_missed' : 'urgent_referral_delay',
    text: i % 3 === 0 ? null : `text ${i}`,
    target: i % 2 === 0 ? 'managers' : 'providers',
    urgent: i % 2 === 1,
    raisedBy: 'carebridge',
    raisedAt: T,
    acknowledgedBy: null,
    acknowledgedAt: null,
    guidance: null,
    reraisedAt: null,
  };
}

describe.each(ENGINES)('bulk writes on %s', (engine) => {
  let db: TestDatabase;
  let stores: Stores;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    stores = createStores(db.knex, defaultPolicy().calendar);
  });
  afterEach(async () => {
    await db.destroy();
  });

  async function insertCases(n: number, overrides: (i: number) => Partial<Case> = () => ({})): Promise<Case[]> {
    const inserted: Case[] = [];
    for (let i = 0; i < n; i += 400) inserted.push(...(await stores.cases.insertCases(Array.from({ length: Math.min(400, n - i) }, (_, k) => newCase(i + k, overrides(i + k))))));
    return inserted.sort((a, b) => a.id - b.id);
  }

  it('updates many cases at once, each only against the version it was read at, and says which it wrote', async () => {
    const cases = await insertCases(1_200, (i) => ({ state: i % 3 === 0 ? 'open' : 'active', ownerId: i % 3 === 0 ? null : 'U0COORD01' }));
    // Someone changes two cases after they were read.
    const [stale1, stale2] = [cases[5]!, cases[700]!];
    for (const c of [stale1, stale2]) expect(await stores.cases.updateCase({ ...c, details: 'changed meanwhile', version: c.version + 1 }, c.version)).toBe(true);
    // Three kinds of change: to escalated (version +1), kept open (version +1), escalated twice (version +2).
    const changes = cases.map((c, i) => ({
      before: c,
      after: { ...c, state: c.state === 'open' ? ('open' as const) : ('escalated' as const), updatedAt: LATER, version: c.version + (i % 7 === 0 ? 2 : 1) },
    }));
    const written = await stores.cases.updateCases(changes);
    expect(written.size).toBe(1_198);
    expect(written.has(stale1.id) || written.has(stale2.id)).toBe(false);
    for (const i of [0, 1, 2, 7, 699, 701, 1_199]) {
      expect(await stores.cases.getCase(cases[i]!.id)).toEqual(changes[i]!.after);
    }
    // The stale ones keep the other writer's change, untouched by this one.
    expect(await stores.cases.getCase(stale1.id)).toMatchObject({ details: 'changed meanwhile', state: stale1.state, version: stale1.version + 1, updatedAt: T });
    // Written again from the same reading: every case is stale now.
    expect((await stores.cases.updateCases(changes)).size).toBe(0);
    expect(await stores.cases.updateCases([])).toEqual(new Set());
  });

  it('inserts many escalations in the order given, with their ids, as one insert after another would', async () => {
    const cases = await insertCases(1_100);
    const wanted = cases.map(escalationOf);
    const inserted = await stores.cases.insertEscalations(wanted);
    expect(inserted.map(({ id: _id, ...e }) => e)).toEqual(wanted);
    expect(new Set(inserted.map((e) => e.id)).size).toBe(1_100);
    for (const e of [inserted[0]!, inserted[555]!, inserted[1_099]!]) expect(await stores.cases.getEscalation(e.id)).toEqual(e);
    expect(await stores.cases.insertEscalations([])).toEqual([]);
  });

  it('re-raises many urgent escalations at once, each once, never an acknowledged one', async () => {
    const cases = await insertCases(3);
    const [a, b, c] = await stores.cases.insertEscalations(cases.map((x) => ({ ...escalationOf(x, 1) })));
    expect(await stores.cases.acknowledgeEscalation(b!.id, 'U0PROV001', 'Seen', T)).toBe(true);
    expect(await stores.cases.markReraised(c!.id, T)).toBe(true);
    expect(await stores.cases.markAllReraised([a!.id, b!.id, c!.id], LATER)).toEqual(new Set([a!.id]));
    expect((await stores.cases.getEscalation(a!.id))!.reraisedAt).toEqual(LATER);
    expect((await stores.cases.getEscalation(c!.id))!.reraisedAt).toEqual(T);
    expect(await stores.cases.markAllReraised([a!.id], LATER)).toEqual(new Set());
  });

  it('appends the audit entries of many cases, each case’s in the order given', async () => {
    const cases = await insertCases(2);
    const entries = Array.from({ length: 1_300 }, (_, i) => ({
      caseId: cases[i % 2]!.id,
      event: { action: 'breach_alerted', actorId: 'carebridge', at: T, before: null, after: { n: i } } satisfies CaseEvent,
    }));
    await stores.cases.appendEventsOfCases(entries);
    const trail = await stores.cases.listEvents(cases[1]!.id);
    expect(trail.map((e) => (e.after as { n: number }).n)).toEqual(entries.filter((_, i) => i % 2 === 1).map((e) => e.event.after.n));
  });

  it('claims escalations together, once each, and gives back exactly the claims named', async () => {
    const cases = await insertCases(600);
    const claims = cases.map((c) => ({ caseId: c.id, reason: 'response_window_missed' as const, key: '0' }));
    // One was claimed before (another instance's sweep).
    expect(await stores.breaches.claimEscalation(cases[10]!.id, 'response_window_missed', '0', T)).toBe(true);
    const claimed = await stores.breaches.claimEscalations(claims, T);
    expect(claimed.size).toBe(599);
    expect(claimed.has(alertKey({ caseId: cases[10]!.id, kind: 'escalation:response_window_missed', key: '0' }))).toBe(false);
    expect(claimed.has(alertKey({ caseId: cases[11]!.id, kind: 'escalation:response_window_missed', key: '0' }))).toBe(true);
    // Another key of the same case and reason is another claim, and stays.
    expect(await stores.breaches.claimEscalation(cases[20]!.id, 'response_window_missed', '1700000000000', T)).toBe(true);
    await stores.breaches.releaseEscalations([claims[20]!, claims[21]!, { ...claims[22]!, reason: 'urgent_referral_delay' }]);
    expect(await stores.breaches.countAlerts(cases[20]!.id, 'escalation:response_window_missed')).toBe(1);
    expect(await stores.breaches.countAlerts(cases[21]!.id)).toBe(0);
    expect(await stores.breaches.countAlerts(cases[22]!.id)).toBe(1);
    expect((await stores.breaches.claimEscalations([claims[20]!, claims[21]!, claims[22]!], LATER)).size).toBe(2);
  });

  it('queues many messages as one enqueue after another would: coalesced ones skipped when one waits, never when it is being sent', async () => {
    const { outbox } = stores;
    await outbox.enqueue('case_card', '1', null, T, true); // waiting
    await outbox.enqueue('case_card', '2', null, T, true);
    const [sending] = await db.knex('outbox').where({ ref: '2' }).select('id');
    expect(await outbox.lease([Number(sending!.id)], T, new Date(T.getTime() + 120_000), 'other')).toHaveLength(1); // being sent (its lease runs past LATER)
    await outbox.enqueue('case_card', '3', null, T, true);
    await outbox.markDelivered([Number((await db.knex('outbox').where({ ref: '3' }).first('id'))!.id)], T); // delivered
    const before = Number((await db.knex('outbox').max('id as id').first())!.id);
    const batch = [
      { kind: 'case_card', ref: '1', payload: null, coalesce: true },
      { kind: 'case_card', ref: '2', payload: null, coalesce: true },
      { kind: 'case_card', ref: '3', payload: null, coalesce: true },
      { kind: 'case_card', ref: '4', payload: null, coalesce: true },
      { kind: 'home_publish', ref: 'U0COORD01', payload: null, coalesce: true },
      { kind: 'case_card', ref: '4', payload: null, coalesce: true }, // covered by the one just before it
      { kind: 'breach_dm', ref: 'U0COORD01', payload: { period: 'p', items: [] }, coalesce: false },
      { kind: 'breach_dm', ref: 'U0COORD01', payload: { period: 'p', items: [] }, coalesce: false }, // never coalesced
      ...Array.from({ length: 1_100 }, (_, i) => ({ kind: 'case_card', ref: String(100 + i), payload: null, coalesce: true })),
    ];
    await outbox.enqueueAll(batch, LATER);
    const added = await db.knex('outbox').where('id', '>', before).orderBy('id');
    expect(added.slice(0, 6).map((r) => [r.kind, r.ref, r.payload === null ? null : JSON.parse(r.payload)])).toEqual([
      ['case_card', '2', null],
      ['case_card', '3', null],
      ['case_card', '4', null],
      ['home_publish', 'U0COORD01', null],
      ['breach_dm', 'U0COORD01', { period: 'p', items: [] }],
      ['breach_dm', 'U0COORD01', { period: 'p', items: [] }],
    ]);
    expect(added).toHaveLength(6 + 1_100);
    expect(added.map((r) => r.ref).slice(6)).toEqual(Array.from({ length: 1_100 }, (_, i) => String(100 + i)));
    expect(added.every((r) => Number(r.created_at) === LATER.getTime() && Number(r.next_attempt_at) === LATER.getTime())).toBe(true);
    await outbox.enqueueAll([], LATER);
  });

  it('stores the rows enqueueAll writes exactly as enqueue writes them', async () => {
    const { outbox } = stores;
    const messages = [
      { kind: 'case_card', ref: '7', payload: null, coalesce: true },
      { kind: 'breach_summary', ref: 'p', payload: { period: 'p', total: 0, items: [] }, coalesce: false },
    ];
    for (const m of messages) await outbox.enqueue(m.kind, m.ref, m.payload, T, m.coalesce);
    const one = await db.knex('outbox').orderBy('id').select('kind', 'ref', 'payload', 'created_at', 'next_attempt_at', 'attempts', 'failed');
    await db.knex('outbox').delete();
    await outbox.enqueueAll(messages, T);
    const all = await db.knex('outbox').orderBy('id').select('kind', 'ref', 'payload', 'created_at', 'next_attempt_at', 'attempts', 'failed');
    expect(all).toEqual(one);
  });
});
