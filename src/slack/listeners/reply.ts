import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/kit';
import { slackErrorCode } from '../delivery/slack-error-code';

/** Where a user acted: a channel (card, post, ephemeral card) or a view (App Home, a modal). */
export interface Where {
  userId: string;
  channelId?: string | null;
}

/** Ephemeral messages need the bot in the conversation; a card shown by `/followup case` may be anywhere. */
const NOT_THERE = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel']);

/**
 * Tells one user something only they should see: an ephemeral message in the channel
 * where they acted, or a DM when they acted outside a channel (App Home) or in a
 * conversation the bot is not part of.
 */
export async function replyPrivately(client: WebClient, where: Where, message: SlackMessage | string): Promise<void> {
  const m = typeof message === 'string' ? { text: message, blocks: undefined } : message;
  const content = { text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) };
  if (where.channelId) {
    try {
      await client.chat.postEphemeral({ channel: where.channelId, user: where.userId, ...content });
      return;
    } catch (error) {
      if (!NOT_THERE.has(slackErrorCode(error) ?? '')) throw error;
    }
  }
  // A user id as channel posts in the app's DM with that user.
  await client.chat.postMessage({ channel: where.userId, ...content });
}
