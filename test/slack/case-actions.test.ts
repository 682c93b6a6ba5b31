/**
 * The case card's buttons and modals at their edges: racing claims, refusals that
 * change nothing, modal field errors keyed by block, repeated submissions.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../src/domain/types';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/ids';
import { phiLeaks, scannedCalls } from '../support/phi-scan';
import { triggerEvent } from '../support/services';
import { CHANNELS, USERS, blockActionPayload, recordSlack, viewSubmissionPayload, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { eventually, form, stateValues, waitForCall } from '../support/slack-forms';
import { ENGINES } from '../support/test-db';

const PATIENT = { mrn: 'MRN00077001', name: 'Horatio Vantablack', phone: '555-010-7777', dob: '1944-04-04' };
const coordinator = (userId: string = USERS.coordinator) => ({ userId, roles: new Set(['coordinator'] as const) });

/** A valid note form, to be spoiled field by field. */
const validNote = (over: Record<string, object> = {}) =>
  stateValues({
    [BLOCKS.noteContactChannel]: form.select('phone'),
    [BLOCKS.noteContactResult]: form.select('no_answer'),
    [BLOCKS.noteStatus]: form.select('waiting_on_patient'),
    [BLOCKS.noteBarrier]: form.select('phone_tag'),
    [BLOCKS.noteBarrierText]: form.text(null),
    [BLOCKS.noteUnderstanding]: form.radio('not_reached'),
    [BLOCKS.noteUnderstandingText]: form.text(null),
    [BLOCKS.noteNextAction]: form.text('Call again tomorrow morning'),
    [BLOCKS.noteResponsibleParty]: form.select('coordinator'),
    [BLOCKS.noteResponsibleUser]: form.user(null),
    [BLOCKS.noteTargetDate]: form.date('2026-11-26'),
    [BLOCKS.noteEscalationReason]: form.select('none'),
    [BLOCKS.noteEscalationText]: form.text(null),
    ...over,
  });

