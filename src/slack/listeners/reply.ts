import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/kit';

/** Where a user acted: a channel (card, post, ephemeral card) or a view (App Home, a modal). */
export interface Where {
  userId: string;
  channelId?: string | null;
}

/**
 * Tells one user something only they should see: an ephemeral message in the channel
 * where they acted, or a DM when they acted outside a channel (App Home).
 */
export async function replyPrivately(client: WebClient, where: Where, message: SlackMessage | string): Promise<void> {
  const m = typeof message === 'string' ? { text: message, blocks: undefined } : message;
  if (where.channelId) {
    await client.chat.postEphemeral({ channel: where.channelId, user: where.userId, text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) });
  } else {
    await client.chat.postMessage({ channel: where.userId, text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) });
  }
}
