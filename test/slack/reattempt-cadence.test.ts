/**
 * The re-attempt cadence and the reminder before a due time, in Slack: a failed attempt
 * logged through a signed note-modal submission puts "Next attempt due" on the living
 * card; the SLA sweep reminds the owner once before a due time and alerts a missed
 * re-attempt once, each as a DM intercepted on its way to Slack.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/job-runner';
import { slaSweep } from '../../src/jobs/sla-sweep';
import { VIEWS } from '../../src/slack/ids';
import { coordinator, triggerEvent } from '../support/services';
import { CHANNELS, USERS, recordSlack, viewSubmissionPayload, type SlackCall, type TestApp } from '../support/slack';
import { noteForm } from '../support/slack-forms';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

describe.each(ENGINES)('re-attempt cadence in Slack on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, { at: '2026-12-01T08:00:00-05:00' }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  it('shows the next attempt on the card, reminds the owner once before the first response, and alerts the missed re-attempt once', async () => {
    const calls = recordSlack();
    const owner = USERS.coordinator;
    // Urgent discharge opened 08:00: first response due 12:00.
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent({ trigger: 'hospital_discharge', occurredAt: new Date('2026-12-01T08:00:00-05:00') }));
    await t.careBridge.cases.claim(c.id, coordinator(owner));
    await t.deliver();
    const dms = (ending: string): SlackCall[] => calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === owner && String(x.body.text).endsWith(ending));
    const sweepAt = async (at: string) => {
      t.clock.set(at);
      await runJob(slaSweep, t.careBridge);
      await t.deliver();
    };

    for (const at of ['2026-12-01T10:55:00-05:00', '2026-12-01T11:00:00-05:00', '2026-12-01T11:05:00-05:00']) await sweepAt(at);
    expect(dms('due soon').map((x) => x.body.text)).toEqual(['1 of your cases is due soon']);
    expect(JSON.stringify(dms('due soon')[0]!.body.blocks)).toContain(`*${c.number}*`);
    expect(JSON.stringify(dms('due soon')[0]!.body.blocks)).toContain('first response due Tue Dec 1, 12:00 PM');

    t.clock.set('2026-12-01T11:30:00-05:00');
    const res = await t.interaction(
      viewSubmissionPayload({ userId: owner, callbackId: VIEWS.note, privateMetadata: JSON.stringify({ caseId: c.id }), viewId: 'V0NOTE1', values: noteForm({ result: 'no_answer', targetDate: '2026-12-03' }) }),
    );
    expect(await res.text()).toBe('');
    await t.deliver();
    const update = calls.filter((x) => x.method === 'chat.update' && x.body.channel === CHANNELS.coordinators).at(-1)!;
    // Urgent: 2 business hours after 11:30.
    expect(JSON.stringify(update.body.blocks)).toContain('*Outreach*\\n1 of 6 attempts failed · Next attempt due Tue Dec 1, 1:30 PM');

    for (const at of ['2026-12-01T13:25:00-05:00', '2026-12-01T13:30:00-05:00', '2026-12-01T13:35:00-05:00']) await sweepAt(at);
    expect(dms('past due').map((x) => x.body.text)).toEqual(['1 of your cases is past due']);
    expect(JSON.stringify(dms('past due')[0]!.body.blocks)).toContain('next attempt was due Tue Dec 1, 1:30 PM');
    expect(dms('due soon')).toHaveLength(1);
  });
});
