/**
 * A simulated week at the practice: the clock moves in 5-minute steps over each day's
 * business hours, the jobs run whenever their schedule matches (as node-cron would fire
 * them), things happen to a handful of cases, and everything is delivered through Bolt's
 * client to a recorded Slack. The week must produce exactly the digests, weekly report,
 * alerts, escalations and re-raises the policy promises: no more, no fewer.
 */
import cron from 'node-cron';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/types';
import { JOB_NAMES, runJob } from '../../src/jobs/job-runner';
import { JOBS, scheduleOf } from '../../src/jobs/jobs';
import { phiLeaks } from '../support/phi-scan';
import { note, triggerEvent } from '../support/services';
import { CHANNELS, USERS, recordSlack, type SlackCall, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';
import { everyMinutes } from './job-world';

const C1 = USERS.coordinator;
const C2 = USERS.coordinator2;
const as = (userId: string, role: 'coordinator' | 'provider' | 'manager'): Actor => ({ userId, roles: new Set([role]) });
const PATIENT = { mrn: 'MRN00077123', name: 'Philippa Quaintance', phone: '555-010-7777', dob: '1944-04-04' };
const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'];
const local = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00-05:00`).toISOString();

describe.each(ENGINES)('a simulated week on %s', (engine) => {
  let t: TestApp;
  const seen: (SlackCall & { at: string })[] = [];

  withTestApp(engine, { at: local(DAYS[0]!, '07:00') }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  it('produces exactly the digests, report, alerts, escalations and re-raises the policy promises', async () => {
    nock('https://files.slack.test').persist().post('/upload/v1/F0CHART').reply(200, 'OK');
    const calls = recordSlack((call) =>
      call.method === 'files.getUploadURLExternal' ? { body: { ok: true, upload_url: 'https://files.slack.test/upload/v1/F0CHART', file_id: 'F0CHART' } } : undefined,
    );
    const cases: Record<string, Case> = {};
    const { cases: service, stores, policy } = t.careBridge;
    const open = async (key: string, at: string, overrides: Parameters<typeof triggerEvent>[0]) => {
      cases[key] = (await service.openCase(triggerEvent({ ...overrides, occurredAt: new Date(at), patient: PATIENT }))).case;
    };
    const claim = async (key: string, owner: string, backup: string | null = null) => {
      expect((await service.claim(cases[key]!.id, as(owner, 'coordinator'), backup)).ok).toBe(true);
    };
    const noteOn = async (key: string, by: string, input: Parameters<typeof note>[0]) => {
      expect((await service.addNote(cases[key]!.id, as(by, 'coordinator'), note(input))).ok).toBe(true);
    };
    const noAnswer = { contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached', status: 'waiting_on_patient', targetDate: '2026-12-04' } as const;
    // What happens during the week, at practice times.
    const happenings: Record<string, () => Promise<void>> = {
      [local(DAYS[0]!, '09:00')]: async () => {
        await open('A', local(DAYS[0]!, '09:00'), { trigger: 'hospital_discharge' }); // urgent: first response due 13:00
        await stores.away.add(C2, '2026-12-03', '2026-12-04', t.clock.now());
      },
      [local(DAYS[0]!, '09:30')]: () => claim('A', C1),
      [local(DAYS[0]!, '10:00')]: () => open('B', local(DAYS[0]!, '10:00'), { trigger: 'new_referral' }), // never claimed: due Tue 10:00
      [local(DAYS[0]!, '11:00')]: () => open('C', local(DAYS[0]!, '11:00'), { trigger: 'new_referral' }),
      [local(DAYS[0]!, '11:05')]: () => claim('C', C2, C1),
      [local(DAYS[0]!, '14:00')]: () => noteOn('C', C2, { targetDate: '2026-12-02' }), // reached; next step due Wed
      [local(DAYS[1]!, '09:00')]: () => open('D', local(DAYS[1]!, '09:00'), { trigger: 'new_referral', priority: 'urgent' }), // to be scheduled by Thu 09:00
      [local(DAYS[1]!, '09:10')]: () => claim('D', C1),
      [local(DAYS[1]!, '09:30')]: () => noteOn('D', C1, { targetDate: '2026-12-04' }),
      [local(DAYS[2]!, '10:00')]: () => open('E', local(DAYS[2]!, '10:00'), { trigger: 'readings_missed' }),
      [local(DAYS[2]!, '10:05')]: () => claim('E', C1),
      [local(DAYS[2]!, '10:30')]: () => noteOn('E', C1, noAnswer),
      [local(DAYS[2]!, '11:00')]: () => noteOn('E', C1, noAnswer),
      [local(DAYS[2]!, '11:30')]: () => noteOn('E', C1, noAnswer),
      [local(DAYS[3]!, '09:30')]: async () => {
        const [e] = await stores.cases.listEscalations(cases.D!.id);
        expect((await service.acknowledge(e!.id, as(USERS.provider, 'provider'), 'Book with the on-call cardiologist today')).ok).toBe(true);
      },
    };
    const matchers = JOB_NAMES.map((name) => ({ name, task: cron.createTask(scheduleOf(policy, name), () => undefined, { timezone: policy.calendar.timeZone }) }));
    try {
      for (const day of DAYS) {
        for (const at of everyMinutes(local(day, '07:00'), local(day, '18:00'))) {
          t.clock.set(at);
          await happenings[at.toISOString()]?.();
          for (const { name, task } of matchers) if (task.match(at)) await runJob(JOBS[name], t.careBridge, at);
          const before = calls.length;
          await t.deliver();
          for (const call of calls.slice(before)) seen.push({ ...call, at: at.toISOString() });
        }
      }
    } finally {
      for (const { task } of matchers) await task.destroy();
    }

    const posts = seen.filter((c) => c.method === 'chat.postMessage');
    const text = (c: SlackCall) => String(c.body.text);
    const when = (c: { at: string }) => c.at;
    const digests = posts.filter((c) => c.body.channel === CHANNELS.coordinators && text(c).startsWith('Daily digest'));
    expect(digests.map(when)).toEqual(DAYS.map((d) => local(d, '08:00')));
    const summaries = posts.filter((c) => c.body.channel === CHANNELS.coordinators && text(c).endsWith('newly overdue: see the list'));
    expect(summaries.map((c) => [when(c), text(c)])).toEqual([
      [local(DAYS[0]!, '13:00'), '1 case newly overdue: see the list'],
      [local(DAYS[1]!, '10:00'), '1 case newly overdue: see the list'],
      [local(DAYS[2]!, '15:30'), '1 case newly overdue: see the list'], // E's re-attempt: 4 business hours after 11:30
      [local(DAYS[3]!, '08:00'), '1 case newly overdue: see the list'],
    ]);
    const dms = posts.filter((c) => String(c.body.channel).startsWith('U') && text(c).endsWith('past due'));
    expect(dms.map((c) => [when(c), c.body.channel, text(c)])).toEqual([
      [local(DAYS[0]!, '13:00'), C1, '1 of your cases is past due'],
      [local(DAYS[2]!, '15:30'), C1, '1 of your cases is past due'],
      [local(DAYS[3]!, '08:00'), C1, '1 of the cases you look after is past due'], // C2 away: C1 covers
    ]);
    // One business hour before each due time nobody has worked, once: A's first response,
    // C's next step (due Wed, the close of business), D's (due Fri); E's had attempts logged toward it.
    const reminders = posts.filter((c) => String(c.body.channel).startsWith('U') && text(c).endsWith('due soon'));
    expect(reminders.map((c) => [when(c), c.body.channel, text(c)])).toEqual([
      [local(DAYS[0]!, '12:00'), C1, '1 of your cases is due soon'],
      [local(DAYS[2]!, '16:00'), C2, '1 of your cases is due soon'],
      [local(DAYS[4]!, '16:00'), C1, '1 of your cases is due soon'],
    ]);
    const escalationPosts = posts.filter((c) => [CHANNELS.managers, CHANNELS.providers].includes(String(c.body.channel)) && !c.body.thread_ts && /Escalation|escalation/.test(text(c)));
    expect(escalationPosts.map((c) => [when(c), c.body.channel, text(c).replace(/FU-\d+/, 'FU-n')])).toEqual([
      [local(DAYS[0]!, '13:00'), CHANNELS.managers, 'Urgent escalation: FU-n · Discharge outreach · Urgent · Response window missed'],
      [local(DAYS[1]!, '10:00'), CHANNELS.managers, 'Escalation: FU-n · Referral follow-up · High · Response window missed'],
      [local(DAYS[2]!, '11:30'), CHANNELS.managers, 'Escalation: FU-n · Monitoring engagement (RPM / CCM) · High · Repeated failed contact'],
      [local(DAYS[3]!, '09:00'), CHANNELS.providers, 'Urgent escalation: FU-n · Referral follow-up · Urgent · Urgent referral delay'],
    ]);
    const reports = posts.filter((c) => c.body.channel === CHANNELS.managers && text(c).startsWith('Weekly follow-up report'));
    expect(reports.map((c) => [when(c), text(c).slice(0, 32)])).toEqual([[local(DAYS[0]!, '08:00'), 'Weekly follow-up report 2026-W48']]);
    const charts = seen.filter((c) => c.method === 'files.completeUploadExternal');
    expect(charts.map((c) => [when(c), c.body.channel_id])).toEqual([[local(DAYS[0]!, '08:00'), CHANNELS.managers]]);
    const reraises = posts.filter((c) => c.body.thread_ts && c.body.reply_broadcast);
    expect(reraises.map((c) => [when(c), c.body.channel])).toEqual([[local(DAYS[0]!, '14:00'), CHANNELS.managers]]);
    expect(text(reraises[0]!)).toContain(cases.A!.number);
    // The unclaimed referral is in every later digest's most-overdue list, with a Claim button.
    expect(JSON.stringify(digests[4]!.body.blocks)).toContain(cases.B!.number);
    // Nothing the week sent to a channel names the patient.
    expect(phiLeaks(seen, [PATIENT])).toEqual([]);
    // Everything queued was delivered; nothing was given up on.
    expect(await stores.outbox.failures()).toEqual([]);
    expect(await stores.outbox.pendingCount()).toBe(0);
    const automatic = await t.careBridge.db.knex('escalations').where({ raised_by: 'carebridge' }).count<{ n: number }[]>('* as n');
    expect(Number(automatic[0]!.n)).toBe(4);
  }, 120_000);
});
