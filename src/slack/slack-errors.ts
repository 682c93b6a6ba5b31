/**
 * How a failed Slack call should be treated: retried later, or reported as a setup
 * problem a person must fix (with the fix spelled out).
 */
export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; code: string }
  | { kind: 'transient'; code: string }
  | { kind: 'permanent'; code: string; fix: string };

/** Platform errors that retrying cannot cure, with what to do about each. */
const PERMANENT: Record<string, string> = {
  invalid_auth: 'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page',
  not_authed: 'SLACK_BOT_TOKEN is missing or empty',
  account_inactive: 'the Slack app was uninstalled or its token revoked: reinstall the app and update SLACK_BOT_TOKEN',
  token_revoked: 'the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN',
  missing_scope: 'the bot lacks a scope: reinstall the app from manifest.yml so it has every scope it needs',
  channel_not_found: 'the channel ID is wrong or the channel is private and the bot is not in it: check the channel ID and invite the bot (/invite @CareBridge)',
  not_in_channel: 'the bot is not a member of the channel: invite it there (/invite @CareBridge)',
  is_archived: 'the channel is archived: unarchive it or set another channel ID',
  invalid_blocks: 'CareBridge built a message Slack rejected; please report this with the log line',
  msg_too_long: 'CareBridge built a message Slack rejected as too long; please report this with the log line',
  user_not_found: 'a Slack user ID in the settings or on a case does not exist in this workspace',
  cannot_dm_bot: 'a bot user was named where a person was expected',
  message_not_found: 'the message to update was deleted in Slack',
};

/** Classifies an error thrown by @slack/web-api. */
export function classifySlackError(error: unknown): SlackFailure {
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return { kind: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter ?? 30) * 1000, code: 'ratelimited' };
  }
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown_error';
    if (code === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: 30_000, code };
    const fix = PERMANENT[code];
    return fix ? { kind: 'permanent', code, fix } : { kind: 'transient', code };
  }
  if (e.code === 'slack_webapi_http_error') return { kind: 'transient', code: `http_${e.statusCode ?? 'error'}` };
  // Network failures, timeouts, DNS errors: Slack may be unreachable for a while.
  return { kind: 'transient', code: e.code ?? (error instanceof Error ? error.name : 'unknown_error') };
}

/** Message of a permanent failure, for logs and /healthz (never contains patient data). */
export function describeFailure(f: SlackFailure, where: string): string {
  return f.kind === 'permanent' ? `${where}: Slack said ${f.code}: ${f.fix}` : `${where}: Slack ${f.kind === 'rate_limited' ? 'rate-limited the call' : `failed (${f.code})`}; will retry`;
}
