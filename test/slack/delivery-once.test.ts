/**
 * Each Slack message once when Slack accepts a post but its answer is lost: the retry
 * finds the stamped message in the conversation's history and records it instead of
 * posting again. A small fake Slack keeps what it accepted, with its metadata.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { STAMP_EVENT_TYPE } from '../../src/slack/delivery/stamped-client';
import { coordinator, provider, triggerEvent } from '../support/services';
import { CHANNELS, USERS, recordSlack, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const DM_CHANNEL = 'D0DMCOORD1';

describe.each(ENGINES)('posting once when Slack’s answer is lost, on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, {}, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  /** Slack as seen from outside: posts land in `history`; the first post to each conversation answers 500 after landing. */
  function lossySlack(): { calls: SlackCall[]; history: Map<string, { ts: string; metadata?: unknown }[]> } {
    const history = new Map<string, { ts: string; metadata?: unknown }[]>();
    const answeredOnce = new Set<string>();
    let ts = 1_800_000_000;
    const conversationOf = (channel: string) => (channel.startsWith('U') ? DM_CHANNEL : channel);
    const calls = recordSlack((call) => {
      if (call.method === 'conversations.open') return { body: { ok: true, channel: { id: DM_CHANNEL } } };
      if (call.method === 'conversations.history') {
        expect(String(call.body.include_all_metadata)).toBe('true');
        return { body: { ok: true, messages: [...(history.get(call.body.channel as string) ?? [])].reverse(), has_more: false } };
      }
      if (call.method !== 'chat.postMessage') return undefined;
      const conversation = conversationOf(call.body.channel as string);
      const message = { ts: `${++ts}.000200`, metadata: call.body.metadata };
      history.set(conversation, [...(history.get(conversation) ?? []), message]);
      if (!answeredOnce.has(conversation)) {
        answeredOnce.add(conversation);
        return { status: 500, body: { ok: false } };
      }
      return { body: { ok: true, channel: conversation, ts: message.ts } };
    });
    return { calls, history };
  }

  it('posts a case card once, keeps the message that landed, and updates that one afterwards', async () => {
    const { calls, history } = lossySlack();
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent());
    await t.deliver();
    t.clock.advance(60_000);
    await t.deliver();
    const posts = calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === CHANNELS.coordinators);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.metadata).toEqual({ event_type: STAMP_EVENT_TYPE, event_payload: { outbox_id: expect.any(Number), part: 0 } });
    const landed = history.get(CHANNELS.coordinators)![0]!;
    expect(await t.careBridge.stores.slackMessages.get('case_card', String(c.id))).toEqual({ channel: CHANNELS.coordinators, ts: landed.ts });

    await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator));
    await t.deliver();
    expect(calls.filter((x) => x.method === 'chat.update').at(-1)!.body).toMatchObject({ channel: CHANNELS.coordinators, ts: landed.ts });
    expect(calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === CHANNELS.coordinators)).toHaveLength(1);
  });

  it('sends a direct message once, looking in the conversation with that person', async () => {
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent({ externalId: 'EXT-DM-ONCE' }));
    await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator));
    await t.careBridge.cases.escalate(c.id, coordinator(USERS.coordinator), 'medication_confusion', 'Two inhalers');
    recordSlack();
    await t.deliver();
    nock.cleanAll();

    const { calls } = lossySlack();
    const [escalation] = await t.careBridge.stores.cases.listEscalations(c.id);
    expect((await t.careBridge.cases.acknowledge(escalation!.id, provider(USERS.provider), 'Use the blue one only')).ok).toBe(true);
    await t.deliver();
    t.clock.advance(60_000);
    await t.deliver();
    const dms = calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === USERS.coordinator);
    expect(dms).toHaveLength(1);
    expect(calls.some((x) => x.method === 'conversations.history' && x.body.channel === DM_CHANNEL)).toBe(true);
  });
});
