/**
 * A case's whole life through Slack, end to end: signed requests into Bolt's HTTP
 * receiver, every Web API call intercepted. Opened → card posted → claimed → noted →
 * escalated → acknowledged by a provider → closed, all on one living card.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/ids';
import { expectMessageWithinLimits, expectViewWithinLimits } from '../support/block-limits';
import { phiLeaks, scannedCalls } from '../support/phi-scan';
import { triggerEvent } from '../support/services';
import { CHANNELS, USERS, blockActionPayload, recordSlack, viewSubmissionPayload, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { buttonIds, eventually, form, stateValues, waitForCall } from '../support/slack-forms';
import { ENGINES } from '../support/test-db';

const PATIENT = { mrn: 'MRN00044321', name: 'Zelda Quistorp', phone: '555-010-2000', dob: '1950-02-03' };

describe.each(ENGINES)('case life cycle through Slack on %s', (engine) => {
  let t: TestApp;
  const everyCall: SlackCall[] = [];
  const record = () => recordSlack();

  withTestApp(engine, {}, (app) => (t = app));
  afterEach(async () => {
    await t.deliver();
    nock.cleanAll();
  });

  /** Presses a button and waits until its listener has made `until` Slack call. */
  async function press(calls: SlackCall[], input: Parameters<typeof blockActionPayload>[0], until: (c: SlackCall) => boolean): Promise<SlackCall> {
    const res = await t.interaction(blockActionPayload(input));
    expect(res.status).toBe(200);
    return waitForCall(calls, until, `the answer to ${input.actionId}`);
  }

  async function submit(input: Parameters<typeof viewSubmissionPayload>[0]): Promise<unknown> {
    const res = await t.interaction(viewSubmissionPayload(input));
    expect(res.status).toBe(200);
    const body = await res.text();
    return body ? JSON.parse(body) : null;
  }

  it('posts the card, then claim, note, escalate, acknowledge and close update that same card', async () => {
    const calls = record();
    const isCard = (c: SlackCall) => c.body.channel === CHANNELS.coordinators && (c.method === 'chat.postMessage' || c.method === 'chat.update');

    // Opened (as intake would) → the card is posted once to the coordinators channel.
    const { case: opened } = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT, details: 'Cardiology referral, chest pain' }));
    const id = String(opened.id);
    await t.deliver();
    const posted = calls.filter(isCard);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.method).toBe('chat.postMessage');
    expect(posted[0]!.body.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'header', text: expect.objectContaining({ text: `${opened.number} · Referral follow-up` }) })]));
    expect(buttonIds(posted[0]!.body.blocks)[0]).toBe(ACTIONS.caseClaim);
    expectMessageWithinLimits(posted[0]!.body as { text: string; blocks: unknown[] });
    const ref = await t.careBridge.stores.slackMessages.get('case_card', id);
    expect(ref).toEqual({ channel: CHANNELS.coordinators, ts: expect.any(String) });
    const ts = ref!.ts;
    const cardUpdates = () => calls.filter((c) => isCard(c) && c.method === 'chat.update');

    // Claim.
    await t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseClaim, value: id, messageTs: ts }));
    await eventually(async () => expect((await t.careBridge.cases.getCase(opened.id))!.ownerId).toBe(USERS.coordinator));
    await t.deliver();
    expect(cardUpdates().at(-1)!.body).toMatchObject({ ts, channel: CHANNELS.coordinators });
    expect(JSON.stringify(cardUpdates().at(-1)!.body.blocks)).toContain(`*Owner*\\n<@${USERS.coordinator}>`);
    expect(buttonIds(cardUpdates().at(-1)!.body.blocks)).not.toContain(ACTIONS.caseClaim);

    // Add note: the modal opens, the submission saves the note, the card shows when the next step is due.
    const opening = await press(calls, { userId: USERS.coordinator, actionId: ACTIONS.caseAddNote, value: id, messageTs: ts }, (c) => c.method === 'views.open');
    const noteView = opening.body.view as { callback_id: string; private_metadata: string };
    expect(noteView.callback_id).toBe(VIEWS.note);
    expect(noteView.private_metadata).toBe(JSON.stringify({ caseId: opened.id }));
    expectViewWithinLimits(noteView);
    const noteAnswer = await submit({
      userId: USERS.coordinator,
      callbackId: VIEWS.note,
      privateMetadata: noteView.private_metadata,
      values: stateValues({
        [BLOCKS.noteContactChannel]: form.select('phone'),
        [BLOCKS.noteContactResult]: form.select('reached'),
        [BLOCKS.noteStatus]: form.select('waiting_on_outside_office'),
        [BLOCKS.noteBarrier]: form.select('transportation'),
        [BLOCKS.noteBarrierText]: form.text(null),
        [BLOCKS.noteUnderstanding]: form.radio('partly'),
        [BLOCKS.noteUnderstandingText]: form.text('Unsure which office to call'),
        [BLOCKS.noteNextAction]: form.text('Confirm the cardiology appointment time'),
        [BLOCKS.noteResponsibleParty]: form.select('outside_office'),
        [BLOCKS.noteResponsibleUser]: form.user(null),
        [BLOCKS.noteTargetDate]: form.date('2026-11-30'),
        [BLOCKS.noteEscalationReason]: form.select('none'),
        [BLOCKS.noteEscalationText]: form.text(null),
      }),
    });
    expect(noteAnswer).toBeNull();
    expect(await t.careBridge.stores.cases.listNotes(opened.id)).toHaveLength(1);
    await t.deliver();
    const afterNote = JSON.stringify(cardUpdates().at(-1)!.body.blocks);
    expect(afterNote).toContain('Due Mon Nov 30 (Outside office)');
    expect(afterNote).toContain('Waiting');
    expect(afterNote).not.toContain('cardiology appointment');

    // View details: an ephemeral message to the coordinator alone, audited.
    const details = await press(calls, { userId: USERS.coordinator, actionId: ACTIONS.caseViewDetails, value: id, messageTs: ts }, (c) => c.method === 'chat.postEphemeral');
    expect(details.body).toMatchObject({ channel: CHANNELS.coordinators, user: USERS.coordinator });
    for (const part of [PATIENT.name, PATIENT.mrn, PATIENT.phone, 'Cardiology referral, chest pain', 'Confirm the cardiology appointment time']) expect(JSON.stringify(details.body.blocks)).toContain(part);
    const viewed = (await t.careBridge.stores.cases.listEvents(opened.id)).filter((e) => e.action === 'details_viewed');
    expect(viewed).toEqual([expect.objectContaining({ actorId: USERS.coordinator })]);

    // Escalate: the post goes to the providers channel with Acknowledge.
    const escOpen = await press(calls, { userId: USERS.coordinator, actionId: ACTIONS.caseEscalate, value: id, messageTs: ts }, (c) => c.method === 'views.open' && (c.body.view as { callback_id: string }).callback_id === VIEWS.escalate);
    const escAnswer = await submit({
      userId: USERS.coordinator,
      callbackId: VIEWS.escalate,
      privateMetadata: (escOpen.body.view as { private_metadata: string }).private_metadata,
      values: stateValues({ [BLOCKS.escalateReason]: form.select('worsening_symptoms'), [BLOCKS.escalateText]: form.text('Chest pain worse since yesterday') }),
    });
    expect(escAnswer).toBeNull();
    await t.deliver();
    const escPost = calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNELS.providers)!;
    expect(escPost).toBeDefined();
    expect(escPost.body.text).toBe(`Urgent escalation: ${opened.number} · Referral follow-up · High · Worsening symptoms`);
    expect(JSON.stringify(escPost.body.blocks)).toContain('Status: Waiting on outside office · Barrier: Transportation · Understanding: Partly understands');
    expect(JSON.stringify(escPost.body.blocks)).not.toContain('Chest pain worse');
    expect(buttonIds(escPost.body.blocks)).toEqual([ACTIONS.escalationAcknowledge, ACTIONS.caseViewDetails]);
    const [escalation] = await t.careBridge.stores.cases.listEscalations(opened.id);
    const escRef = await t.careBridge.stores.slackMessages.get('escalation_post', String(escalation!.id));
    expect(escRef!.channel).toBe(CHANNELS.providers);
    expect(JSON.stringify(cardUpdates().at(-1)!.body.blocks)).toContain('Escalated · awaiting review');

    // The provider acknowledges from the post: a short modal for the guidance.
    const ackOpen = await press(
      calls,
      { userId: USERS.provider, actionId: ACTIONS.escalationAcknowledge, value: String(escalation!.id), channel: CHANNELS.providers, messageTs: escRef!.ts },
      (c) => c.method === 'views.open' && (c.body.view as { callback_id: string }).callback_id === VIEWS.acknowledge,
    );
    const ackAnswer = await submit({
      userId: USERS.provider,
      callbackId: VIEWS.acknowledge,
      privateMetadata: (ackOpen.body.view as { private_metadata: string }).private_metadata,
      values: stateValues({ [BLOCKS.ackGuidance]: form.text('Send to the ED if pain at rest; otherwise see me Monday') }),
    });
    expect(ackAnswer).toBeNull();
    await t.deliver();
    const postUpdate = calls.find((c) => c.method === 'chat.update' && c.body.channel === CHANNELS.providers)!;
    expect(postUpdate.body.ts).toBe(escRef!.ts);
    expect(buttonIds(postUpdate.body.blocks)).toEqual([ACTIONS.escalationAddGuidance]);
    expect(JSON.stringify(postUpdate.body.blocks)).toContain(`Acknowledged by <@${USERS.provider}>`);
    expect(JSON.stringify(postUpdate.body)).not.toContain('pain at rest');
    const dm = calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === USERS.coordinator)!;
    expect(dm.body.text).toBe(`${opened.number} is back with you: <@${USERS.provider}> acknowledged the escalation.`);
    expect(JSON.stringify(dm.body.blocks)).toContain('Send to the ED if pain at rest');
    expect((await t.careBridge.cases.getCase(opened.id))!.state).toBe('active');

    // Close as completed, telling the referring office: the card keeps only Reopen.
    const closeOpen = await press(calls, { userId: USERS.coordinator, actionId: ACTIONS.caseClose, value: id, messageTs: ts }, (c) => c.method === 'views.open' && (c.body.view as { callback_id: string }).callback_id === VIEWS.close);
    const closeAnswer = await submit({
      userId: USERS.coordinator,
      callbackId: VIEWS.close,
      privateMetadata: (closeOpen.body.view as { private_metadata: string }).private_metadata,
      values: stateValues({ [BLOCKS.closeOutcome]: form.select('completed'), [BLOCKS.closeReason]: form.text('Seen by cardiology on Monday'), [BLOCKS.closeLoop]: form.radio('yes') }),
    });
    expect(closeAnswer).toBeNull();
    await t.deliver();
    const closed = await t.careBridge.cases.getCase(opened.id);
    expect(closed).toMatchObject({ state: 'closed', outcome: 'completed', loopClosed: true });
    expect(buttonIds(cardUpdates().at(-1)!.body.blocks)).toEqual([ACTIONS.caseReopen]);

    // One living card: a single post, every change an update of that same message.
    expect(calls.filter((c) => isCard(c) && c.method === 'chat.postMessage')).toHaveLength(1);
    expect(cardUpdates().length).toBeGreaterThanOrEqual(5);
    for (const u of cardUpdates()) expect(u.body.ts).toBe(ts);
    everyCall.push(...calls);
  });

  it('reopens a closed case for a manager, and refuses a provider', async () => {
    const calls = record();
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    await t.careBridge.cases.claim(c.id, { userId: USERS.coordinator, roles: new Set(['coordinator']) });
    await t.careBridge.cases.close(c.id, { userId: USERS.coordinator, roles: new Set(['coordinator']) }, { outcome: 'not_needed', reason: 'Duplicate' });
    await t.deliver();
    const refused = await press(calls, { userId: USERS.provider, actionId: ACTIONS.caseReopen, value: String(c.id) }, (x) => x.method === 'chat.postEphemeral');
    expect(refused.body).toMatchObject({ user: USERS.provider, text: 'Only a manager or the case owner can reopen a case.' });
    await t.interaction(blockActionPayload({ userId: USERS.manager, actionId: ACTIONS.caseReopen, value: String(c.id) }));
    await eventually(async () => expect((await t.careBridge.cases.getCase(c.id))!.state).toBe('active'));
    await t.deliver();
    const last = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.coordinators).at(-1)!;
    expect(buttonIds(last.body.blocks)).toContain(ACTIONS.caseAddNote);
    everyCall.push(...calls);
  });

  it('never put the patient name, phone, date of birth or full MRN in a channel post, a notification text or a view', () => {
    const seen = scannedCalls(everyCall);
    expect(seen.channelPosts).toBeGreaterThanOrEqual(8);
    expect(seen.views).toBeGreaterThanOrEqual(4);
    expect(phiLeaks(everyCall, [PATIENT])).toEqual([]);
  });
});
