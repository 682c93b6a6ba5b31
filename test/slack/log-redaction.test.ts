/**
 * The README's promise that logs carry no patient field, checked at LOG_LEVEL=debug (the
 * most verbose) over real app paths: intake, a prefilled new-case modal, View details,
 * notes, and writes that fail inside the database.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, SHORTCUTS, VIEWS } from '../../src/slack/ids';
import { captureLogs, failInserts, logLeaks } from '../support/log-capture';
import { CHANNELS, USERS, blockActionPayload, messageShortcutPayload, recordSlack, viewSubmissionPayload, type SlackCall, type TestApp } from '../support/slack';
import { form, stateValues, waitForCall } from '../support/slack-forms';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const INTAKE_TOKEN = 'intake-token-0123456789abcdef';
const PATIENT = { mrn: 'MRN00031337', name: 'Philomena Quackenbush', phone: '555-010-4242', dob: '1938-07-14' };
const DETAILS = 'Warfarin clinic referral, INR 4.9';
const NOTE_TEXT = 'Daughter Ermengarde asks for calls after four';
const ESCALATION_TEXT = 'Bruising on both forearms since Tuesday';
const GUIDANCE = 'Hold tonight\'s dose, recheck INR Thursday';

const SECRETS = {
  name: PATIENT.name,
  'first name': 'Philomena',
  'last name': 'Quackenbush',
  MRN: PATIENT.mrn,
  phone: PATIENT.phone,
  'phone digits': PATIENT.phone.replace(/\D/g, ''),
  'date of birth': PATIENT.dob,
  details: DETAILS,
  'note text': NOTE_TEXT,
  'note word': 'Ermengarde',
  'escalation text': ESCALATION_TEXT,
  guidance: GUIDANCE,
};

const noteValues = (nextAction: string) =>
  stateValues({
    [BLOCKS.noteContactChannel]: form.select('phone'),
    [BLOCKS.noteContactResult]: form.select('reached'),
    [BLOCKS.noteStatus]: form.select('waiting_on_patient'),
    [BLOCKS.noteBarrier]: form.select('phone_tag'),
    [BLOCKS.noteBarrierText]: form.text(null),
    [BLOCKS.noteUnderstanding]: form.radio('partly'),
    [BLOCKS.noteUnderstandingText]: form.text(NOTE_TEXT),
    [BLOCKS.noteNextAction]: form.text(nextAction),
    [BLOCKS.noteResponsibleParty]: form.select('coordinator'),
    [BLOCKS.noteResponsibleUser]: form.user(null),
    [BLOCKS.noteTargetDate]: form.date('2026-11-30'),
    [BLOCKS.noteEscalationReason]: form.select('none'),
    [BLOCKS.noteEscalationText]: form.text(null),
  });

describe.each(ENGINES)('logs at LOG_LEVEL=debug on %s', (engine) => {
  let t: TestApp;
  const logs = captureLogs('debug');
  withTestApp(engine, { config: { INTAKE_TOKEN, LOG_LEVEL: 'debug' }, logger: logs.logger }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  const intake = (externalId: string) =>
    fetch(`http://127.0.0.1:${t.port}/intake/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId, trigger: 'new_referral', occurredAt: '2026-11-25T09:00:00-05:00', patient: PATIENT, details: DETAILS }),
    });
  const submitNote = (caseId: number, nextAction: string) =>
    t.interaction(viewSubmissionPayload({ userId: USERS.coordinator, callbackId: VIEWS.note, privateMetadata: JSON.stringify({ caseId }), values: noteValues(nextAction) }));
  const press = async (calls: SlackCall[], actionId: string, value: string, until: (c: SlackCall) => boolean, userId: string = USERS.coordinator) => {
    expect((await t.interaction(blockActionPayload({ userId, actionId, value }))).status).toBe(200);
    return waitForCall(calls, until, `the answer to ${actionId}`);
  };
  const modal = (callbackId: string) => (c: SlackCall) => c.method === 'views.open' && (c.body.view as { callback_id: string }).callback_id === callbackId;
  const submitModal = async (userId: string, callbackId: string, opened: SlackCall, values: Record<string, Record<string, unknown>>) => {
    const privateMetadata = (opened.body.view as { private_metadata: string }).private_metadata;
    expect((await t.interaction(viewSubmissionPayload({ userId, callbackId, privateMetadata, values }))).status).toBe(200);
  };

  it('carry no patient field through intake, a prefilled modal, View details, a note, an escalation and its guidance', async () => {
    const calls = recordSlack();
    const opened = await intake('ehr-log-1');
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: number };
    await t.deliver();

    // A message about the patient turned into a case: the modal comes prefilled with it.
    const message = `${PATIENT.name} (${PATIENT.mrn}, born ${PATIENT.dob}) called from ${PATIENT.phone}: ${DETAILS}`;
    await t.interaction(messageShortcutPayload({ userId: USERS.coordinator, callbackId: SHORTCUTS.createFromMessage, text: message, channel: CHANNELS.coordinators }));
    await waitForCall(calls, (c) => c.method === 'views.open', 'the prefilled new-case modal');

    await press(calls, ACTIONS.caseClaim, String(caseId), () => true);
    await press(calls, ACTIONS.caseViewDetails, String(caseId), (c) => c.method === 'chat.postEphemeral' && JSON.stringify(c.body).includes(PATIENT.mrn));
    expect((await submitNote(caseId, `Call ${PATIENT.name} again`)).status).toBe(200);
    expect(await t.careBridge.stores.cases.listNotes(caseId)).toHaveLength(1);
    await t.deliver();

    // Escalated to the providers; the provider answers with guidance.
    const escalateModal = await press(calls, ACTIONS.caseEscalate, String(caseId), modal(VIEWS.escalate));
    await submitModal(USERS.coordinator, VIEWS.escalate, escalateModal, stateValues({ [BLOCKS.escalateReason]: form.select('worsening_symptoms'), [BLOCKS.escalateText]: form.text(ESCALATION_TEXT) }));
    await t.deliver();
    const [escalation] = await t.careBridge.stores.cases.listEscalations(caseId);
    const ackModal = await press(calls, ACTIONS.escalationAcknowledge, String(escalation!.id), modal(VIEWS.acknowledge), USERS.provider);
    await submitModal(USERS.provider, VIEWS.acknowledge, ackModal, stateValues({ [BLOCKS.ackGuidance]: form.text(GUIDANCE) }));
    await t.deliver();
    expect(calls.some((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes('recheck INR'))).toBe(true); // the guidance went out

    expect(logs.lines.filter((l) => l.includes('"level":20')).length).toBeGreaterThan(10); // debug lines were written
    expect(logLeaks(logs.lines, SECRETS)).toEqual([]);
  });

  it('carry no patient field when the database refuses an intake insert or a note', async () => {
    recordSlack();
    const opened = await intake('ehr-log-2');
    const { caseId } = (await opened.json()) as { caseId: number };
    expect((await t.careBridge.cases.claim(caseId, { userId: USERS.coordinator, roles: new Set(['coordinator'] as const) })).ok).toBe(true);
    const before = logs.lines.length;

    const allowCases = await failInserts(t.db, 'cases', 'patient_name');
    try {
      expect((await intake('ehr-log-3')).status).toBe(500);
    } finally {
      await allowCases();
    }
    const allowNotes = await failInserts(t.db, 'notes', 'understanding_text');
    try {
      await submitNote(caseId, `Call ${PATIENT.name} about INR`); // how Slack is answered is not this test's business
    } finally {
      await allowNotes();
    }
    expect(await t.careBridge.stores.cases.listNotes(caseId)).toHaveLength(0);

    const failures = logs.lines.slice(before).filter((l) => /"level":50/.test(l));
    expect(failures.length).toBeGreaterThanOrEqual(2); // both failures were logged…
    expect(logLeaks(logs.lines, SECRETS)).toEqual([]); // …without the values
  });
});
