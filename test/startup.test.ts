import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { silentLogger } from '../src/logger';
import { startCareBridge } from '../src/main';
import { CHANNELS, SLACK_API, testConfig } from './support/slack';

function slackAnswers(channelInfo: (channel: string) => object, auth: object = { ok: true, user_id: 'U0BOT0001', bot_id: 'B0BOT0001' }) {
  nock(SLACK_API).persist().post('/api/auth.test').reply(200, auth);
  nock(SLACK_API)
    .persist()
    .post('/api/conversations.info')
    .reply(200, (_uri, body) => channelInfo(new URLSearchParams(String(body)).get('channel') ?? ''));
}

describe('start-up against Slack', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());

  it('stops with the fix when the bot is not in a channel or a channel does not exist', async () => {
    slackAnswers((channel) =>
      channel === CHANNELS.providers
        ? { ok: true, channel: { id: channel, name: 'providers', is_member: false } }
        : channel === CHANNELS.managers
          ? { ok: false, error: 'channel_not_found' }
          : { ok: true, channel: { id: channel, name: 'follow-up', is_member: true } },
    );
    const error = await startCareBridge(testConfig(), { logger: silentLogger, port: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      expect.stringMatching(/^SLACK_PROVIDERS_CHANNEL: the bot is not a member of #providers; invite it there with \/invite/),
      expect.stringMatching(/^SLACK_MANAGERS_CHANNEL: channel C0MGRS001 was not found/),
    ]);
  });

  it('stops with the fix when the token is invalid', async () => {
    slackAnswers(() => ({ ok: true }), { ok: false, error: 'invalid_auth' });
    const error = await startCareBridge(testConfig(), { logger: silentLogger, port: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems[0]).toMatch(/^SLACK_BOT_TOKEN: Slack said invalid_auth: .*OAuth & Permissions/);
  });

  it('starts while Slack fails, keeps intake working and answers 503 on /healthz', async () => {
    nock(SLACK_API).persist().post(/\/api\/.*/).reply(503, 'upstream unavailable');
    const running = await startCareBridge(testConfig({ INTAKE_TOKEN: 'intake-token-0123456789abcdef' }), { logger: silentLogger, port: 0 });
    try {
      const port = (running.server.address() as AddressInfo).port;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'failing', database: { ok: true }, slack: { ok: false, state: 'unreachable' } });
      const intake = await fetch(`http://127.0.0.1:${port}/intake/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer intake-token-0123456789abcdef' },
        body: JSON.stringify({ externalId: 'x-1', trigger: 'recall_due', occurredAt: new Date().toISOString(), patient: { mrn: 'M1', name: 'Pat Doe' } }),
      });
      expect(intake.status).toBe(201);
    } finally {
      await running.stop();
    }
  });
});
