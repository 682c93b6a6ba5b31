import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { FixedClock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { createCareBridge, type CareBridge } from '../../src/main';
import type { Engine } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from './test-db';

export const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
export const SLACK_API = 'http://slack.test';
export const CHANNELS = { coordinators: 'C0COORD01', providers: 'C0PROV001', managers: 'C0MGRS001' };
export const USERS = { coordinator: 'U0COORD01', coordinator2: 'U0COORD02', provider: 'U0PROV001', manager: 'U0MGR0001', stranger: 'U0OTHER01' };
export const BOT_USER_ID = 'U0BOT0001';

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

/** Signs a request body exactly as Slack does: v0 HMAC-SHA256 over `v0:<timestamp>:<raw body>`. */
export function slackSignature(rawBody: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
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
export async function startTestApp(engine: Engine, options: { at?: string; config?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await createTestDatabase(engine);
  const clock = new FixedClock(options.at ?? '2026-11-25T10:00:00-05:00');
  const config = testConfig(options.config);
  const careBridge = await createCareBridge(config, { clock, logger: silentLogger, db, botUserId: BOT_USER_ID, botId: 'B0BOT0001' });
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

let triggerSeq = 0;
const nextTrigger = () => `${++triggerSeq}.111.aaaa`;

/** A slash command body, shaped like Slack's (reference: slash_command.form-urlencoded.txt). */
export function slashCommandBody(text: string, userId: string): Record<string, string> {
  return {
    token: 'verification_token',
    team_id: 'T0TEAM001',
    team_domain: 'practice',
    channel_id: CHANNELS.coordinators,
    channel_name: 'follow-up',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/followup',
    text,
    api_app_id: 'A0APP0001',
    response_url: 'https://hooks.slack.com/commands/T0TEAM001/1/xxxx',
    trigger_id: nextTrigger(),
  };
}

const team = { id: 'T0TEAM001', domain: 'practice' };
const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: team.id });

/** A block_actions payload for a button pressed on a message (reference: block_actions.json). */
export function blockActionPayload(input: { userId: string; actionId: string; value?: string; blockId?: string; channel?: string; messageTs?: string; view?: object }): object {
  const container = input.view
    ? { type: 'view', view_id: (input.view as { id?: string }).id ?? 'V0HOME001' }
    : { type: 'message', message_ts: input.messageTs ?? '1700000000.000100', channel_id: input.channel ?? CHANNELS.coordinators, is_ephemeral: false };
  return {
    type: 'block_actions',
    user: user(input.userId),
    api_app_id: 'A0APP0001',
    token: 'verification_token',
    container,
    trigger_id: nextTrigger(),
    team,
    ...(input.view ? { view: input.view } : { channel: { id: input.channel ?? CHANNELS.coordinators, name: 'follow-up' }, message: { ts: input.messageTs ?? '1700000000.000100', type: 'message', text: '' } }),
    response_url: 'https://hooks.slack.com/actions/T0TEAM001/1/xxxx',
    actions: [
      { action_id: input.actionId, block_id: input.blockId ?? 'actions', type: 'button', value: input.value ?? '', text: { type: 'plain_text', text: 'Button' }, action_ts: '1700000001.000200' },
    ],
  };
}

/** A view_submission payload (reference: view_submission.json); `values` is view.state.values. */
export function viewSubmissionPayload(input: { userId: string; callbackId: string; values: Record<string, Record<string, unknown>>; privateMetadata?: string; viewId?: string }): object {
  return {
    type: 'view_submission',
    team,
    user: user(input.userId),
    api_app_id: 'A0APP0001',
    token: 'verification_token',
    trigger_id: nextTrigger(),
    view: {
      id: input.viewId ?? `V0${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      team_id: team.id,
      type: 'modal',
      blocks: [],
      private_metadata: input.privateMetadata ?? '',
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: '1700000000.abcdefgh',
      title: { type: 'plain_text', text: 'CareBridge' },
      previous_view_id: null,
      root_view_id: input.viewId ?? 'V0ROOT001',
      app_id: 'A0APP0001',
      external_id: '',
      app_installed_team_id: team.id,
      bot_id: 'B0BOT0001',
    },
    response_urls: [],
  };
}

/** A message shortcut payload (reference: shortcut_message.json). */
export function messageShortcutPayload(input: { userId: string; callbackId: string; text: string; channel?: string }): object {
  return {
    type: 'message_action',
    token: 'verification_token',
    action_ts: '1700000002.000300',
    team,
    user: { id: input.userId, name: input.userId.toLowerCase() },
    channel: { id: input.channel ?? CHANNELS.coordinators, name: 'follow-up' },
    callback_id: input.callbackId,
    trigger_id: nextTrigger(),
    message_ts: '1700000000.000300',
    message: { type: 'message', text: input.text, user: USERS.coordinator2, ts: '1700000000.000300', team: team.id },
    response_url: 'https://hooks.slack.com/app/T0TEAM001/1/xxxx',
  };
}

let eventSeq = 0;
/** An Events API envelope (reference: app_home_opened.json). */
export function eventEnvelope(event: object, eventId?: string): object {
  return {
    token: 'verification-token',
    team_id: team.id,
    api_app_id: 'A0APP0001',
    event,
    type: 'event_callback',
    event_id: eventId ?? `Ev0${++eventSeq}`,
    event_time: 1700000000,
    authorizations: [{ team_id: team.id, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
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
