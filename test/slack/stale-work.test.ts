/**
 * Stale work is a list: a manager's App Home and the daily digest name the open cases
 * nobody has moved for 7 days, longest first, with a link to each card. CareBridge's own
 * alerts and automatic escalations are not movement; a note, a claim or an acknowledgement is.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/job-runner';
import { dailyDigest } from '../../src/jobs/daily-digest';
import { slaSweep } from '../../src/jobs/sla-sweep';
import { HOME } from '../../src/slack/ids';
import { expectMessageWithinLimits, expectViewWithinLimits } from '../support/block-limits';
import { coordinator, note, triggerEvent } from '../support/services';
import { CHANNELS, USERS, recordSlack, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

type Block = { block_id?: string; text?: { text: string } };

describe.each(ENGINES)('stale work on %s', (engine) => {
  let t: TestApp;
  // Monday morning, three weeks of history.
  withTestApp(engine, { at: '2026-11-09T09:00:00-05:00' }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  it('lists the cases longest without movement on a manager’s Home and in the digest, ignoring CareBridge’s own alerts', async () => {
    const calls = recordSlack();
    const open = async (externalId: string) => (await t.careBridge.cases.openCase(triggerEvent({ externalId, occurredAt: t.clock.now() }))).case;
    const oldest = await open('EXT-STALE-1'); // opened Nov 9, never touched again
    t.clock.set('2026-11-10T09:00:00-05:00');
    const alerted = await open('EXT-STALE-2'); // only CareBridge's sweep touches it
    t.clock.set('2026-11-11T09:00:00-05:00');
    const noted = await open('EXT-STALE-3');
    await t.careBridge.cases.claim(noted.id, coordinator(USERS.coordinator));
    t.clock.set('2026-11-20T10:00:00-05:00');
    await t.careBridge.cases.addNote(noted.id, coordinator(USERS.coordinator), note({ targetDate: '2026-12-15' })); // moved on Nov 20
    const fresh = await open('EXT-STALE-4');
    // The sweep alerts and escalates the unclaimed ones: not movement.
    t.clock.set('2026-11-23T09:00:00-05:00');
    await runJob(slaSweep, t.careBridge);
    await t.deliver();

    t.clock.set('2026-11-25T08:00:00-05:00');
    await t.event({ type: 'app_home_opened', user: USERS.manager, channel: 'D0HOME001', tab: 'home', event_ts: '1700000000.000100' });
    const managerHomes = () => calls.filter((c) => c.method === 'views.publish' && c.body.user_id === USERS.manager && JSON.stringify(c.body).includes(HOME.stale));
    await expect.poll(() => managerHomes().length).toBeGreaterThan(0);
    const home = managerHomes().at(-1)!.body.view as { blocks: Block[] };
    expectViewWithinLimits(home);
    const heading = home.blocks[home.blocks.findIndex((b) => b.block_id === HOME.stale) - 1]!.text!.text;
    expect(heading).toBe('Stale: no movement in 7 days (2)');
    const lines = home.blocks.find((b) => b.block_id === HOME.stale)!.text!.text.split('\n');
    const card = await t.careBridge.stores.slackMessages.get('case_card', String(oldest.id));
    expect(lines).toEqual([
      `• <https://slack.com/archives/${card!.channel}/p${card!.ts.replace('.', '')}|${oldest.number}> · Referral follow-up · unclaimed · 15 days without movement`,
      expect.stringMatching(new RegExp(`^• <https://slack.com/archives/${CHANNELS.coordinators}/p\\d+\\|${alerted.number}> · Referral follow-up · unclaimed · 14 days without movement$`)),
    ]);
    expect(lines.join()).not.toContain(noted.number);
    expect(lines.join()).not.toContain(fresh.number);

    // The digest carries the count and the top 5.
    await runJob(dailyDigest, t.careBridge);
    await t.deliver();
    const digest = calls.filter((c: SlackCall) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks).includes('Daily digest')).at(-1)!;
    expectMessageWithinLimits(digest.body as { text: string; blocks: unknown[] });
    const text = JSON.stringify(digest.body.blocks);
    expect(text).toContain('Stale: no movement in 7 days (2)');
    expect(text).toContain(`${oldest.number}> · Referral follow-up · unclaimed · 15 days without movement`);
  });
});
