/**
 * "Repeated failed contact" is raised for every new run of 3 failed attempts: after the
 * patient is reached, and after the last such escalation, once each. Notes go in through
 * signed modal submissions; the SLA sweep runs as the scheduler would; the escalation
 * posts are intercepted on their way to the managers channel.
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

describe.each(ENGINES)('repeated failed contact on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, { at: '2026-12-01T09:00:00-05:00' }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  it('escalates each new run of 3 failed attempts once: after a reach, and after the last such escalation', async () => {
    const calls = recordSlack();
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent({ trigger: 'consult_completed', occurredAt: new Date('2026-12-01T08:30:00-05:00') }));
    await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator));
    let viewNo = 0;
    const attempt = async (result: string) => {
      t.clock.advance(10 * 60_000);
      const res = await t.interaction(
        viewSubmissionPayload({ userId: USERS.coordinator, callbackId: VIEWS.note, privateMetadata: JSON.stringify({ caseId: c.id }), viewId: `V0NOTE${++viewNo}`, values: noteForm({ result, targetDate: '2026-12-10' }) }),
      );
      expect(await res.text()).toBe('');
    };
    const sweep = async () => {
      t.clock.advance(5 * 60_000);
      await runJob(slaSweep, t.careBridge);
      await t.deliver();
    };
    const failedContactPosts = (): SlackCall[] =>
      calls.filter((x) => x.method === 'chat.postMessage' && x.body.channel === CHANNELS.managers && String(x.body.text).includes('Repeated failed contact'));

    for (const result of ['no_answer', 'left_voicemail', 'no_answer']) await attempt(result);
    await sweep();
    expect(failedContactPosts()).toHaveLength(1);
    await sweep();
    expect(failedContactPosts()).toHaveLength(1);

    // The patient is reached, then three new failures: a new run, a new escalation.
    await attempt('reached');
    for (const result of ['no_answer', 'wrong_number', 'left_voicemail']) await attempt(result);
    await sweep();
    expect(failedContactPosts()).toHaveLength(2);

    // Three more failures after that escalation, with no reach between: another one.
    for (const result of ['no_answer', 'no_answer']) await attempt(result);
    await sweep();
    expect(failedContactPosts()).toHaveLength(2);
    await attempt('left_voicemail');
    await sweep();
    await sweep();
    expect(failedContactPosts()).toHaveLength(3);
    const raised = (await t.careBridge.stores.cases.listEscalations(c.id)).filter((e) => e.reason === 'repeated_failed_contact');
    expect(raised).toHaveLength(3);
  });
});
