import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectMessageWithinLimits } from '../support/block-limits';
import { triggerEvent } from '../support/services';
import { USERS, recordSlack, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const PATIENT = { mrn: 'MRN00098765', name: 'Grace Hopper', phone: '555-867-5309', dob: '1951-06-09' };

/** Nothing but the patient label (`GH ·8765`) may appear in an answer. */
function expectNoPhi(answer: unknown): void {
  const text = JSON.stringify(answer);
  for (const value of [PATIENT.mrn, PATIENT.name, 'Grace', 'Hopper', PATIENT.phone, PATIENT.dob, 'Cardiology referral']) expect(text).not.toContain(value);
}

interface Answer {
  response_type?: string;
  text: string;
  blocks: { type: string; text?: { text: string }; block_id?: string; elements?: { text: string }[] }[];
}

function allText(a: Answer): string {
  return [a.text, ...a.blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')].join('\n'))].join('\n');
}

describe.each(ENGINES)('/followup on %s', (engine) => {
  let t: TestApp;
  const run = async (text: string, user: string = USERS.coordinator): Promise<Answer> => {
    const res = await t.command(text, user);
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  };

  withTestApp(engine, {}, (app) => (t = app));
  beforeEach(async () => {
    await t.db.knex('outbox').delete();
  });
  afterEach(() => nock.cleanAll());

  it('answers help ephemerally, for `help`, an empty text and unknown input', async () => {
    const calls = recordSlack();
    for (const text of ['help', '', 'HELP']) {
      const a = await run(text);
      expect(a.response_type).toBe('ephemeral');
      for (const sub of ['new', 'mine', 'queue [lane]', 'case FU-1042', 'away YYYY-MM-DD YYYY-MM-DD', 'report [YYYY-Www]']) expect(allText(a)).toContain(`/followup ${sub}`);
      expectMessageWithinLimits(a);
    }
    const unknown = await run('frobnicate now');
    expect(unknown.response_type).toBe('ephemeral');
    expect(allText(unknown)).toContain('no subcommand `frobnicate`');
    expect(allText(unknown)).toContain('/followup mine');
    expect(calls).toEqual([]);
  });

  it('refuses everything but help to someone with no CareBridge role', async () => {
    recordSlack();
    for (const text of ['mine', 'queue', 'case FU-1001', 'away 2026-12-01 2026-12-02', 'report']) {
      const a = await run(text, USERS.stranger);
      expect(a.response_type).toBe('ephemeral');
      expect(a.text).toContain("CareBridge is for the practice's coordinators, providers and managers");
    }
  });

  it('`mine` lists the cases the user owns or backs up by due time, with the patient label only', async () => {
    recordSlack();
    const { cases } = t.careBridge;
    const coordinator = { userId: USERS.coordinator, roles: new Set(['coordinator'] as const) };
    // A later trigger is due later: opened in reverse order, listed in due order.
    const late = await cases.openCase(triggerEvent({ patient: PATIENT, occurredAt: new Date('2026-11-25T09:30:00-05:00') }));
    const early = await cases.openCase(triggerEvent({ patient: PATIENT, trigger: 'hospital_discharge', occurredAt: new Date('2026-11-24T09:00:00-05:00') }));
    const others = await cases.openCase(triggerEvent({ patient: PATIENT }));
    expect((await cases.claim(late.case.id, coordinator)).ok).toBe(true);
    expect((await cases.claim(early.case.id, coordinator)).ok).toBe(true);
    expect((await cases.claim(others.case.id, { userId: USERS.coordinator2, roles: new Set(['coordinator'] as const) })).ok).toBe(true);

    const a = await run('mine');
    expect(a.response_type).toBe('ephemeral');
    const text = allText(a);
    expect(text).toContain(`Your cases (2)`);
    expect(text.indexOf(early.case.number)).toBeGreaterThan(-1);
    expect(text.indexOf(early.case.number)).toBeLessThan(text.indexOf(late.case.number));
    expect(text).not.toContain(others.case.number);
    expect(text).toContain('GH ·8765');
    expect(text).toContain('Discharge outreach');
    expect(text).toContain(':warning: *overdue*'); // the discharge's 4 business hours ran out yesterday
    expectNoPhi(a);
    expectMessageWithinLimits(a);
  });

  it('`queue [lane]` lists open cases of one lane or all, with owners, and names a bad lane', async () => {
    recordSlack();
    const referral = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    const recall = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT, trigger: 'recall_due' }));

    const all = allText(await run('queue', USERS.provider));
    expect(all).toContain(referral.case.number);
    expect(all).toContain(recall.case.number);
    expect(all).toContain('_unclaimed_');

    const one = await run('queue Preventive-recall');
    expect(allText(one)).toContain('Queue: Preventive recall');
    expect(allText(one)).toContain(recall.case.number);
    expect(allText(one)).not.toContain(referral.case.number);
    expectNoPhi(one);

    const bad = await run('queue cardiology');
    expect(bad.text).toContain('lane: "cardiology" is not a lane');
    expect(bad.text).toContain('`preventive_recall`');
  });

  it('summarises a long queue within one message: "and N more — open App Home"', async () => {
    recordSlack();
    const events = Array.from({ length: 130 }, () => triggerEvent({ patient: PATIENT, trigger: 'monitoring_enrolled' }));
    await t.careBridge.cases.openCases(events);
    const a = await run('queue monitoring');
    expect(a.text).toMatch(/Queue: Monitoring engagement \(RPM \/ CCM\): \d+ cases/);
    const total = Number(/: (\d+) cases/.exec(a.text)![1]);
    expect(total).toBeGreaterThanOrEqual(130);
    expect(allText(a)).toContain(`and ${total - 40} more — open App Home`);
    expectMessageWithinLimits(a);
    expectNoPhi(a);
  });

  it('`case FU-n` shows that case card to the user alone, and says when it does not exist', async () => {
    recordSlack();
    const opened = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT }));
    const a = await run(`case ${opened.case.number.toLowerCase()}`);
    expect(a.response_type).toBe('ephemeral');
    expect(allText(a)).toContain(opened.case.number);
    expect(JSON.stringify(a.blocks)).toContain('case_claim');
    expectNoPhi(a);
    expectMessageWithinLimits(a);

    expect((await run('case FU-99999')).text).toBe('FU-99999 does not exist.');
    expect((await run('case 12abc')).text).toContain('case number: "12abc" is not a case number');
  });

  it('`away` records the period and bad dates are named by argument', async () => {
    recordSlack();
    const ok = await run('away 2026-11-30 2026-12-04');
    expect(ok.text).toBe("You are away from Mon Nov 30 to Fri Dec 4. Your reminders and alerts go to each case's backup for that period.");
    expect(await t.careBridge.stores.away.awayOn([USERS.coordinator], '2026-12-02')).toEqual(new Set([USERS.coordinator]));

    expect((await run('away tomorrow 2026-12-04')).text).toContain('from: "tomorrow" is not a date (YYYY-MM-DD)');
    expect((await run('away 2026-12-01 2026-02-30')).text).toContain('to: "2026-02-30" is not a date (YYYY-MM-DD)');
    expect((await run('away 2026-12-01')).text).toContain('away needs a first and a last day');
    expect((await run('away 2026-12-04 2026-12-01')).text).toContain('to (last day): must be on or after the first day');
    expect((await run('away 2026-11-01 2026-11-02')).text).toContain('to (last day): must not be in the past');
    // Nothing was recorded by the refused ones.
    expect(await t.careBridge.stores.away.awayOn([USERS.coordinator], '2026-11-02')).toEqual(new Set());
    // A provider may not set an away period (SPEC §1).
    expect((await run('away 2026-12-01 2026-12-02', USERS.provider)).text).toBe('You are not allowed to set an away period.');
  });

  it('`report` is for managers; a bad or future week is named', async () => {
    recordSlack();
    expect((await run('report', USERS.coordinator)).text).toBe('Only managers can read the weekly metrics.');
    expect((await run('report 2026-W60', USERS.manager)).text).toContain('week: "2026-W60" is not an ISO week');
    expect((await run('report 2026-W49', USERS.manager)).text).toBe('week: 2026-W49 has not started yet; the latest complete week is 2026-W47.');
  });

  it('`report [week]` answers a manager with the weekly metrics, last week by default, through the response URL', async () => {
    recordSlack();
    const responses: Record<string, unknown>[] = [];
    nock('https://hooks.slack.com')
      .persist()
      .post('/commands/T0TEAM001/1/xxxx', (body) => {
        responses.push(body as Record<string, unknown>);
        return true;
      })
      .reply(200, 'ok');
    // A case closed last week, so the report has something to count.
    const opened = await t.careBridge.cases.openCase(triggerEvent({ patient: PATIENT, occurredAt: new Date('2026-11-16T09:00:00-05:00') }));
    const manager = { userId: USERS.manager, roles: new Set(['manager'] as const) };
    t.clock.set('2026-11-18T10:00:00-05:00');
    expect((await t.careBridge.cases.close(opened.case.id, manager, { outcome: 'not_needed', reason: 'Duplicate referral' })).ok).toBe(true);
    t.clock.set('2026-11-25T10:00:00-05:00');

    const ack = await run('report', USERS.manager);
    expect(ack).toMatchObject({ response_type: 'ephemeral', text: 'Preparing the weekly report for 2026-W47…' });
    await expect.poll(() => responses.length).toBe(1);
    const report = responses[0] as { response_type: string; text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(report.response_type).toBe('ephemeral');
    expect(report.blocks[0]!.text!.text).toBe('Weekly follow-up report · 2026-W47');
    expect(JSON.stringify(report)).toContain('compared with 2026-W46');
    expectMessageWithinLimits(report);
    expectNoPhi(report);
    expect(JSON.stringify(report)).not.toContain('Duplicate referral');

    expect((await run('report 2026-w48', USERS.manager)).text).toBe('Preparing the weekly report for 2026-W48 (this week is not over: figures so far)…');
    await expect.poll(() => responses.length).toBe(2);
    expect((responses[1] as { blocks: { text?: { text: string } }[] }).blocks[0]!.text!.text).toBe('Weekly follow-up report · 2026-W48');
  });

  it('says CareBridge could not answer when the database fails, instead of leaving Slack\'s bare error', async () => {
    recordSlack();
    const spy = vi.spyOn(t.careBridge.stores.cases, 'listCases').mockRejectedValueOnce(new Error('connection lost'));
    try {
      const a = await run('mine');
      expect(a).toMatchObject({ response_type: 'ephemeral', text: 'CareBridge could not answer just now. Please try again in a minute.' });
    } finally {
      spy.mockRestore();
    }
  });

  it('`new` opens the new-case modal for a coordinator and refuses anyone else', async () => {
    const calls = recordSlack();
    const res = await t.command('new', USERS.coordinator);
    expect(res.status).toBe(200);
    await expect.poll(() => calls.filter((c) => c.method === 'views.open').length).toBe(1);
    const open = calls.find((c) => c.method === 'views.open')!;
    expect(open.body.trigger_id).toMatch(/\.111\.aaaa$/);
    expect((open.body.view as { callback_id: string }).callback_id).toBe('new_case_modal');

    for (const user of [USERS.provider, USERS.stranger]) {
      const refused = await run('new', user);
      expect(refused.response_type).toBe('ephemeral');
      expect(refused.text).toMatch(/Only coordinators and managers can open follow-up cases|CareBridge is for/);
    }
    expect(calls.filter((c) => c.method === 'views.open')).toHaveLength(1);
  });
});
