import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceWorld, triggerEvent, type ServiceWorld } from '../support/services';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

describe.each(ENGINES)('CaseService.openCases on %s', (engine) => {
  let db: TestDatabase;
  let w: ServiceWorld;

  beforeAll(async () => {
    db = await createTestDatabase(engine, { poolMax: 10 });
    w = serviceWorld(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('opens the same cases as openCase, with audit entries and cards, in input order', async () => {
    const single = triggerEvent({ trigger: 'missed_appointment', visitType: 'new_patient', referringOffice: null });
    const bulk = { ...single, externalId: `${single.externalId}-bulk` };
    const { case: one } = await w.cases.openCase(single);
    const [many] = await w.cases.openCases([bulk]);
    expect(many!.created).toBe(true);
    const strip = ({ id: _i, number: _n, externalId: _e, ...rest }: typeof one) => rest;
    expect(strip(many!.case)).toEqual(strip(one));
    expect(many!.case).toMatchObject({ lane: 'missed_appointment', tier: 'urgent' });
    expect((await w.stores.cases.listEvents(many!.case.id)).map((e) => e.action)).toEqual(['opened']);
    const cards = await db.knex('outbox').where({ kind: 'case_card', ref: String(many!.case.id) });
    expect(cards).toHaveLength(1);
  });

  it('answers repeats, in the database or earlier in the same call, with the existing case', async () => {
    const existing = triggerEvent();
    const { case: before } = await w.cases.openCase(existing);
    const fresh = triggerEvent({ trigger: 'recall_due' });
    const results = await w.cases.openCases([fresh, existing, { ...fresh, details: 'again' }, triggerEvent()]);
    expect(results.map((r) => r.created)).toEqual([true, false, false, true]);
    expect(results[1]!.case.id).toBe(before.id);
    expect(results[2]!.case.id).toBe(results[0]!.case.id);
    expect(results[2]!.case.details).toBe(fresh.details);
    const opened = await db.knex('case_events').whereIn('case_id', results.map((r) => r.case.id)).where({ action: 'opened' });
    expect(opened).toHaveLength(3);
  });

  it('opens one case per externalId when overlapping bulk calls race', async () => {
    const events = Array.from({ length: 40 }, () => triggerEvent());
    const shuffled = [...events].reverse();
    const runs = await Promise.all([w.cases.openCases(events), w.cases.openCases(shuffled), w.cases.openCases(events.slice(10, 30))]);
    const created = runs.flat().filter((r) => r.created);
    expect(created).toHaveLength(40);
    const ids = new Set(runs.flat().map((r) => r.case.id));
    expect(ids.size).toBe(40);
  });
});
