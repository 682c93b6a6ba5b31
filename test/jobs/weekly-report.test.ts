import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/types';
import { runJob } from '../../src/jobs/job-runner';
import { weeklyReport } from '../../src/jobs/weekly-report';
import { note, triggerEvent } from '../support/services';
import { CHANNELS, USERS, recordSlack, startTestApp, type SlackCall, type TestApp } from '../support/slack';
import { messageProblems } from '../support/block-limits';
import { ENGINES } from '../support/test-db';

const UPLOAD_HOST = 'https://files.slack.test';
const coordinator: Actor = { userId: USERS.coordinator, roles: new Set(['coordinator']) };

/** Slack's answers for the upload steps (the rest: recordSlack's ok). `failCompleteOnce` makes the last step fail once. */
function slackWithUploads(options: { failCompleteOnce?: boolean; sharedBeforeFailing?: string } = {}): { calls: SlackCall[]; uploads: number[] } {
  const uploads: number[] = [];
  let failed = false;
  nock(UPLOAD_HOST)
    .persist()
    .post(/^\/upload\/v1\/F0CHART\d+$/)
    .reply(200, function (_uri, body) {
      uploads.push(Buffer.byteLength(typeof body === 'string' ? Buffer.from(body, 'hex') : JSON.stringify(body)));
      return 'OK - 1';
    });
  let n = 0;
  const calls = recordSlack((call) => {
    if (call.method === 'conversations.history') {
      // The shared file's message, when Slack shared it before its answer was lost.
      const messages = options.sharedBeforeFailing && failed ? [{ ts: '1800000000.000900', files: [{ id: 'F0CHART1', name: options.sharedBeforeFailing }] }] : [];
      return { body: { ok: true, messages, has_more: false } };
    }
    if (call.method === 'files.getUploadURLExternal') {
      n += 1;
      return { body: { ok: true, upload_url: `${UPLOAD_HOST}/upload/v1/F0CHART${n}`, file_id: `F0CHART${n}` } };
    }
    if (call.method === 'files.completeUploadExternal') {
      if (options.failCompleteOnce && !failed) {
        failed = true;
        return { status: 500, body: { ok: false } };
      }
      const [file] = call.body.files as { id: string; title: string }[];
      return { body: { ok: true, files: [{ id: file!.id, title: file!.title }] } };
    }
    return undefined;
  });
  return { calls, uploads };
}

describe.each(ENGINES)('weekly report on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    // Last week (2026-W47): a few cases opened, worked and closed.
    t = await startTestApp(engine, { at: '2026-11-16T09:00:00-05:00' });
    recordSlack();
    const { cases } = t.careBridge;
    for (let i = 0; i < 3; i++) {
      const c = (await cases.openCase(triggerEvent({ occurredAt: new Date('2026-11-16T09:00:00-05:00') }))).case;
      await cases.claim(c.id, coordinator);
      t.clock.set(`2026-11-1${7 + i}T10:00:00-05:00`);
      await cases.addNote(c.id, coordinator, note({ targetDate: '2026-11-24', contact: { channel: 'phone', result: i === 2 ? 'no_answer' : 'reached' } }));
      if (i < 2) await cases.close(c.id, coordinator, { outcome: 'completed', reason: 'Appointment booked', loopClosed: i === 0 });
    }
    await t.deliver();
    nock.cleanAll();
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await t.close();
    nock.enableNetConnect();
  });

  it('posts last week\'s report, then uploads the chart to the managers channel: getUploadURLExternal → upload → completeUploadExternal', async () => {
    const { calls, uploads } = slackWithUploads();
    t.clock.set('2026-11-23T08:00:00-05:00');
    expect(await runJob(weeklyReport, t.careBridge)).toMatchObject({ status: 'done', period: '2026-W47' });
    expect(await t.deliver()).toBe(1);
    expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    const [post, url, complete] = calls;
    expect(post!.body.channel).toBe(CHANNELS.managers);
    expect(String(post!.body.text)).toMatch(/^Weekly follow-up report 2026-W47: first response/);
    expect(messageProblems({ text: String(post!.body.text), blocks: post!.body.blocks as unknown[] })).toEqual([]);
    expect(JSON.stringify(post!.body.blocks)).toContain('compared with 2026-W46');
    expect(url!.body).toMatchObject({ filename: 'carebridge-weekly-2026-W47.png' });
    expect(Number(url!.body.length)).toBeGreaterThan(10_000);
    expect(uploads).toHaveLength(1);
    expect(complete!.body).toMatchObject({ channel_id: CHANNELS.managers, files: [{ id: 'F0CHART1', title: 'Follow-up trend, 8 weeks to 2026-W47' }] });
    expect(String(complete!.body.initial_comment)).toContain('2026-W47');
    // Again for the same week: nothing.
    t.clock.set('2026-11-24T08:00:00-05:00');
    expect((await runJob(weeklyReport, t.careBridge)).status).toBe('already_ran');
    expect(await t.deliver()).toBe(0);
  });

  it('a failed upload is retried without posting the report twice', async () => {
    const { calls, uploads } = slackWithUploads({ failCompleteOnce: true });
    t.clock.set('2026-11-30T08:00:00-05:00');
    expect(await runJob(weeklyReport, t.careBridge)).toMatchObject({ status: 'done', period: '2026-W48' });
    expect(await t.deliver()).toBe(0);
    t.clock.advance(60_000);
    expect(await t.deliver()).toBe(1);
    expect(calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
      'conversations.history',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(uploads).toHaveLength(2);
  });

  it('an upload Slack shared before its answer was lost is found in the channel, not uploaded again', async () => {
    const { calls, uploads } = slackWithUploads({ failCompleteOnce: true, sharedBeforeFailing: 'carebridge-weekly-2026-W49.png' });
    t.clock.set('2026-12-07T08:00:00-05:00');
    expect(await runJob(weeklyReport, t.careBridge)).toMatchObject({ status: 'done', period: '2026-W49' });
    expect(await t.deliver()).toBe(0);
    t.clock.advance(60_000);
    expect(await t.deliver()).toBe(1);
    expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal', 'conversations.history']);
    expect(uploads).toHaveLength(1);
    expect(await t.careBridge.stores.slackMessages.get('weekly_chart', '2026-W49')).toEqual({ channel: expect.any(String), ts: '1800000000.000900' });
  });
});
