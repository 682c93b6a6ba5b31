/**
 * Slack's side of a conversation with CareBridge, without any test framework: the
 * test practice's ids, request signing and payloads shaped like Slack's. Shared by
 * the tests (through support/slack.ts) and the benchmark, which must not load
 * vitest or nock.
 */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
export const CHANNELS = { coordinators: 'C0COORD01', providers: 'C0PROV001', managers: 'C0MGRS001' };
export const USERS = { coordinator: 'U0COORD01', coordinator2: 'U0COORD02', provider: 'U0PROV001', manager: 'U0MGR0001', stranger: 'U0OTHER01' };
export const BOT_USER_ID = 'U0BOT0001';

/** Signs a request body exactly as Slack does: v0 HMAC-SHA256 over `v0:<timestamp>:<raw body>`. */
export function slackSignature(rawBody: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
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

/** view.state.values entries as Slack sends them, keyed by block id (CareBridge uses it as action id too). */
export const form = {
  select: (value: string | null) => ({ type: 'static_select', selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value } }),
  radio: (value: string | null) => ({ type: 'radio_buttons', selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value } }),
  text: (value: string | null) => ({ type: 'plain_text_input', value }),
  date: (value: string | null) => ({ type: 'datepicker', selected_date: value }),
  user: (value: string | null) => ({ type: 'users_select', selected_user: value }),
  checks: (values: string[]) => ({ type: 'checkboxes', selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value }, value })) }),
};

/** Builds `state.values` from `{ blockId: entry }`. */
export function stateValues(entries: Record<string, object>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(entries).map(([blockId, entry]) => [blockId, { [blockId]: entry }]));
}
