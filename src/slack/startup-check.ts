import type { WebClient } from '@slack/web-api';
import { classifySlackError, type SlackFailure } from './slack-errors';

export interface ChannelSetting {
  setting: string;
  channel: string;
}

export type StartupCheck =
  | { ok: true; botUserId: string; botId: string }
  | { ok: false; fatal: true; problems: string[] }
  | { ok: false; fatal: false; failure: SlackFailure };

/**
 * Checks, before serving anyone, that the token works and the bot can post in each
 * channel. Setup mistakes are fatal with the fix spelled out; Slack being down is not.
 */
export async function checkSlackSetup(client: WebClient, channels: ChannelSetting[]): Promise<StartupCheck> {
  let auth: { user_id?: string; bot_id?: string };
  try {
    auth = await client.auth.test();
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind === 'permanent') return { ok: false, fatal: true, problems: [`SLACK_BOT_TOKEN: Slack said ${failure.code}: ${failure.fix}`] };
    return { ok: false, fatal: false, failure };
  }
  const problems: string[] = [];
  for (const { setting, channel } of channels) {
    try {
      const info = await client.conversations.info({ channel });
      const c = info.channel as { is_member?: boolean; is_archived?: boolean; name?: string } | undefined;
      if (c?.is_archived) problems.push(`${setting}: channel ${channel} is archived; unarchive it or set another channel ID`);
      else if (!c?.is_member) problems.push(`${setting}: the bot is not a member of ${c?.name ? `#${c.name}` : channel}; invite it there with /invite @CareBridge`);
    } catch (error) {
      const failure = classifySlackError(error);
      if (failure.kind !== 'permanent') return { ok: false, fatal: false, failure };
      problems.push(
        failure.code === 'channel_not_found'
          ? `${setting}: channel ${channel} was not found; check the ID (channel "About" panel) and, for a private channel, invite the bot with /invite @CareBridge`
          : `${setting}: Slack said ${failure.code}: ${failure.fix}`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, fatal: true, problems };
  return { ok: true, botUserId: auth.user_id ?? '', botId: auth.bot_id ?? '' };
}
