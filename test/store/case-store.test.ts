/**
 * The case store on each engine, straight on the store: a case survives the round trip
 * field for field, a write with a stale version changes nothing, bulk intake skips
 * external ids it has seen, the audit trail keeps its order, and the reads behind pending
 * escalations, stale work, earlier no-shows and the latest note answer exactly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case, CaseEvent, Escalation } from '../../src/domain/types';
import { caseNumber } from '../../src/domain/case-number';
import type { CasePort, NewCase } from '../../src/services/ports';
import { defaultCalendar } from '../../src/domain/calendar';
import { createStores } from '../../src/store/stores';
import { buildCase, buildClaimedCase, buildNote } from '../support/case-builder';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

/** Wednesday 2026-11-25 09:00 New York. */
const T = new Date('2026-11-25T14:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T.getTime() + ms);

/** A case ready to insert (no id or number), built from the default referral. */
function newCase(overrides: Partial<Case> = {}): NewCase {
  const { id: _id, number: _number, ...c } = buildCase({ occurredAt: T, createdAt: T, updatedAt: T, lastMovedAt: T, ...overrides });
  return c;
}

describe.each(ENGINES)('case store on %s', (engine) => {
  let db: TestDatabase;
  let cases: CasePort;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    cases = createStores(db.knex, defaultCalendar()).cases;
  });
  afterEach(async () => {
    await db.destroy();
  });

  const insert = async (overrides: Partial<Case> = {}) => (await cases.insertCase(newCase(overrides)))!;

  it('reads back every field of a case as written, numbered from its id', async () => {
    const { id: _id, number: _n, ...full } = buildClaimedCase({
      externalId: 'ehr-full',
      lane: 'missed_appointment',
      tier: 'routine',
      state: 'closed',
      trigger: 'missed_appointment',
      occurredAt: at(-DAY),
      createdAt: at(-DAY + 60_000),
      updatedAt: at(2 * HOUR),
      patient: { mrn: 'MRN00999999', name: 'Grace Hopper', phone: '555-0199', dob: '1906-12-09' },
      details: 'Missed the 8:30 cardiology visit',
      location: 'Eastside Clinic',
      referringOffice: null,
      visitType: 'specialty_consult',
      appointmentAt: at(-DAY - HOUR),
      firstResponseAt: at(HOUR),
      nextAction: 'Rebook the visit',
      nextActionDue: '2026-11-27',
      consecutiveFailedAttempts: 2,
      lastReachedAt: at(90 * 60_000),
      nextAttemptDueAt: at(26 * HOUR),
      nextActionAttemptedAt: at(HOUR + 1),
      lastMovedAt: at(2 * HOUR),
      closedAt: at(2 * HOUR),
      outcome: 'completed',
      closeReason: 'Rebooked for 2 December',
      loopClosed: true,
      version: 7,
    });
    const inserted = (await cases.insertCase(full))!;
    expect(inserted.number).toBe(caseNumber(inserted.id));
    expect(inserted).toEqual({ ...full, id: inserted.id, number: inserted.number });
    expect(await cases.getCase(inserted.id)).toEqual(inserted);
    expect(await cases.getCaseByExternalId('ehr-full')).toEqual(inserted);
    expect(await cases.getCase(inserted.id + 1)).toBeNull();
    expect(await cases.getCaseByExternalId('ehr-missing')).toBeNull();
  });

  it('inserts a case once per external id, and any number of cases without one', async () => {
    const first = await insert({ externalId: 'ehr-1', patient: { mrn: 'MRN1', name: 'First Writer' } });
    expect(await cases.insertCase(newCase({ externalId: 'ehr-1', patient: { mrn: 'MRN1', name: 'Second Writer' } }))).toBeNull();
    expect((await cases.getCaseByExternalId('ehr-1'))!.patient.name).toBe('First Writer');
    const a = await insert({ externalId: null });
    const b = await insert({ externalId: null });
    expect(new Set([first.id, a.id, b.id]).size).toBe(3);
    expect(await cases.listCases()).toHaveLength(3);
  });

  it('writes a change only against the version it was read at: a stale writer changes nothing', async () => {
    const c = await insert({ externalId: 'ehr-race' });
    const other = await insert({ externalId: 'ehr-bystander' });
    expect(c.version).toBe(1);
    const mine: Case = { ...c, state: 'active', ownerId: 'U_A', claimedAt: at(60_000), version: 2 };
    const theirs: Case = { ...c, state: 'active', ownerId: 'U_B', claimedAt: at(60_000), version: 2 };
    expect(await cases.updateCase(mine, 1)).toBe(true);
    expect(await cases.updateCase(theirs, 1)).toBe(false);
    expect(await cases.getCase(c.id)).toEqual(mine);
    // The next change is made against version 2; version 1 stays stale.
    expect(await cases.updateCase({ ...mine, nextAction: 'Call the clinic', version: 3 }, 1)).toBe(false);
    expect(await cases.updateCase({ ...mine, nextAction: 'Call the clinic', version: 3 }, 2)).toBe(true);
    expect(await cases.getCase(c.id)).toMatchObject({ ownerId: 'U_A', nextAction: 'Call the clinic', version: 3 });
    expect(await cases.getCase(other.id)).toEqual(other);
    expect(await cases.updateCase({ ...mine, id: other.id + 100 }, 1)).toBe(false);
  });

  it('inserts a batch skipping external ids already there, and returns only the new cases', async () => {
    const batch1 = await cases.insertCases(['ehr-a', 'ehr-b', 'ehr-c'].map((externalId) => newCase({ externalId })));
    expect(batch1.map((c) => c.externalId).sort()).toEqual(['ehr-a', 'ehr-b', 'ehr-c']);
    const batch2 = await cases.insertCases([
      newCase({ externalId: 'ehr-b', patient: { mrn: 'MRN2', name: 'Replayed' } }),
      newCase({ externalId: 'ehr-d' }),
      newCase({ externalId: 'ehr-c', state: 'closed' }),
    ]);
    expect(batch2.map((c) => c.externalId)).toEqual(['ehr-d']);
    expect(await cases.insertCases(['ehr-a', 'ehr-d'].map((externalId) => newCase({ externalId })))).toEqual([]);
    const all = await cases.getCasesByExternalIds(['ehr-a', 'ehr-b', 'ehr-c', 'ehr-d', 'ehr-missing']);
    expect(all.map((c) => c.externalId).sort()).toEqual(['ehr-a', 'ehr-b', 'ehr-c', 'ehr-d']);
    const b = all.find((c) => c.externalId === 'ehr-b')!;
    expect(b).toEqual(batch1.find((c) => c.externalId === 'ehr-b'));
    expect(all.find((c) => c.externalId === 'ehr-c')!.state).toBe('open');
    expect(await cases.listCases()).toHaveLength(4);
    expect(await cases.insertCases([])).toEqual([]);
    await expect(cases.insertCases([newCase({ externalId: 'ehr-e' }), newCase({ externalId: null })])).rejects.toThrow('every case needs an externalId');
    expect(await cases.getCaseByExternalId('ehr-e')).toBeNull();
  });

  it('keeps each case’s audit trail in the order it was written, whatever the instants say', async () => {
    const c = await insert({ externalId: 'ehr-1' });
    const d = await insert({ externalId: 'ehr-2' });
    const event = (action: CaseEvent['action'], ms: number, before: CaseEvent['before'] = null, after: CaseEvent['after'] = null): CaseEvent => ({
      action,
      actorId: 'U_A',
      at: at(ms),
      before,
      after,
    });
    await cases.appendEvents(c.id, [event('opened', 2 * 60_000, null, { lane: 'referral', tier: 'high' }), event('claimed', 60_000, { ownerId: null }, { ownerId: 'U_A' })]);
    await cases.appendEventsOfCases([
      { caseId: d.id, event: event('opened', 0) },
      { caseId: c.id, event: event('noted', 0, { nextActionDue: null }, { nextActionDue: '2026-11-30', attempts: [{ channel: 'phone' }] }) },
    ]);
    await cases.appendEvents(c.id, []);
    const trail = await cases.listEvents(c.id);
    expect(trail.map(({ id: _id, ...e }) => e)).toEqual([
      { action: 'opened', actorId: 'U_A', at: at(2 * 60_000), before: null, after: { lane: 'referral', tier: 'high' } },
      { action: 'claimed', actorId: 'U_A', at: at(60_000), before: { ownerId: null }, after: { ownerId: 'U_A' } },
      { action: 'noted', actorId: 'U_A', at: T, before: { nextActionDue: null }, after: { nextActionDue: '2026-11-30', attempts: [{ channel: 'phone' }] } },
    ]);
    expect(trail[0]!.id).toBeLessThan(trail[1]!.id);
    expect(trail[1]!.id).toBeLessThan(trail[2]!.id);
    expect((await cases.listEvents(d.id)).map((e) => e.action)).toEqual(['opened']);
    expect(await cases.listEvents(d.id + 100)).toEqual([]);
  });

  it('lists pending escalations oldest first, leaving out acknowledged ones and those from before the last reopening', async () => {
    const c = await insert({ externalId: 'ehr-1' });
    const other = await insert({ externalId: 'ehr-2' });
    const raise = (caseId: number, text: string, ms: number) =>
      cases.insertEscalation({
        caseId,
        reason: 'worsening_symptoms',
        text,
        target: 'providers',
        urgent: false,
        raisedBy: 'U_A',
        raisedAt: at(ms),
        acknowledgedBy: null,
        acknowledgedAt: null,
        guidance: null,
        reraisedAt: null,
      });
    const texts = async (caseId: number) => (await cases.pendingEscalations(caseId)).map((e: Escalation) => e.text);
    await raise(c.id, 'before reopening', HOUR);
    await raise(other.id, 'other case', 3 * HOUR);
    expect(await texts(c.id)).toEqual(['before reopening']);

    await cases.appendEvents(c.id, [{ action: 'reopened', actorId: 'U_MGR', at: at(2 * HOUR), before: null, after: null }]);
    await cases.appendEvents(other.id, [{ action: 'reopened', actorId: 'U_MGR', at: at(10 * HOUR), before: null, after: null }]);
    await raise(c.id, 'latest', 4 * HOUR);
    const atReopening = await raise(c.id, 'at the reopening', 2 * HOUR);
    await raise(c.id, 'tied with latest, raised after it', 4 * HOUR);
    const acked = await raise(c.id, 'acknowledged', 3 * HOUR);
    expect(await cases.acknowledgeEscalation(acked.id, 'U_PROV', 'Seen', at(5 * HOUR))).toBe(true);
    expect(await cases.acknowledgeEscalation(acked.id, 'U_PROV2', 'Late', at(6 * HOUR))).toBe(false);
    expect((await cases.getEscalation(acked.id))!).toMatchObject({ acknowledgedBy: 'U_PROV', guidance: 'Seen', acknowledgedAt: at(5 * HOUR) });

    expect(await texts(c.id)).toEqual(['at the reopening', 'latest', 'tied with latest, raised after it']);
    // The other case was reopened after its escalation: nothing pending there, whatever c's history.
    expect(await texts(other.id)).toEqual([]);
    expect(await cases.acknowledgeEscalation(atReopening.id, 'U_PROV', 'Done', at(6 * HOUR))).toBe(true);
    expect(await texts(c.id)).toEqual(['latest', 'tied with latest, raised after it']);
  });

  it('finds open cases nobody moved before the cutoff, longest idle first, up to the limit, with the full count', async () => {
    const before = at(-12 * HOUR);
    const idle5 = await insert({ externalId: 'idle-5d', lastMovedAt: at(-5 * DAY) });
    const idle3 = await insert({ externalId: 'idle-3d', state: 'active', ownerId: 'U_A', lastMovedAt: at(-3 * DAY) });
    await insert({ externalId: 'closed-3d', state: 'closed', lastMovedAt: at(-3 * DAY), closedAt: at(-3 * DAY) });
    const tied = await insert({ externalId: 'idle-3d-later-id', state: 'escalated', lastMovedAt: at(-3 * DAY) });
    const idle1 = await insert({ externalId: 'idle-1d', state: 'waiting', lastMovedAt: at(-DAY) });
    await insert({ externalId: 'at-cutoff', lastMovedAt: before });
    await insert({ externalId: 'moved-today', lastMovedAt: T });
    const unmoved = await insert({ externalId: 'never-recorded', lastMovedAt: at(-9 * DAY) });
    await db.knex('cases').where({ id: unmoved.id }).update({ last_moved_at: null });

    const all = await cases.staleCases(before, 10);
    expect(all.total).toBe(4);
    expect(all.cases.map((c) => c.id)).toEqual([idle5.id, idle3.id, tied.id, idle1.id]);
    const firstTwo = await cases.staleCases(before, 2);
    expect(firstTwo).toEqual({ cases: [idle5, idle3], total: 4 });
    expect(await cases.staleCases(at(-10 * DAY), 10)).toEqual({ cases: [], total: 0 });
  });

  it('counts the patient’s earlier no-shows in the 12 months before the case’s trigger, and nothing in other lanes', async () => {
    const mrn = 'MRN00077777';
    const noShow = (externalId: string, occurredAt: Date, overrides: Partial<Case> = {}) =>
      insert({ externalId, lane: 'missed_appointment', trigger: 'missed_appointment', occurredAt, patient: { mrn, name: 'Pat Ient' }, ...overrides });
    const subject = await noShow('subject', T);
    expect((await cases.earlierNoShows(subject))).toBe(0);
    await noShow('year-ago-exactly', new Date('2025-11-25T14:00:00.000Z'));
    await noShow('just-over-a-year', new Date('2025-11-25T13:59:59.999Z'));
    await noShow('june-closed', new Date('2026-06-01T15:00:00.000Z'), { state: 'closed', closedAt: T });
    await noShow('same-instant', T);
    await noShow('later', at(DAY));
    await noShow('other-patient', at(-DAY), { patient: { mrn: 'MRN00088888', name: 'Someone Else' } });
    await insert({ externalId: 'referral-same-patient', lane: 'referral', occurredAt: at(-DAY), patient: { mrn, name: 'Pat Ient' } });

    expect(await cases.earlierNoShows(subject)).toBe(2);
    const later = (await cases.getCaseByExternalId('later'))!;
    // Its window starts 2025-11-26: june, the subject and the one at the subject's instant.
    expect(await cases.earlierNoShows(later)).toBe(3);
    const referral = (await cases.getCaseByExternalId('referral-same-patient'))!;
    expect(await cases.earlierNoShows(referral)).toBeNull();
  });

  it('answers the latest note by the order notes were written, and lists notes and contact attempts in that order', async () => {
    const c = await insert({ externalId: 'ehr-1' });
    const other = await insert({ externalId: 'ehr-2' });
    expect(await cases.latestNote(c.id)).toBeNull();
    const first = await cases.insertNote(c.id, 'U_A', at(2 * HOUR), buildNote({ nextAction: 'First', contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached' }));
    const second = await cases.insertNote(c.id, 'U_B', at(HOUR), buildNote({
      nextAction: 'Second',
      contact: null,
      status: 'blocked',
      barrier: 'transportation',
      barrierText: 'No ride on Tuesdays',
      targetDate: '2026-11-30',
      escalation: { reason: 'discharge_concern', text: 'Unclear discharge orders' },
      checklist: ['paperwork', 'orders'],
    }));
    const third = await cases.insertNote(c.id, 'U_A', at(3 * HOUR), buildNote({ nextAction: 'Third', contact: { channel: 'text', result: 'message_sent' } }));
    await cases.insertNote(other.id, 'U_A', at(4 * HOUR), buildNote({ nextAction: 'Other case' }));

    expect(await cases.latestNote(c.id)).toEqual(third);
    expect(second).toMatchObject({
      caseId: c.id,
      authorId: 'U_B',
      createdAt: at(HOUR),
      contact: null,
      barrierText: 'No ride on Tuesdays',
      escalation: { reason: 'discharge_concern', text: 'Unclear discharge orders' },
      checklist: ['paperwork', 'orders'],
    });
    expect((await cases.listNotes(c.id)).map((n) => n.nextAction)).toEqual(['First', 'Second', 'Third']);
    expect(await cases.listNotes(c.id)).toEqual([first, second, third]);
    expect(await cases.listAttempts(c.id)).toEqual([
      { channel: 'phone', result: 'no_answer' },
      { channel: 'text', result: 'message_sent' },
    ]);
    expect(await cases.listAttempts(c.id, at(3 * HOUR))).toEqual([{ channel: 'text', result: 'message_sent' }]);
    expect(await cases.latestNote(other.id)).toMatchObject({ nextAction: 'Other case' });
  });
});
