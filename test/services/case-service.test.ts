import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { COORDINATOR, COORDINATOR_2, MANAGER, PROVIDER, coordinator, manager, note, provider, serviceWorld, triggerEvent, type ServiceWorld } from '../support/services';

describe.each(ENGINES)('CaseService on %s', (engine) => {
  let db: TestDatabase;
  let w: ServiceWorld;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    w = serviceWorld(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  async function outboxKinds(): Promise<string[]> {
    return (await db.knex('outbox').orderBy('id').select('kind')).map((r) => r.kind);
  }

  it('opens a case from a trigger with lane, tier and due times, once per externalId', async () => {
    const event = triggerEvent({ priority: 'urgent' });
    const first = await w.cases.openCase(event);
    expect(first.created).toBe(true);
    expect(first.case).toMatchObject({ lane: 'referral', tier: 'urgent', state: 'open', number: `FU-${1000 + first.case.id}` });
    // Urgent: 4 business hours from Wednesday 09:00 New York.
    expect(first.case.firstResponseDueAt.toISOString()).toBe('2026-11-25T18:00:00.000Z');
    const again = await w.cases.openCase(event);
    expect(again).toMatchObject({ created: false, case: { id: first.case.id } });
    const events = await w.stores.cases.listEvents(first.case.id);
    expect(events.map((e) => e.action)).toEqual(['opened']);
    expect(JSON.stringify(events)).not.toContain('Ada Patient');
  });

  it('answers concurrent duplicates of one externalId with one case', async () => {
    const event = triggerEvent();
    const results = await Promise.all(Array.from({ length: 10 }, () => w.cases.openCase(event)));
    expect(new Set(results.map((r) => r.case.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('runs a case through claim, note, escalation, acknowledgement and close, writing the audit trail', async () => {
    const { case: opened } = await w.cases.openCase(triggerEvent({ trigger: 'hospital_discharge', referringOffice: null }));
    const claimed = await w.cases.claim(opened.id, coordinator(), COORDINATOR_2);
    expect(claimed).toMatchObject({ ok: true, case: { state: 'active', ownerId: COORDINATOR, backupId: COORDINATOR_2 } });

    const noted = await w.cases.addNote(opened.id, coordinator(), note({ escalation: { reason: 'discharge_concern', text: 'Unsure about new medication doses' } }));
    expect(noted).toMatchObject({ ok: true, case: { state: 'escalated' } });
    if (!noted.ok) return;
    expect(noted.case.firstResponseAt?.toISOString()).toBe(w.clock.now().toISOString());

    const [escalation] = await w.stores.cases.listEscalations(opened.id);
    expect(escalation).toMatchObject({ reason: 'discharge_concern', target: 'providers', acknowledgedAt: null });

    expect(await w.cases.acknowledge(escalation!.id, coordinator(), 'ok')).toMatchObject({ ok: false, code: 'forbidden' });
    const acked = await w.cases.acknowledge(escalation!.id, provider(), 'Review doses with the discharge summary; call me if dizzy.');
    expect(acked).toMatchObject({ ok: true, case: { state: 'active', ownerId: COORDINATOR } });
    expect(await w.cases.acknowledge(escalation!.id, provider(), 'again')).toMatchObject({ ok: false, code: 'conflict' });

    const closed = await w.cases.close(opened.id, coordinator(), { outcome: 'completed', reason: 'Patient confirmed the plan' });
    expect(closed).toMatchObject({ ok: true, case: { state: 'closed', outcome: 'completed' } });

    const actions = (await w.stores.cases.listEvents(opened.id)).map((e) => e.action);
    expect(actions).toEqual(['opened', 'claimed', 'noted', 'escalated', 'escalation_acknowledged', 'closed']);
    const kinds = await outboxKinds();
    expect(kinds).toContain('escalation_post');
    expect(kinds).toContain('escalation_ack');
  });

  it('saves nothing when a note is invalid, and names the fields', async () => {
    const { case: opened } = await w.cases.openCase(triggerEvent());
    await w.cases.claim(opened.id, coordinator());
    const before = await db.knex('notes').where({ case_id: opened.id }).count('* as n');
    const result = await w.cases.addNote(opened.id, coordinator(), note({ targetDate: '2026-01-01', nextAction: '' }));
    expect(result).toMatchObject({ ok: false, code: 'invalid', errors: { targetDate: expect.any(String), nextAction: expect.any(String) } });
    expect(await db.knex('notes').where({ case_id: opened.id }).count('* as n')).toEqual(before);
    expect((await w.stores.cases.getCase(opened.id))?.version).toBe(2);
  });

  it('refuses unreachable until 3 attempts on 2 channels are documented', async () => {
    const { case: opened } = await w.cases.openCase(triggerEvent({ trigger: 'recall_due', referringOffice: null }));
    await w.cases.claim(opened.id, coordinator());
    for (let i = 0; i < 3; i++) await w.cases.addNote(opened.id, coordinator(), note({ contact: { channel: 'phone', result: 'left_voicemail' } }));
    expect(await w.cases.close(opened.id, coordinator(), { outcome: 'unreachable', reason: 'No answer' })).toMatchObject({ ok: false });
    await w.cases.addNote(opened.id, coordinator(), note({ contact: { channel: 'letter', result: 'message_sent' } }));
    expect(await w.cases.close(opened.id, coordinator(), { outcome: 'unreachable', reason: 'No answer' })).toMatchObject({ ok: true });
  });

  it('lets a manager reopen and reassign; a coordinator may only take a case', async () => {
    const { case: opened } = await w.cases.openCase(triggerEvent({ trigger: 'prior_auth_pending', referringOffice: null }));
    await w.cases.claim(opened.id, coordinator());
    expect(await w.cases.reassign(opened.id, coordinator(COORDINATOR_2), COORDINATOR, null)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await w.cases.reassign(opened.id, coordinator(COORDINATOR_2), COORDINATOR_2, null)).toMatchObject({ ok: true, case: { ownerId: COORDINATOR_2 } });
    expect(await w.cases.reassign(opened.id, manager(), COORDINATOR, COORDINATOR_2)).toMatchObject({ ok: true, case: { ownerId: COORDINATOR, backupId: COORDINATOR_2 } });
    await w.cases.close(opened.id, coordinator(), { outcome: 'not_needed', reason: 'Duplicate' });
    expect(await w.cases.reopen(opened.id, manager(MANAGER))).toMatchObject({ ok: true, case: { state: 'active', outcome: null } });
  });

  it('records every viewing of patient details, and refuses outsiders', async () => {
    const { case: opened } = await w.cases.openCase(triggerEvent());
    expect(await w.cases.viewDetails(opened.id, { userId: 'U0STRANGER', roles: new Set() })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await w.cases.viewDetails(opened.id, provider(PROVIDER))).toMatchObject({ ok: true, case: { patient: { name: 'Ada Patient' } } });
    const viewed = (await w.stores.cases.listEvents(opened.id)).filter((e) => e.action === 'details_viewed');
    expect(viewed).toEqual([expect.objectContaining({ actorId: PROVIDER })]);
  });

  it('keeps away periods and validates their dates', async () => {
    expect(await w.cases.setAway(coordinator(), '2026-12-01', '2026-11-30')).toMatchObject({ ok: false, errors: { to: expect.any(String) } });
    expect(await w.cases.setAway(coordinator(), '2026-02-30', '2026-12-05')).toMatchObject({ ok: false, errors: { from: expect.any(String) } });
    expect(await w.cases.setAway(coordinator(), '2026-12-01', '2026-12-05')).toEqual({ ok: true });
    expect(await w.stores.away.awayOn([COORDINATOR, COORDINATOR_2], '2026-12-03')).toEqual(new Set([COORDINATOR]));
    expect(await w.stores.away.awayOn([COORDINATOR], '2026-12-06')).toEqual(new Set());
  });

  it('claims a period of a job once', async () => {
    expect(await w.stores.jobRuns.claim('daily-digest', '2026-11-25', w.clock.now())).toBe(true);
    expect(await w.stores.jobRuns.claim('daily-digest', '2026-11-25', w.clock.now())).toBe(false);
  });
});

describe.each(ENGINES)('concurrent claims on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    // Separate connections, so the claims really race in PostgreSQL.
    db = await createTestDatabase(engine, { poolMax: 30 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('20 simultaneous claims produce exactly one owner, 19 refusals naming them, one audit entry', async () => {
    const w = serviceWorld(db);
    const { case: opened } = await w.cases.openCase(triggerEvent());
    const claimers = Array.from({ length: 20 }, (_, i) => `U0RACE${String(i).padStart(3, '0')}`);
    const results = await Promise.all(claimers.map((id) => w.cases.claim(opened.id, coordinator(id))));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const owner = winners[0]!.ok ? winners[0]!.case.ownerId : null;
    const refusals = results.filter((r) => !r.ok);
    expect(refusals).toHaveLength(19);
    for (const r of refusals) expect(r).toMatchObject({ code: 'already_claimed', message: expect.stringContaining(`<@${owner}>`) });
    const claims = (await w.stores.cases.listEvents(opened.id)).filter((e) => e.action === 'claimed');
    expect(claims).toHaveLength(1);
    expect((await w.stores.cases.getCase(opened.id))?.ownerId).toBe(owner);
  });

  it('30 simultaneous notes on one case queue on the case row: every one is saved, none refused', async () => {
    const w = serviceWorld(db);
    const { case: opened } = await w.cases.openCase(triggerEvent());
    await w.cases.claim(opened.id, coordinator());
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => w.cases.addNote(opened.id, coordinator(), note({ nextAction: `Call back, try ${i}` }))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await w.stores.cases.listNotes(opened.id)).toHaveLength(30);
    expect((await w.stores.cases.getCase(opened.id))!.version).toBe(opened.version + 31);
  });
});

describe.each(ENGINES)('repeated submissions on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('saves a note once when the same request key arrives twice', async () => {
    const w = serviceWorld(db);
    const { case: opened } = await w.cases.openCase(triggerEvent());
    await w.cases.claim(opened.id, coordinator());
    const first = await w.cases.addNote(opened.id, coordinator(), note(), 'view:V123');
    const second = await w.cases.addNote(opened.id, coordinator(), note(), 'view:V123');
    expect(first.ok && second.ok).toBe(true);
    expect(await w.stores.cases.listNotes(opened.id)).toHaveLength(1);
  });
});
