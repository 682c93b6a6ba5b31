/**
 * Delivery of case cards and escalation messages through the outbox: Slack failing
 * and recovering, deleted cards, where escalations and their DMs go. The dispatcher
 * is driven by hand (t.deliver) with the test clock moved past each retry.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/types';
import { phiLeaks } from '../support/phi-scan';
import { note, triggerEvent } from '../support/services';
import { CHANNELS, USERS, recordSlack, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { buttonIds } from '../support/slack-forms';
import { ACTIONS } from '../../src/slack/ids';
import { ENGINES } from '../support/test-db';

const PATIENT = { mrn: 'MRN00055123', name: 'Ottoline Brackenbury', phone: '555-010-5555', dob: '1939-09-09' };
const actor = (userId: string, role: 'coordinator' | 'provider' | 'manager'): Actor => ({ userId, roles: new Set([role]) });
const isCardPost = (c: SlackCall) => c.method === 'chat.postMessage' && c.body.channel === CHANNELS.coordinators;

describe.each(ENGINES)('case and escalation delivery on %s', (engine) => {
  let t: TestApp;

  withTestApp(engine, {}, (app) => (t = app));
  afterEach(async () => {
    // Far enough ahead that any retry is due, so no test leaves work for the next.
    t.clock.advance(60 * 60_000);
    await t.deliver();
    nock.cleanAll();
  });

  const open = async (): Promise<Case> => (await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }))).case;
  const record = (respond?: Parameters<typeof recordSlack>[0]) => {
    const calls = recordSlack(respond);
    tracked.push(calls);
    return calls;
  };
  const tracked: SlackCall[][] = [];

  it('delivers the card exactly once after Slack answers 500, then 429 with Retry-After, then OK, losing no change made meanwhile', async () => {
    let attempts = 0;
    const calls = record((call) => {
      if (!isCardPost(call)) return undefined;
      attempts += 1;
      if (attempts === 1) return { status: 500, body: { ok: false } };
      if (attempts === 2) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '7' } };
      return undefined;
    });
    const c = await open();
    expect(await t.deliver()).toBe(0);
    expect(calls.filter(isCardPost)).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${t.port}/healthz`)).status).toBe(503);

    // The practice keeps working while Slack is down: both changes commit at once.
    expect((await t.careBridge.cases.claim(c.id, actor(USERS.coordinator, 'coordinator'))).ok).toBe(true);
    expect((await t.careBridge.cases.addNote(c.id, actor(USERS.coordinator, 'coordinator'), note({ targetDate: '2026-11-30', responsibleParty: 'patient' }))).ok).toBe(true);

    // Nothing is tried again before the retry is due (5 s after the first failure).
    t.clock.advance(4_999);
    expect(await t.deliver()).toBe(0);
    expect(calls.filter(isCardPost)).toHaveLength(1);
    t.clock.advance(1);
    await t.deliver();
    expect(calls.filter(isCardPost)).toHaveLength(2);
    expect(await t.careBridge.stores.outbox.pendingCount()).toBe(1);

    // Rate-limited: Slack's Retry-After (7 s) is honoured to the millisecond.
    t.clock.advance(6_999);
    expect(await t.deliver()).toBe(0);
    expect(calls.filter(isCardPost)).toHaveLength(2);
    t.clock.advance(1);
    expect(await t.deliver()).toBeGreaterThanOrEqual(1);

    const posts = calls.filter(isCardPost);
    expect(posts).toHaveLength(3);
    // One card, rendered when it was finally delivered: it already shows the claim and the note.
    const card = JSON.stringify(posts[2]!.body.blocks);
    expect(card).toContain(`*Owner*\\n<@${USERS.coordinator}>`);
    expect(card).toContain('Due Mon Nov 30 (Patient)');
    expect(await t.careBridge.stores.slackMessages.get('case_card', String(c.id))).toEqual({ channel: CHANNELS.coordinators, ts: expect.any(String) });
    expect(await t.careBridge.stores.outbox.pendingCount()).toBe(0);
    expect(await t.careBridge.stores.cases.listNotes(c.id)).toHaveLength(1);

    // Later deliveries post nothing more; the next change updates the same message.
    t.clock.advance(60_000);
    await t.deliver();
    expect(calls.filter(isCardPost)).toHaveLength(3);
    await t.careBridge.cases.escalate(c.id, actor(USERS.coordinator, 'coordinator'), 'medication_confusion', 'Mixed up two prescriptions');
    await t.deliver();
    const { ts } = (await t.careBridge.stores.slackMessages.get('case_card', String(c.id)))!;
    const updates = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.coordinators);
    expect(updates.map((u) => u.body.ts)).toEqual([ts]);
    expect((await fetch(`http://127.0.0.1:${t.port}/healthz`)).status).toBe(200);
  });

  it('posts the card again when someone deleted it in Slack, and remembers the new message', async () => {
    const c = await open();
    let deleted = true;
    const calls = record((call) => (call.method === 'chat.update' && deleted ? { body: { ok: false, error: 'message_not_found' } } : undefined));
    await t.deliver();
    const first = (await t.careBridge.stores.slackMessages.get('case_card', String(c.id)))!;
    await t.careBridge.cases.claim(c.id, actor(USERS.coordinator2, 'coordinator'));
    await t.deliver();
    deleted = false;
    const second = (await t.careBridge.stores.slackMessages.get('case_card', String(c.id)))!;
    expect(second.ts).not.toBe(first.ts);
    expect(calls.filter(isCardPost)).toHaveLength(2);
    expect(await t.careBridge.stores.outbox.failures()).toEqual([]);
    await t.careBridge.cases.reassign(c.id, actor(USERS.manager, 'manager'), USERS.coordinator, null);
    await t.deliver();
    expect(calls.filter((x) => x.method === 'chat.update').at(-1)!.body.ts).toBe(second.ts);
  });

  it('sends operational escalations to the managers channel, and re-raises an unacknowledged one in its thread', async () => {
    const calls = record();
    const c = await open();
    const raised = await t.careBridge.cases.escalate(c.id, 'system', 'response_window_missed', null);
    expect(raised.ok).toBe(true);
    await t.deliver();
    const post = calls.find((x) => x.method === 'chat.postMessage' && x.body.channel === CHANNELS.managers)!;
    expect(post.body.text).toBe(`Escalation: ${c.number} · Referral follow-up · High · Response window missed`);
    expect(JSON.stringify(post.body.blocks)).toContain('Automatically by CareBridge');
    const [e] = await t.careBridge.stores.cases.listEscalations(c.id);
    const saved = (await t.careBridge.stores.slackMessages.get('escalation_post', String(e!.id)))!;

    await t.careBridge.stores.outbox.enqueue('escalation_post', String(e!.id), { reraise: true }, t.clock.now());
    await t.deliver();
    const reply = calls.find((x) => x.method === 'chat.postMessage' && x.body.thread_ts === saved.ts)!;
    expect(reply.body).toMatchObject({ channel: CHANNELS.managers, reply_broadcast: 'true' });
    expect(calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === CHANNELS.managers && !x.body.thread_ts)).toHaveLength(1);
  });

  it("DMs the backup while the owner is away, and sends that DM once, however often the acknowledgement is delivered", async () => {
    let failUpdate = true;
    const calls = record((call) => {
      if (call.method === 'chat.update' && call.body.channel === CHANNELS.providers && failUpdate) {
        failUpdate = false;
        return { status: 503, body: { ok: false } };
      }
      return undefined;
    });
    const c = await open();
    await t.careBridge.cases.claim(c.id, actor(USERS.coordinator, 'coordinator'), USERS.coordinator2);
    expect((await t.careBridge.cases.setAway(actor(USERS.coordinator, 'coordinator'), '2026-11-25', '2026-11-27')).ok).toBe(true);
    await t.careBridge.cases.escalate(c.id, actor(USERS.coordinator, 'coordinator'), 'discharge_concern', 'Home oxygen not delivered');
    await t.deliver();
    const [e] = await t.careBridge.stores.cases.listEscalations(c.id);
    expect((await t.careBridge.cases.acknowledge(e!.id, actor(USERS.provider, 'provider'), 'Call the supplier; I will sign the order')).ok).toBe(true);
    await t.deliver();
    t.clock.advance(10_000);
    await t.deliver();
    // Delivered again (a retry after a lost response, a second instance): the post is updated, no second DM.
    await t.careBridge.stores.outbox.enqueue('escalation_ack', String(e!.id), null, t.clock.now());
    await t.deliver();
    const dms = calls.filter((x) => x.method === 'chat.postMessage' && /^U/.test(String(x.body.channel)));
    expect(dms.map((d) => d.body.channel)).toEqual([USERS.coordinator2]);
    expect(JSON.stringify(dms[0]!.body.blocks)).toContain('Call the supplier');
    const updates = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.providers);
    expect(updates).toHaveLength(3);
    expect(buttonIds(updates[1]!.body.blocks)).toEqual([ACTIONS.escalationAddGuidance]);
    expect(buttonIds(calls.find((x) => x.method === 'chat.postMessage' && x.body.channel === CHANNELS.providers)!.body.blocks)).toContain(ACTIONS.escalationAcknowledge);
  });

  it('never put patient identifiers in a channel post, a notification text or a view', () => {
    const all = tracked.flat();
    expect(all.filter((x) => /^[CG]/.test(String(x.body.channel ?? ''))).length).toBeGreaterThanOrEqual(10);
    expect(phiLeaks(all, [PATIENT])).toEqual([]);
  });
});
