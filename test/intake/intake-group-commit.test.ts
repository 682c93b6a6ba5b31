/**
 * Webhooks arriving together are committed together, on each engine: while one event's
 * transaction is held open, the next requests queue; they then go into one transaction
 * and each request still gets its own answer (created, repeated, refused). A transaction
 * that fails writes none of its group and every request of it hears so; an event the
 * database refuses fails alone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TriggerEvent } from '../../src/domain/trigger-event';
import { CaseStore } from '../../src/store/case-store';
import { OutboxStore } from '../../src/store/support-stores';
import { serviceWorld, type ServiceWorld } from '../support/services';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { intakeBody, startIntakeServer, type IntakeServer } from './intake-client';

describe.each(ENGINES)('intake group commit on %s', (engine) => {
  let db: TestDatabase;
  let w: ServiceWorld;
  let api: IntakeServer;

  beforeAll(async () => {
    db = await createTestDatabase(engine, { poolMax: 20 });
    w = serviceWorld(db);
    api = await startIntakeServer(w);
  });
  afterAll(async () => {
    await api.close();
    await db.destroy();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /**
   * Holds the next transaction of intake events open until `release()`, and records every
   * group `openCases` is given; `queued(n)` waits until n events were handed to the group.
   */
  function holdNextGroup() {
    const groups: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const openCases = w.cases.openCases.bind(w.cases);
    vi.spyOn(w.cases, 'openCases').mockImplementation(async (events: readonly TriggerEvent[]) => {
      groups.push(events.map((e) => e.externalId!));
      if (groups.length === 1) await gate;
      return openCases(events);
    });
    const handedIn = vi.spyOn(w.cases, 'openCaseWithOthers');
    const queued = async (n: number) => {
      while (handedIn.mock.calls.length < n) await new Promise((r) => setTimeout(r, 5));
    };
    return { groups, release, queued };
  }

  const casesOf = (ids: string[]) => db.knex('cases').whereIn('external_id', ids);

  it('answers each request of one group on its own: created, repeated (in the database or the group), refused', async () => {
    const existing = intakeBody();
    const before = await api.post(existing);
    expect(before.status).toBe(201);
    const held = holdNextGroup();
    const blocker = intakeBody();
    const first = api.post(blocker);
    await held.queued(1);
    const fresh = intakeBody();
    const other = intakeBody({ trigger: 'new_referral', visitType: null, referringOffice: 'Lakeside Family Practice' });
    const replies = Promise.all([api.post(fresh), api.post({ ...existing, details: 'sent again' }), api.post({ ...fresh, details: 'sent twice' }), api.post(other)]);
    // Refused before it reaches the database: answered while the transaction is held.
    const invalid = await api.post(intakeBody({ trigger: 'lost_luggage' }));
    expect(invalid).toMatchObject({ status: 400, body: { errors: { trigger: expect.any(String) } } });
    await held.queued(5);
    held.release();
    expect((await first).status).toBe(201);
    const [created, repeatedFromBefore, repeatedInGroup, createdToo] = await replies;

    expect(held.groups).toHaveLength(2);
    expect(held.groups[0]).toEqual([blocker.externalId]);
    expect([...held.groups[1]!].sort()).toEqual([fresh.externalId, existing.externalId, fresh.externalId, other.externalId].sort());
    expect(created!.status + repeatedInGroup!.status).toBe(401); // one 201, one 200: whichever came first
    expect(repeatedInGroup!.body).toEqual(created!.body);
    expect(repeatedFromBefore).toMatchObject({ status: 200, body: before.body });
    expect(createdToo!.status).toBe(201);

    const rows = await casesOf([fresh.externalId, other.externalId, existing.externalId, blocker.externalId]);
    expect(rows).toHaveLength(4);
    const ids = rows.map((r) => Number(r.id));
    expect(await db.knex('case_events').whereIn('case_id', ids).where({ action: 'opened' })).toHaveLength(4);
    expect(await db.knex('outbox').where({ kind: 'case_card' }).whereIn('ref', ids.map(String))).toHaveLength(4);
  });

  it('writes nothing of a group whose transaction fails, and tells each of its requests', async () => {
    const held = holdNextGroup();
    const first = api.post(intakeBody());
    await held.queued(1);
    // The group's cases and audit entries are written, then queuing their cards fails: all must roll back.
    const enqueueMany = OutboxStore.prototype.enqueueMany;
    vi.spyOn(OutboxStore.prototype, 'enqueueMany').mockImplementation(async function (this: OutboxStore, kind, refs, at) {
      if (refs.length === 3) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      return enqueueMany.call(this, kind, refs, at);
    });
    const bodies = [intakeBody(), intakeBody(), intakeBody()];
    const replies = Promise.all(bodies.map((b) => api.post(b)));
    await held.queued(4);
    held.release();
    expect((await first).status).toBe(201);
    for (const reply of await replies) expect(reply).toMatchObject({ status: 503, headers: { 'retry-after': expect.any(String) } });
    expect(held.groups[1]).toHaveLength(3);
    expect(await casesOf(bodies.map((b) => b.externalId))).toEqual([]);
    // Sent again, they go in.
    for (const b of bodies) expect((await api.post(b)).status).toBe(201);
  });

  it('fails only the event the database refuses; the rest of its group goes in', async () => {
    const held = holdNextGroup();
    const first = api.post(intakeBody());
    await held.queued(1);
    const poison = intakeBody();
    const insertCases = CaseStore.prototype.insertCases;
    vi.spyOn(CaseStore.prototype, 'insertCases').mockImplementation(async function (this: CaseStore, cases) {
      if (cases.some((c) => c.externalId === poison.externalId)) throw Object.assign(new Error('CHECK constraint failed'), { code: 'SQLITE_CONSTRAINT_CHECK' });
      return insertCases.call(this, cases);
    });
    const good = [intakeBody(), intakeBody()];
    const replies = Promise.all([api.post(good[0]), api.post(poison), api.post(good[1])]);
    await held.queued(4);
    held.release();
    expect((await first).status).toBe(201);
    const [a, refused, b] = await replies;
    expect([a!.status, refused!.status, b!.status]).toEqual([201, 500, 201]);
    expect(held.groups[1]).toHaveLength(3);
    expect((await casesOf(good.map((g) => g.externalId))).map((r) => r.external_id).sort()).toEqual(good.map((g) => g.externalId).sort());
    expect(await casesOf([poison.externalId])).toEqual([]);
  });
});
