/**
 * A provider adds guidance after acknowledging: "Add guidance" on the acknowledged post,
 * a modal (field errors, nothing saved), an audited event, a DM to the owner and the
 * backup, the text in View details, and on the card only who and when.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/ids';
import { buttonIds, form, stateValues, waitForCall } from '../support/slack-forms';
import { coordinator, provider, triggerEvent } from '../support/services';
import { CHANNELS, USERS, blockActionPayload, recordSlack, viewSubmissionPayload, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const GUIDANCE = 'Double the evening dose of furosemide until Friday';

describe.each(ENGINES)('added guidance on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, {}, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  it('goes from the acknowledged post through a modal to the owner and backup, the details view and, without its text, the card', async () => {
    const calls = recordSlack();
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent({ externalId: 'EXT-GUIDE-1' }));
    await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator), USERS.coordinator2);
    await t.careBridge.cases.escalate(c.id, coordinator(USERS.coordinator), 'medication_confusion', 'Two diuretics on the list');
    const [e] = await t.careBridge.stores.cases.listEscalations(c.id);
    await t.careBridge.cases.acknowledge(e!.id, provider(USERS.provider), 'Keep the morning dose only');
    await t.deliver();
    const post = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.providers).at(-1)!;
    expect(buttonIds(post.body.blocks)).toEqual([ACTIONS.escalationAddGuidance]);

    // A coordinator may not add guidance: told privately, no form.
    await t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.escalationAddGuidance, value: String(e!.id), channel: CHANNELS.providers }));
    expect((await waitForCall(calls, (x) => x.method === 'chat.postEphemeral')).body.text).toBe('Only providers and managers can add guidance.');

    await t.interaction(blockActionPayload({ userId: USERS.provider, actionId: ACTIONS.escalationAddGuidance, value: String(e!.id), channel: CHANNELS.providers }));
    const modal = await waitForCall(calls, (x) => x.method === 'views.open' && (x.body.view as { callback_id: string }).callback_id === VIEWS.guidance);
    const meta = (modal.body.view as { private_metadata: string }).private_metadata;
    const submit = (text: string | null, viewId: string) =>
      t.interaction(viewSubmissionPayload({ userId: USERS.provider, callbackId: VIEWS.guidance, privateMetadata: meta, viewId, values: stateValues({ [BLOCKS.addedGuidance]: form.text(text) }) }));
    expect(await (await submit('   ', 'V0GUIDE1')).json()).toEqual({ response_action: 'errors', errors: { [BLOCKS.addedGuidance]: 'Write the guidance for the coordinator.' } });
    expect(await t.careBridge.stores.cases.listGuidance(c.id)).toEqual([]);
    expect(await (await submit(GUIDANCE, 'V0GUIDE2')).text()).toBe('');
    expect(await (await submit(GUIDANCE, 'V0GUIDE2')).text()).toBe(''); // a repeated submission saves once
    expect(await t.careBridge.stores.cases.listGuidance(c.id)).toEqual([expect.objectContaining({ authorId: USERS.provider, text: GUIDANCE })]);
    expect((await t.careBridge.stores.cases.listEvents(c.id)).filter((x) => x.action === 'guidance_added')).toEqual([
      expect.objectContaining({ actorId: USERS.provider, after: { escalationId: e!.id } }),
    ]);

    await t.deliver();
    for (const person of [USERS.coordinator, USERS.coordinator2]) {
      const dm = calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === person && String(x.body.text).startsWith('More guidance'));
      expect(dm).toHaveLength(1);
      expect(JSON.stringify(dm[0]!.body.blocks)).toContain(GUIDANCE);
    }
    const card = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.coordinators).at(-1)!;
    expect(JSON.stringify(card.body.blocks)).toContain(`Guidance from <@${USERS.provider}>`);
    expect(JSON.stringify(card.body)).not.toContain('furosemide');
    await t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseViewDetails, value: String(c.id), channel: CHANNELS.coordinators }));
    const details = await waitForCall(calls, (x) => x.method === 'chat.postEphemeral' && JSON.stringify(x.body).includes('Added guidance'));
    expect(JSON.stringify(details.body.blocks)).toContain(GUIDANCE);
  });
});
