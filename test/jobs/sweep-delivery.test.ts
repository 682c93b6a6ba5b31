/**
 * What a sweep's messages look like in Slack, delivered through the outbox and Bolt's
 * client: one channel summary, one DM per person, one escalation summary whose
 * Acknowledge buttons open the acknowledge modal, and a 429 that delays a DM without
 * dropping it.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/types';
import { runJob } from '../../src/jobs/job-runner';
import { slaSweep } from '../../src/jobs/sla-sweep';
import { ACTIONS, VIEWS } from '../../src/slack/ids';
import { messageProblems } from '../support/block-limits';
import { phiLeaks } from '../support/phi-scan';
import { triggerEvent } from '../support/services';
import { CHANNELS, USERS, blockActionPayload, recordSlack, startTestApp, type SlackCall, type TestApp } from '../support/slack';
import { waitForCall } from '../support/slack-forms';
import { ENGINES } from '../support/test-db';

const PATIENTS = Array.from({ length: 6 }, (_, i) => ({ mrn: `MRN0009${i}123`, name: `Gwendolyn Featherstonehaugh${i}`, phone: `555-010-90${i}0`, dob: '1950-05-05' }));
const as = (userId: string): Actor => ({ userId, roles: new Set(['coordinator']) });
const isPost = (c: SlackCall) => c.method === 'chat.postMessage';

describe.each(ENGINES)('a sweep in Slack on %s', (engine) => {
  let t: TestApp;
  const cases: Case[] = [];
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    t = await startTestApp(engine, { at: '2026-11-23T08:00:00-05:00' });
    recordSlack();
    // Six urgent discharges at 08:00 (first response due 12:00): two each for two coordinators, two unclaimed.
    for (const [i, patient] of PATIENTS.entries()) {
      const c = (await t.careBridge.cases.openCase(triggerEvent({ trigger: 'hospital_discharge', occurredAt: new Date('2026-11-23T08:00:00-05:00'), patient }))).case;
      if (i < 4) await t.careBridge.cases.claim(c.id, as(i % 2 ? USERS.coordinator2 : USERS.coordinator));
      cases.push(c);
    }
    await t.deliver();
    nock.cleanAll();
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await t.close();
    nock.enableNetConnect();
  });

  it('tells each owner once, the channel once, and the managers in one escalation summary; a 429 only delays', async () => {
    let limited = false;
    const calls = recordSlack((call) => {
      // Slack rate-limits the first DM: it must come later, not never.
      if (isPost(call) && call.body.channel === USERS.coordinator2 && !limited) {
        limited = true;
        return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '30' } };
      }
      return undefined;
    });
    t.clock.set('2026-11-23T12:00:00-05:00');
    expect(await runJob(slaSweep, t.careBridge)).toMatchObject({ status: 'done', summary: '6 new breach(es) alerted (2 DM(s), 1 channel summary); 0 reminder(s) before a due time; 6 escalation(s) raised; 0 re-raised' });
    await t.deliver();
    t.clock.advance(29_000);
    await t.deliver();
    expect(calls.filter((c) => isPost(c) && c.body.channel === USERS.coordinator2)).toHaveLength(1); // still waiting out the 429
    t.clock.advance(2_000);
    await t.deliver();

    const posts = calls.filter(isPost);
    const to = (channel: string) => posts.filter((c) => c.body.channel === channel);
    // Case cards are edited in place (chat.update); the only new channel messages are the two summaries.
    expect(to(CHANNELS.coordinators).map((c) => c.body.text)).toEqual(['6 cases newly overdue: see the list']);
    expect(to(CHANNELS.managers).map((c) => c.body.text)).toEqual(['6 automatic escalations for the managers channel']);
    expect(to(USERS.coordinator).map((c) => c.body.text)).toEqual(['2 of your cases are past due']);
    expect(to(USERS.coordinator2).map((c) => c.body.text)).toEqual(['2 of your cases are past due', '2 of your cases are past due']); // 429, then delivered
    for (const c of posts) expect(messageProblems({ text: String(c.body.text), blocks: c.body.blocks as unknown[] })).toEqual([]);
    const summary = JSON.stringify(to(CHANNELS.coordinators)[0]!.body.blocks);
    for (const c of cases) expect(summary).toContain(c.number);
    expect(summary.match(/_unclaimed_/g)).toHaveLength(2);
    expect(phiLeaks(calls, PATIENTS)).toEqual([]);
    expect(await t.careBridge.stores.outbox.failures()).toEqual([]);
  });

  it('opens the acknowledge modal from a line of the escalation summary', async () => {
    const calls = recordSlack();
    const [escalation] = await t.careBridge.stores.cases.listEscalations(cases[0]!.id);
    const res = await t.interaction(blockActionPayload({ userId: USERS.manager, actionId: ACTIONS.escalationAcknowledge, value: String(escalation!.id), channel: CHANNELS.managers }));
    expect(res.status).toBe(200);
    const open = await waitForCall(calls, (c) => c.method === 'views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.acknowledge);
  });
});