describe.each(ENGINES)('case card actions and modals on %s', (engine) => {
  let t: TestApp;
  const everyCall: SlackCall[] = [];

  withTestApp(engine, {}, (app) => (t = app));
  afterEach(async () => {
    await t.deliver();
    nock.cleanAll();
  });

  const record = () => {
    const calls = recordSlack();
    afterEachScan.push(calls);
    return calls;
  };
  const afterEachScan: SlackCall[][] = [];
  const open = async (over: Parameters<typeof triggerEvent>[0] = {}): Promise<Case> => (await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT, ...over }))).case;
  const claimed = async (over: Parameters<typeof triggerEvent>[0] = {}, by: string = USERS.coordinator): Promise<Case> => {
    const c = await open(over);
    const r = await t.careBridge.cases.claim(c.id, coordinator(by));
    if (!r.ok) throw new Error(r.message);
    return r.case;
  };
  const pressAndWait = async (calls: SlackCall[], userId: string, actionId: string, value: string, until: (c: SlackCall) => boolean) => {
    expect((await t.interaction(blockActionPayload({ userId, actionId, value }))).status).toBe(200);
    return waitForCall(calls, until, `the answer to ${actionId}`);
  };
  const submit = async (input: Parameters<typeof viewSubmissionPayload>[0]) => {
    const res = await t.interaction(viewSubmissionPayload(input));
    expect(res.status).toBe(200);
    const body = await res.text();
    return (body ? JSON.parse(body) : null) as { response_action?: string; errors?: Record<string, string> } | null;
  };
  const outboxCount = async () => Number((await t.db.knex('outbox').count<{ n: number }[]>('* as n'))[0]!.n);

  it('gives two simultaneous claims exactly one owner and tells the other who won', async () => {
    const calls = record();
    const c = await open();
    await t.deliver();
    const [a, b] = await Promise.all([
      t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseClaim, value: String(c.id) })),
      t.interaction(blockActionPayload({ userId: USERS.coordinator2, actionId: ACTIONS.caseClaim, value: String(c.id) })),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const told = await waitForCall(calls, (x) => x.method === 'chat.postEphemeral', 'the loser to be told');
    const owner = (await t.careBridge.cases.getCase(c.id))!.ownerId!;
    const loser = owner === USERS.coordinator ? USERS.coordinator2 : USERS.coordinator;
    expect([USERS.coordinator, USERS.coordinator2]).toContain(owner);
    expect(told.body).toMatchObject({ user: loser, text: `${c.number} is already claimed by <@${owner}>.` });
    const claims = (await t.careBridge.stores.cases.listEvents(c.id)).filter((e) => e.action === 'claimed');
    expect(claims).toHaveLength(1);
    expect(calls.filter((x) => x.method === 'chat.postEphemeral')).toHaveLength(1);
  });

  it('refuses a provider and a stranger privately, opens no modal and changes nothing', async () => {
    const calls = record();
    const c = await open();
    await t.deliver();
    const before = await t.careBridge.cases.getCase(c.id);
    const outboxBefore = await outboxCount();
    const start = calls.length;
    const cases: [string, string, string][] = [
      [USERS.provider, ACTIONS.caseClaim, 'Only coordinators and managers can claim cases.'],
      [USERS.provider, ACTIONS.caseAddNote, 'Only coordinators and managers can add a note to a case.'],
      [USERS.provider, ACTIONS.caseEscalate, 'Only coordinators and managers can escalate a case.'],
      [USERS.provider, ACTIONS.caseClose, 'Only coordinators and managers can close a case.'],
      [USERS.provider, ACTIONS.caseReassign, 'Only coordinators and managers can reassign cases.'],
      [USERS.stranger, ACTIONS.caseViewDetails, 'You are not allowed to view patient details.'],
      [USERS.stranger, ACTIONS.caseScript, "CareBridge is for the practice's coordinators, providers and managers."],
    ];
    for (const [userId, actionId, message] of cases) {
      const n = calls.length;
      const told = await pressAndWait(calls, userId, actionId, String(c.id), (x) => calls.indexOf(x) >= n && x.method === 'chat.postEphemeral');
      expect(told.body).toMatchObject({ user: userId, text: message });
    }
    expect(calls.slice(start).map((x) => x.method).filter((m) => m !== 'chat.postEphemeral')).toEqual([]);
    expect(await t.careBridge.cases.getCase(c.id)).toEqual(before);
    expect(await outboxCount()).toBe(outboxBefore);
    expect((await t.careBridge.stores.cases.listEvents(c.id)).map((e) => e.action)).toEqual(['opened']);
  });

  it("refuses a coordinator who tries to note another coordinator's case, before the modal opens", async () => {
    const calls = record();
    const c = await claimed({}, USERS.coordinator);
    const told = await pressAndWait(calls, USERS.coordinator2, ACTIONS.caseAddNote, String(c.id), (x) => x.method === 'chat.postEphemeral');
    expect(told.body.text).toBe(`${c.number} belongs to <@${USERS.coordinator}>; only its owner, backup or a manager can add a note to it.`);
    expect(calls.some((x) => x.method === 'views.open')).toBe(false);
  });

  it('answers a note with every field invalid with errors keyed by block id, and saves nothing', async () => {
    const calls = record();
    const c = await claimed({ trigger: 'appointment_scheduled', appointmentAt: new Date('2026-12-10T10:00:00-05:00'), referringOffice: null });
    const versionBefore = (await t.careBridge.cases.getCase(c.id))!.version;
    const outboxBefore = await outboxCount();
    const answer = await submit({
      userId: USERS.coordinator,
      callbackId: VIEWS.note,
      privateMetadata: JSON.stringify({ caseId: c.id }),
      values: stateValues({
        [BLOCKS.noteContactChannel]: form.select('phone'),
        [BLOCKS.noteContactResult]: form.select(null),
        [BLOCKS.noteStatus]: form.select(null),
        [BLOCKS.noteBarrier]: form.select('bogus'),
        [BLOCKS.noteBarrierText]: form.text('x'.repeat(2001)),
        [BLOCKS.noteUnderstanding]: form.radio('bogus'),
        [BLOCKS.noteUnderstandingText]: form.text('y'.repeat(2001)),
        [BLOCKS.noteNextAction]: form.text('   '),
        [BLOCKS.noteResponsibleParty]: form.select('bogus'),
        [BLOCKS.noteResponsibleUser]: form.user('not-a-user'),
        [BLOCKS.noteTargetDate]: form.date('2026-11-01'),
        [BLOCKS.noteChecklist]: form.checks(['paperwork', 'bogus']),
        [BLOCKS.noteEscalationReason]: form.select('worsening_symptoms'),
        [BLOCKS.noteEscalationText]: form.text(''),
      }),
    });
    expect(answer?.response_action).toBe('errors');
    expect(Object.keys(answer!.errors!).sort()).toEqual(
      [
        BLOCKS.noteContactResult, BLOCKS.noteStatus, BLOCKS.noteBarrier, BLOCKS.noteBarrierText, BLOCKS.noteUnderstanding,
        BLOCKS.noteUnderstandingText, BLOCKS.noteNextAction, BLOCKS.noteResponsibleParty, BLOCKS.noteResponsibleUser,
        BLOCKS.noteTargetDate, BLOCKS.noteChecklist, BLOCKS.noteEscalationText,
      ].sort(),
    );
    expect(answer!.errors![BLOCKS.noteTargetDate]).toBe('The target date cannot be in the past.');
    expect(answer!.errors![BLOCKS.noteEscalationText]).toBe('Describe why this needs escalating.');
    expect(await t.careBridge.stores.cases.listNotes(c.id)).toEqual([]);
    expect(await t.careBridge.stores.cases.listEscalations(c.id)).toEqual([]);
    expect((await t.careBridge.cases.getCase(c.id))!.version).toBe(versionBefore);
    expect(await outboxCount()).toBe(outboxBefore);
    expect(calls).toEqual([]);
  });

  it('saves one note, and raises one escalation, however often the same modal is submitted', async () => {
    record();
    const c = await claimed();
    const note = { userId: USERS.coordinator, callbackId: VIEWS.note, privateMetadata: JSON.stringify({ caseId: c.id }), viewId: 'V0NOTE0001', values: validNote() };
    expect(await submit(note)).toBeNull();
    expect(await submit(note)).toBeNull();
    expect(await t.careBridge.stores.cases.listNotes(c.id)).toHaveLength(1);
    const escalate = {
      userId: USERS.coordinator,
      callbackId: VIEWS.escalate,
      privateMetadata: JSON.stringify({ caseId: c.id }),
      viewId: 'V0ESC00001',
      values: stateValues({ [BLOCKS.escalateReason]: form.select('medication_confusion'), [BLOCKS.escalateText]: form.text('Two bottles, same drug') }),
    };
    await Promise.all([submit(escalate), submit(escalate)]);
    expect(await submit(escalate)).toBeNull();
    expect(await t.careBridge.stores.cases.listEscalations(c.id)).toHaveLength(1);
  });

  it('answers escalate and close modal errors on their inputs', async () => {
    record();
    const c = await claimed();
    const meta = JSON.stringify({ caseId: c.id });
    const esc = await submit({ userId: USERS.coordinator, callbackId: VIEWS.escalate, privateMetadata: meta, values: stateValues({ [BLOCKS.escalateReason]: form.select('response_window_missed'), [BLOCKS.escalateText]: form.text(' ') }) });
    expect(esc).toEqual({ response_action: 'errors', errors: { [BLOCKS.escalateReason]: 'Choose a reason.', [BLOCKS.escalateText]: 'Describe why this needs escalating.' } });

    const close = (values: Record<string, object>) => submit({ userId: USERS.coordinator, callbackId: VIEWS.close, privateMetadata: meta, values: stateValues(values) });
    expect(await close({ [BLOCKS.closeOutcome]: form.select(null), [BLOCKS.closeReason]: form.text(null), [BLOCKS.closeLoop]: form.radio(null) })).toEqual({
      response_action: 'errors',
      errors: { [BLOCKS.closeOutcome]: 'Choose an outcome.' },
    });
    const unreachable = await close({ [BLOCKS.closeOutcome]: form.select('unreachable'), [BLOCKS.closeReason]: form.text(''), [BLOCKS.closeLoop]: form.radio(null) });
    expect(unreachable!.errors).toEqual({
      [BLOCKS.closeOutcome]: 'Unreachable needs at least 3 attempts without reaching the patient, on at least 2 channels.',
      [BLOCKS.closeReason]: 'Give the reason for closing.',
    });
    const loop = await close({ [BLOCKS.closeOutcome]: form.select('completed'), [BLOCKS.closeReason]: form.text('Booked'), [BLOCKS.closeLoop]: form.radio(null) });
    expect(loop!.errors).toEqual({ [BLOCKS.closeLoop]: 'Say whether the referring office was told the outcome.' });
    expect((await t.careBridge.cases.getCase(c.id))!.state).toBe('active');

    // Three attempts on two channels make `unreachable` a valid outcome.
    for (const [channel, result] of [['phone', 'no_answer'], ['text', 'message_sent'], ['phone', 'left_voicemail']]) {
      expect(await submit({ userId: USERS.coordinator, callbackId: VIEWS.note, privateMetadata: meta, values: validNote({ [BLOCKS.noteContactChannel]: form.select(channel!), [BLOCKS.noteContactResult]: form.select(result!) }) })).toBeNull();
    }
    expect(await close({ [BLOCKS.closeOutcome]: form.select('unreachable'), [BLOCKS.closeReason]: form.text('No answer in a week'), [BLOCKS.closeLoop]: form.radio(null) })).toBeNull();
    expect(await t.careBridge.cases.getCase(c.id)).toMatchObject({ state: 'closed', outcome: 'unreachable', loopClosed: null });
  });

  it("shows the count of a missed-appointment patient's no-shows before this one on the card, the details and the note modal, and nothing else about them", async () => {
    const calls = record();
    const missed = { trigger: 'missed_appointment' as const, visitType: 'follow_up' as const, referringOffice: null };
    await open({ ...missed, occurredAt: new Date('2025-10-20T09:00:00-04:00') }); // 13 months before: too old
    await open({ ...missed, occurredAt: new Date('2026-03-02T09:00:00-05:00') });
    await open({ ...missed, occurredAt: new Date('2026-08-03T09:00:00-04:00') });
    await open({ ...missed, occurredAt: new Date('2026-11-25T08:00:00-05:00'), patient: { ...PATIENT, mrn: 'MRN-SOMEONE-ELSE' } });
    const c = await claimed({ ...missed, occurredAt: new Date('2026-11-02T09:00:00-05:00') });
    // A later no-show of the same patient, heard of before the coordinator opens this case.
    await open({ ...missed, occurredAt: new Date('2026-11-24T09:00:00-05:00') });
    const opened = await pressAndWait(calls, USERS.coordinator, ACTIONS.caseAddNote, String(c.id), (x) => x.method === 'views.open');
    expect(JSON.stringify(opened.body.view)).toContain('2 earlier no-shows in 12 months before this one.');
    await t.deliver();
    const card = calls.filter((x) => x.body.channel === CHANNELS.coordinators && (x.method === 'chat.postMessage' || x.method === 'chat.update') && JSON.stringify(x.body).includes(c.number)).at(-1)!;
    expect(JSON.stringify(card.body.blocks)).toContain('· 2 earlier no-shows in 12 months');
    const details = await pressAndWait(calls, USERS.coordinator, ACTIONS.caseViewDetails, String(c.id), (x) => x.method === 'chat.postEphemeral');
    expect(JSON.stringify(details.body.blocks)).toContain('2 earlier no-shows in 12 months before this one');
  });

  it('lets a manager reassign to anyone on the team, and answers a coordinator reassigning someone else on the owner input', async () => {
    record();
    const c = await claimed();
    const meta = JSON.stringify({ caseId: c.id });
    const reassign = (userId: string, owner: string | null, backup: string | null) =>
      submit({ userId, callbackId: VIEWS.reassign, privateMetadata: meta, values: stateValues({ [BLOCKS.reassignOwner]: form.user(owner), [BLOCKS.reassignBackup]: form.user(backup) }) });
    expect(await reassign(USERS.coordinator, USERS.coordinator2, null)).toEqual({
      response_action: 'errors',
      errors: { [BLOCKS.reassignOwner]: 'Coordinators can only reassign a case to themselves; ask a manager.' },
    });
    expect(await reassign(USERS.manager, USERS.provider, USERS.coordinator)).toEqual({ response_action: 'errors', errors: { [BLOCKS.reassignOwner]: 'Choose a coordinator or manager.' } });
    expect(await reassign(USERS.manager, USERS.coordinator2, USERS.coordinator2)).toEqual({ response_action: 'errors', errors: { [BLOCKS.reassignBackup]: 'The backup must be someone other than the owner.' } });
    expect(await reassign(USERS.manager, USERS.coordinator2, USERS.coordinator)).toBeNull();
    expect(await t.careBridge.cases.getCase(c.id)).toMatchObject({ ownerId: USERS.coordinator2, backupId: USERS.coordinator });
  });

  it('lets only providers and managers acknowledge, once', async () => {
    const calls = record();
    const c = await claimed();
    const raised = await t.careBridge.cases.escalate(c.id, coordinator(), 'discharge_concern', 'Unsure about the discharge plan');
    expect(raised.ok).toBe(true);
    const [e] = await t.careBridge.stores.cases.listEscalations(c.id);
    const coordinatorTold = await pressAndWait(calls, USERS.coordinator, ACTIONS.escalationAcknowledge, String(e!.id), (x) => x.method === 'chat.postEphemeral');
    expect(coordinatorTold.body.text).toBe('Only providers and managers can acknowledge escalations.');
    const meta = JSON.stringify({ caseId: c.id, escalationId: e!.id });
    const ack = (userId: string, guidance: string) => submit({ userId, callbackId: VIEWS.acknowledge, privateMetadata: meta, viewId: `V0ACK${userId}`, values: stateValues({ [BLOCKS.ackGuidance]: form.text(guidance) }) });
    expect(await ack(USERS.provider, '  ')).toEqual({ response_action: 'errors', errors: { [BLOCKS.ackGuidance]: 'Add your guidance for the coordinator.' } });
    expect(await ack(USERS.provider, 'Keep the current plan')).toBeNull();
    expect(await ack(USERS.provider, 'Keep the current plan')).toBeNull();
    expect(await ack(USERS.manager, 'Me too')).toEqual({ response_action: 'errors', errors: { [BLOCKS.ackGuidance]: `This escalation was already acknowledged by <@${USERS.provider}>.` } });
    const n = calls.length;
    const late = await pressAndWait(calls, USERS.manager, ACTIONS.escalationAcknowledge, String(e!.id), (x) => calls.indexOf(x) >= n && x.method === 'chat.postEphemeral');
    expect(late.body.text).toBe(`This escalation was already acknowledged by <@${USERS.provider}>.`);
    await eventually(async () => expect((await t.careBridge.stores.cases.getEscalation(e!.id))!.guidance).toBe('Keep the current plan'));
  });

  it('answers by DM when the ephemeral reply cannot reach the channel (a card shown by /followup case elsewhere)', async () => {
    const calls = recordSlack((call) => (call.method === 'chat.postEphemeral' ? { body: { ok: false, error: 'channel_not_found' } } : undefined));
    afterEachScan.push(calls);
    const c = await claimed();
    await t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseViewDetails, value: String(c.id), channel: 'C0ELSEWHERE' }));
    const dm = await waitForCall(calls, (x) => x.method === 'chat.postMessage' && x.body.channel === USERS.coordinator, 'the details by DM');
    expect(JSON.stringify(dm.body.blocks)).toContain(PATIENT.mrn);
    expect(dm.body.text).toBe(`Patient details for ${c.number} (only you can see this)`);
    expect(calls.find((x) => x.method === 'chat.postEphemeral')!.body.channel).toBe('C0ELSEWHERE');
  });

  it('never put patient identifiers in a channel post, a notification text or a view', () => {
    const all = afterEachScan.flat();
    everyCall.push(...all);
    expect(scannedCalls(everyCall).texts).toBeGreaterThanOrEqual(10);
    expect(phiLeaks(everyCall, [PATIENT])).toEqual([]);
  });
});
