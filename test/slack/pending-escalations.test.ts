/**
 * No escalation is closed away: while any escalation of a case waits for acknowledgement
 * the case stays escalated and a coordinator cannot close it; a manager may close it
 * `not_needed`, on the record. Driven through signed Slack requests into Bolt's receiver.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../src/domain/types';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/ids';
import { coordinator, triggerEvent } from '../support/services';
import { CHANNELS, USERS, blockActionPayload, recordSlack, viewSubmissionPayload, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { form, stateValues, waitForCall } from '../support/slack-forms';
import { ENGINES } from '../support/test-db';

describe.each(ENGINES)('pending escalations on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, {}, (app) => (t = app));
  afterEach(async () => {
    await t.deliver();
    nock.cleanAll();
  });

  async function submit(input: Parameters<typeof viewSubmissionPayload>[0]): Promise<{ response_action?: string; errors?: Record<string, string> } | null> {
    const res = await t.interaction(viewSubmissionPayload(input));
    expect(res.status).toBe(200);
    const body = await res.text();
    return body ? JSON.parse(body) : null;
  }

  /** A claimed case with two escalations raised by its coordinator, one to providers, one clinical too. */
  async function caseWithTwoEscalations(): Promise<{ c: Case; first: number; second: number }> {
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent());
    await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator));
    await t.careBridge.cases.escalate(c.id, coordinator(USERS.coordinator), 'worsening_symptoms', 'Short of breath since Monday');
    t.clock.advance(45 * 60_000);
    await t.careBridge.cases.escalate(c.id, coordinator(USERS.coordinator), 'medication_confusion', 'Unsure which inhaler');
    const [first, second] = await t.careBridge.stores.cases.listEscalations(c.id);
    await t.deliver();
    return { c, first: first!.id, second: second!.id };
  }

  async function acknowledge(calls: SlackCall[], escalationId: number): Promise<void> {
    await t.interaction(blockActionPayload({ userId: USERS.provider, actionId: ACTIONS.escalationAcknowledge, value: String(escalationId), channel: CHANNELS.providers }));
    const opened = await waitForCall(calls, (x) => x.method === 'views.open' && (x.body.view as { callback_id: string }).callback_id === VIEWS.acknowledge);
    calls.length = 0;
    const answer = await submit({
      userId: USERS.provider,
      callbackId: VIEWS.acknowledge,
      privateMetadata: (opened.body.view as { private_metadata: string }).private_metadata,
      values: stateValues({ [BLOCKS.ackGuidance]: form.text('Call 911 if breathless at rest') }),
    });
    expect(answer).toBeNull();
  }

  const closeValues = (outcome: string, reason: string) =>
    stateValues({ [BLOCKS.closeOutcome]: form.select(outcome), [BLOCKS.closeReason]: form.text(reason), [BLOCKS.closeLoop]: form.radio('yes') });

  it('acknowledging one of two keeps the case escalated, and the card says one is still pending', async () => {
    const calls = recordSlack();
    const { c, first } = await caseWithTwoEscalations();
    t.clock.advance(2 * 3_600_000);
    await acknowledge(calls, first);
    expect((await t.careBridge.cases.getCase(c.id))!.state).toBe('escalated');
    await t.deliver();
    const card = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.coordinators).at(-1)!;
    expect(JSON.stringify(card.body.blocks)).toContain('1 escalation pending · for 2 h');
  });

  it('refuses a coordinator who closes over a pending escalation, naming it and where it was posted; nothing changes', async () => {
    const calls = recordSlack();
    const { c, first, second } = await caseWithTwoEscalations();
    await acknowledge(calls, first);

    // The Close button answers privately, before any form.
    await t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseClose, value: String(c.id) }));
    const refusal = await waitForCall(calls, (x) => x.method === 'chat.postEphemeral');
    expect(refusal.body.text).toBe(
      `${c.number} has an escalation waiting for acknowledgement: Medication confusion (raised 0 min ago, posted in <#${CHANNELS.providers}>). ` +
        'It can close once it is acknowledged; a manager may close it as not needed.',
    );
    expect(calls.some((x) => x.method === 'views.open')).toBe(false);

    // A close form opened earlier is refused on its outcome field.
    const answer = await submit({ userId: USERS.coordinator, callbackId: VIEWS.close, privateMetadata: JSON.stringify({ caseId: c.id }), values: closeValues('completed', 'Seen in clinic') });
    expect(answer?.response_action).toBe('errors');
    expect(answer?.errors?.[BLOCKS.closeOutcome]).toContain('Medication confusion');
    expect(await t.careBridge.cases.getCase(c.id)).toMatchObject({ state: 'escalated', outcome: null });
    expect((await t.careBridge.stores.cases.getEscalation(second))!.acknowledgedAt).toBeNull();
  });

  it('lets a manager close it not needed, audited with the escalations closed over; any other outcome is refused', async () => {
    const { c, second } = await caseWithTwoEscalations();
    const completed = await submit({ userId: USERS.manager, callbackId: VIEWS.close, privateMetadata: JSON.stringify({ caseId: c.id }), values: closeValues('completed', 'Seen in clinic') });
    expect(completed?.errors?.[BLOCKS.closeOutcome]).toContain('2 escalations waiting for acknowledgement');
    const answer = await submit({ userId: USERS.manager, callbackId: VIEWS.close, privateMetadata: JSON.stringify({ caseId: c.id }), values: closeValues('not_needed', 'Duplicate of another case') });
    expect(answer).toBeNull();
    expect(await t.careBridge.cases.getCase(c.id)).toMatchObject({ state: 'closed', outcome: 'not_needed' });
    const closed = (await t.careBridge.stores.cases.listEvents(c.id)).filter((e) => e.action === 'closed');
    expect(closed).toEqual([expect.objectContaining({ actorId: USERS.manager, after: expect.objectContaining({ closedOverEscalations: [second - 1, second] }) })]);

    // Reopened, the escalations it was closed over no longer hold it.
    t.clock.advance(60_000);
    await t.careBridge.cases.reopen(c.id, { userId: USERS.manager, roles: new Set(['manager']) });
    expect(await t.careBridge.cases.pendingEscalations(c.id)).toEqual([]);
  });
});
