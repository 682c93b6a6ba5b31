import cron from 'node-cron';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock';
import { silentLogger } from '../../src/logger';
import { startCareBridge } from '../../src/main';
import { CHANNELS, SLACK_API, recordSlack, testConfig } from '../support/slack';
import { waitForCall } from '../support/slack-forms';

const ourTasks = () => [...cron.getTasks().values()].map((t) => t.name).filter((n) => n?.startsWith('carebridge-')).sort();

describe('carebridge start runs the scheduler', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('catches up on Monday\'s missed digest and report at start-up, schedules the jobs, and stops them on stop', { timeout: 60_000 }, async () => {
    nock(SLACK_API).persist().post('/api/auth.test').reply(200, { ok: true, user_id: 'U0BOT0001', bot_id: 'B0BOT0001' });
    nock(SLACK_API).persist().post('/api/conversations.info').reply(200, (_uri, body) => ({ ok: true, channel: { id: new URLSearchParams(String(body)).get('channel'), name: 'x', is_member: true } }));
    nock('https://files.slack.test').persist().post('/upload/v1/F0CHART').reply(200, 'OK');
    const calls = recordSlack((call) =>
      call.method === 'files.getUploadURLExternal' ? { body: { ok: true, upload_url: 'https://files.slack.test/upload/v1/F0CHART', file_id: 'F0CHART' } } : undefined,
    );
    // Down since before 08:00 on Monday; back at 10:30.
    const running = await startCareBridge(testConfig(), { clock: new FixedClock('2026-11-23T10:30:00-05:00'), logger: silentLogger, port: 0 });
    try {
      expect(ourTasks()).toEqual(['carebridge-daily-digest', 'carebridge-sla-sweep', 'carebridge-weekly-report']);
      const digest = await waitForCall(calls, (c) => c.method === 'chat.postMessage' && String(c.body.text).startsWith('Daily digest Mon Nov 23'), 'the missed digest');
      expect(digest.body.channel).toBe(CHANNELS.coordinators);
      await waitForCall(calls, (c) => c.method === 'chat.postMessage' && String(c.body.text).startsWith('Weekly follow-up report 2026-W47'), 'the missed report');
      // The chart's worker thread starts cold (it loads the renderer first): allow it longer on a busy machine.
      await waitForCall(calls, (c) => c.method === 'files.completeUploadExternal', 'the chart', 30_000);
      expect(await running.careBridge.stores.jobRuns.get('sla-sweep', '2026-11-23T15:30Z')).not.toBeNull();
    } finally {
      await running.stop();
    }
    expect(ourTasks()).toEqual([]);
  });
});
