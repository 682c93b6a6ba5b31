import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOME } from '../../src/slack/ids';
import { expectViewWithinLimits } from '../support/block-limits';
import { captureLogs } from '../support/log-capture';
import { triggerEvent } from '../support/services';
import { USERS, recordSlack, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const PATIENT = { mrn: 'MRN00077123', name: 'Dorothy Vaughan', phone: '555-300-4000', dob: '1910-09-20' };
const PHI = ['Dorothy', 'Vaughan', 'MRN00077123', '555-300-4000', '1910-09-20'];
const homeOpened = (user: string, tab = 'home') => ({ type: 'app_home_opened', user, channel: 'D0HOME001', tab, event_ts: '1700000000.000100' });
const coordinator = (userId: string = USERS.coordinator) => ({ userId, roles: new Set(['coordinator'] as const) });

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { text: string }[] };
const publishes = (calls: SlackCall[]) => calls.filter((c) => c.method === 'views.publish');
const viewOf = (call: SlackCall) => call.body.view as { type: string; blocks: Block[] };
const textOf = (call: SlackCall) => viewOf(call).blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)].join(' ')).join('\n');

describe.each(ENGINES)('App Home on %s', (engine) => {
  let t: TestApp;
  // Debug level: the event dedupe says when it drops a repeated delivery.
  const logs = captureLogs('debug');

  withTestApp(engine, { logger: logs.logger }, (app) => (t = app));
  beforeEach(async () => {
    await t.db.knex('outbox').delete();
  });
  afterEach(() => nock.cleanAll());

  it('publishes my cases, unclaimed and overdue when a coordinator opens the Home tab', async () => {
    const calls = recordSlack();
    const mine = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    const unclaimed = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT, trigger: 'hospital_discharge', occurredAt: new Date('2026-11-24T09:00:00-05:00') }));
    expect((await t.careBridge.cases.claim(mine.case.id, coordinator())).ok).toBe(true);

    const res = await t.event(homeOpened(USERS.coordinator));
    expect(res.status).toBe(200);
    await expect.poll(() => publishes(calls).length).toBe(1);
    const publish = publishes(calls)[0]!;
    expect(publish.body.user_id).toBe(USERS.coordinator);
    expect(viewOf(publish).type).toBe('home');
    const ids = viewOf(publish).blocks.map((b) => b.block_id);
    expect(ids).toEqual(expect.arrayContaining([HOME.header, `${HOME.mine}_0`, `${HOME.unclaimed}_0`, `${HOME.overdue}_0`]));
    expect(ids).not.toContain(HOME.queueFigures);
    const text = textOf(publish);
    expect(text).toContain(`*${mine.case.number}* · DV ·7123 · Referral follow-up · High · Active`);
    expect(text).toMatch(new RegExp(`:warning: \\*overdue\\* · \\*${unclaimed.case.number}\\* · DV ·7123 · Discharge outreach · Urgent · Open`));
    for (const phi of PHI) expect(JSON.stringify(publish.body)).not.toContain(phi);
    expectViewWithinLimits(viewOf(publish));
  });

  it('shows managers the live per-lane queue figures', async () => {
    const calls = recordSlack();
    await t.event(homeOpened(USERS.manager));
    await expect.poll(() => publishes(calls).length).toBe(1);
    const figures = viewOf(publishes(calls)[0]!).blocks.find((b) => b.block_id === HOME.queueFigures)!.text!.text;
    expect(figures).toMatch(/\*Discharge outreach\* — open \d+ · unclaimed \d+ · due today \d+ · overdue [1-9]/);
    expect(figures).toContain('*All lanes* — open');
  });

  it('publishes nothing for the Messages tab, and a short notice to someone with no role', async () => {
    const calls = recordSlack();
    await t.event(homeOpened(USERS.coordinator, 'messages'));
    await t.event(homeOpened(USERS.stranger));
    await expect.poll(() => publishes(calls).length).toBe(1);
    expect(publishes(calls)[0]!.body.user_id).toBe(USERS.stranger);
    expect(textOf(publishes(calls)[0]!)).toContain("CareBridge is for the practice's coordinators, providers and managers");
  });

  it('handles an event Slack delivers again (X-Slack-Retry-Num) once', async () => {
    const calls = recordSlack();
    const first = await t.event(homeOpened(USERS.coordinator), { eventId: 'Ev0RETRY01' });
    expect(first.status).toBe(200);
    const retry = await t.event(homeOpened(USERS.coordinator), { eventId: 'Ev0RETRY01', headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    // A later, different event is handled too.
    await t.event(homeOpened(USERS.coordinator2), { eventId: 'Ev0RETRY02' });
    // Every delivery has run its course: one of the two Ev0RETRY01 deliveries was dropped
    // by the dedupe (it never reaches a listener), the other and Ev0RETRY02 published.
    await expect.poll(() => logs.lines.filter((l) => l.includes('repeated event ignored') && l.includes('Ev0RETRY01')).length).toBe(1);
    await expect.poll(() => publishes(calls).map((c) => c.body.user_id).sort()).toEqual([USERS.coordinator, USERS.coordinator2]);
    expect(await t.db.knex('processed_requests').whereIn('key', ['event:Ev0RETRY01', 'event:Ev0RETRY02'])).toHaveLength(2);
  });

  it('republishes the owner’s and backup’s Home after a change to their case (home_refresh)', async () => {
    const calls = recordSlack();
    const opened = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    expect((await t.careBridge.cases.reassign(opened.case.id, { userId: USERS.manager, roles: new Set(['manager'] as const) }, USERS.coordinator2, USERS.coordinator)).ok).toBe(true);
    await t.deliver();
    const users = publishes(calls).map((c) => c.body.user_id);
    expect(users.sort()).toEqual([USERS.coordinator, USERS.coordinator2]);
    const owners = publishes(calls).find((c) => c.body.user_id === USERS.coordinator2)!;
    expect(textOf(owners)).toContain(`*${opened.case.number}*`);
    for (const phi of PHI) expect(JSON.stringify(owners.body)).not.toContain(phi);
    expect(await t.db.knex('outbox').where({ kind: 'home_refresh' }).whereNull('delivered_at')).toEqual([]);

    // Handed to someone else: the previous owner's and backup's Homes drop it too.
    calls.length = 0;
    expect((await t.careBridge.cases.reassign(opened.case.id, { userId: USERS.manager, roles: new Set(['manager'] as const) }, USERS.manager, null)).ok).toBe(true);
    await t.deliver();
    expect(publishes(calls).map((c) => c.body.user_id).sort()).toEqual([USERS.coordinator, USERS.coordinator2, USERS.manager]);
    expect(textOf(publishes(calls).find((c) => c.body.user_id === USERS.coordinator2)!)).not.toContain(`*${opened.case.number}*`);
  });

  it('keeps a coordinator’s Home within 100 blocks with 500 cases', async () => {
    const calls = recordSlack();
    const opened = await t.careBridge.cases.openCases(Array.from({ length: 500 }, (_, i) => triggerEvent({ patient: PATIENT, trigger: i % 2 ? 'recall_due' : 'new_referral' })));
    for (const o of opened.slice(0, 200)) expect((await t.careBridge.cases.claim(o.case.id, coordinator())).ok).toBe(true);
    await t.event(homeOpened(USERS.coordinator));
    await expect.poll(() => publishes(calls).length, { timeout: 5000 }).toBe(1);
    const view = viewOf(publishes(calls)[0]!);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expectViewWithinLimits(view);
    const text = textOf(publishes(calls)[0]!);
    expect(text).toMatch(/My cases \(20[1-9]\)/);
    expect(text).toMatch(/and 1\d\d more — the ones due soonest are shown/);
    expect(text).toMatch(/Unclaimed \(3\d\d\)/);
    for (const phi of PHI) expect(JSON.stringify(view)).not.toContain(phi);
  });

  it('builds a Home once for a backlog of refreshes of one person, and again for a later change', async () => {
    const calls = recordSlack();
    const first = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    const second = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    await t.careBridge.cases.claim(first.case.id, coordinator(USERS.coordinator2));
    await t.careBridge.cases.claim(second.case.id, coordinator(USERS.coordinator2));
    // The refreshes wait in the outbox (Slack was slow, say) while time passes.
    t.clock.advance(60_000);
    await t.deliver();
    const toCoordinator = () => publishes(calls).filter((c) => c.body.user_id === USERS.coordinator2);
    expect(toCoordinator()).toHaveLength(1);
    expect(textOf(toCoordinator()[0]!)).toContain(second.case.number);

    t.clock.advance(60_000);
    await t.careBridge.cases.reassign(first.case.id, { userId: USERS.manager, roles: new Set(['manager'] as const) }, USERS.coordinator, USERS.coordinator2);
    await t.deliver();
    expect(toCoordinator()).toHaveLength(2);
  });
});

