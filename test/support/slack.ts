import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { FixedClock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { silentLogger, type Logger } from '../../src/logger';
import { createCareBridge, type CareBridge } from '../../src/main';
import type { Engine } from '../../src/store/db';
import { BOT_USER_ID, CHANNELS, SIGNING_SECRET, USERS, eventEnvelope, slackSignature, slashCommandBody } from './slack-payloads';
import { createTestDatabase, type TestDatabase } from './test-db';

export {
  BOT_USER_ID,
  CHANNELS,
  SIGNING_SECRET,
  USERS,
  blockActionPayload,
  eventEnvelope,
  messageShortcutPayload,
  slackSignature,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-payloads';

export const SLACK_API = 'http://slack.test';

/** Settings of a test practice; override any of them. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${SLACK_API}/api/`,
    SLACK_COORDINATORS_CHANNEL: CHANNELS.coordinators,
    SLACK_PROVIDERS_CHANNEL: CHANNELS.providers,
    SLACK_MANAGERS_CHANNEL: CHANNELS.managers,
    COORDINATORS: `${USERS.coordinator},${USERS.coordinator2}`,
    PROVIDERS: USERS.provider,
    MANAGERS: USERS.manager,
    DATABASE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export interface SendOptions {
  /** Seconds since the epoch; Slack's own clock. Defaults to the real now (Bolt checks it against the wall clock). */
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  careBridge: CareBridge;
  clock: FixedClock;
  db: TestDatabase;
  port: number;
  server: Server;
  /** Posts a raw body to /slack/events, signed. */
  send(rawBody: string, contentType: string, options?: SendOptions): Promise<Response>;
  command(text: string, userId: string, options?: SendOptions): Promise<Response>;
  interaction(payload: object, options?: SendOptions): Promise<Response>;
  event(event: object, options?: SendOptions & { eventId?: string }): Promise<Response>;
  /** Delivers everything in the outbox now. */
  deliver(): Promise<number>;
  close(): Promise<void>;
}

/** A whole CareBridge on a test database, serving Slack's endpoint on a free port. */
export async function startTestApp(engine: Engine, options: { at?: string; config?: Record<string, string>; logger?: Logger } = {}): Promise<TestApp> {
  const db = await createTestDatabase(engine);
  const clock = new FixedClock(options.at ?? '2026-11-25T10:00:00-05:00');
  const config = testConfig(options.config);
  const careBridge = await createCareBridge(config, { clock, logger: options.logger ?? silentLogger, db, botUserId: BOT_USER_ID, botId: 'B0BOT0001' });
  const server = await careBridge.slack.listen(0);
  const port = (server.address() as AddressInfo).port;

  const send: TestApp['send'] = (rawBody, contentType, o = {}) => {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(rawBody, timestamp, o.secret),
        ...o.headers,
      },
      body: rawBody,
    });
  };

  return {
    careBridge,
    clock,
    db,
    port,
    server,
    send,
    command: (text, userId, o) => send(new URLSearchParams(slashCommandBody(text, userId)).toString(), 'application/x-www-form-urlencoded', o),
    interaction: (payload, o) => send(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', o),
    event: (event, o = {}) => send(JSON.stringify(eventEnvelope(event, o.eventId)), 'application/json', o),
    deliver: () => careBridge.dispatcher.kick(),
    close: async () => {
      await careBridge.dispatcher.stop();
      await careBridge.slack.stop();
      await db.destroy();
    },
  };
}

/** One Web API call CareBridge made. */
export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

/**
 * Intercepts every Web API call to the test Slack, records it (method and parsed
 * body, with JSON fields such as blocks decoded) and answers with `respond`
 * (default: ok with a fresh ts). Call `nock.cleanAll()` after each test.
 */
export function recordSlack(respond?: (call: SlackCall) => { status?: number; body: object; headers?: Record<string, string> } | undefined): SlackCall[] {
  const calls: SlackCall[] = [];
  let ts = 1_700_000_000;
  nock(SLACK_API)
    .persist()
    .post(/^\/api\/.+/)
    .reply(function (uri, requestBody) {
      const method = uri.replace(/^\/api\//, '');
      const call = { method, body: parseBody(requestBody, this.req.headers['content-type'] as string | undefined) };
      calls.push(call);
      const custom = respond?.(call);
      if (custom) return [custom.status ?? 200, custom.body, custom.headers ?? {}];
      ts += 1;
      const channel = (call.body.channel as string | undefined) ?? 'D0DM00001';
      return [200, { ok: true, ts: `${ts}.000100`, channel, view: { id: 'V0VIEW001', hash: 'h' }, user_id: BOT_USER_ID, bot_id: 'B0BOT0001', users: [] }];
    });
  return calls;
}

function parseBody(body: unknown, contentType: string | undefined): Record<string, unknown> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const fields: Record<string, unknown> = contentType?.includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && /^[[{]/.test(value)) {
      try {
        fields[key] = JSON.parse(value);
      } catch {
        // plain text that happens to start with a bracket
      }
    }
  }
  return fields;
}
