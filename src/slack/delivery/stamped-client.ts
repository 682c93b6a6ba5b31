/**
 * Each Slack message once, even when Slack's answer is lost. Every message the outbox
 * posts carries Slack message metadata naming its outbox row (and which of the
 * delivery's posts it is: `part`). When an earlier attempt of the same row may have
 * landed (a timeout, a network error, a 5xx, a crashed instance whose lease ran out),
 * the conversation's recent history is searched for that stamp first, and a message
 * found there is taken as the post instead of posting again. The stamp names no patient.
 */
import type { ChatPostMessageArguments, ChatPostMessageResponse, WebClient } from '@slack/web-api';
import type { OutboxItem } from '../../services/ports';

export const STAMP_EVENT_TYPE = 'carebridge_outbox';
/** How far before the row was written the search starts (clocks differ a little). */
const SEARCH_MARGIN_MS = 5 * 60_000;
/** History pages searched at most (200 messages each). */
const SEARCH_PAGES = 3;

interface Stamp {
  outbox_id: number;
  part: number;
}

/**
 * The client a deliverer uses for one outbox item: `chat.postMessage` stamps the message
 * and, when `item.uncertain`, first looks for the stamped message from an earlier attempt.
 */
export function stampedClient(client: WebClient, item: OutboxItem): WebClient {
  let part = 0;
  const postMessage = async (args: ChatPostMessageArguments): Promise<ChatPostMessageResponse> => {
    const stamp: Stamp = { outbox_id: item.id, part: part++ };
    if (item.uncertain) {
      const landed = await findStamped(client, args.channel, stamp, item.createdAt);
      if (landed) return landed;
    }
    return client.chat.postMessage({ ...args, metadata: { event_type: STAMP_EVENT_TYPE, event_payload: { ...stamp } } } as ChatPostMessageArguments);
  };
  const chat = new Proxy(client.chat, { get: (target, property) => (property === 'postMessage' ? postMessage : Reflect.get(target, property)) });
  return new Proxy(client, { get: (target, property) => (property === 'chat' ? chat : Reflect.get(target, property)) });
}

/** The stamped message in the conversation's history since the row was written, answered as a post would be. */
async function findStamped(client: WebClient, channel: string, stamp: Stamp, since: Date): Promise<ChatPostMessageResponse | null> {
  return findInHistory(client, channel, since, (message) => {
    const metadata = (message as { metadata?: { event_type?: string; event_payload?: Partial<Stamp> } }).metadata;
    return metadata?.event_type === STAMP_EVENT_TYPE && metadata.event_payload?.outbox_id === stamp.outbox_id && (metadata.event_payload.part ?? 0) === stamp.part;
  });
}

type HistoryMessage = NonNullable<Awaited<ReturnType<WebClient['conversations']['history']>>['messages']>[number];

/**
 * The first message of a conversation's recent history (since a few minutes before
 * `since`) that `matches`, answered as a post would be; null when none does. Also finds
 * a file CareBridge shared (its message carries the file's name).
 */
export async function findInHistory(client: WebClient, channel: string, since: Date, matches: (message: HistoryMessage) => boolean): Promise<ChatPostMessageResponse | null> {
  // A DM is posted to a user id; its history is read from the conversation with that user.
  const conversation = /^[UW]/.test(channel) ? ((await client.conversations.open({ users: channel })).channel?.id ?? channel) : channel;
  let cursor: string | undefined;
  for (let page = 0; page < SEARCH_PAGES; page++) {
    const history = await client.conversations.history({
      channel: conversation,
      oldest: String((since.getTime() - SEARCH_MARGIN_MS) / 1000),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const message of history.messages ?? []) {
      if (matches(message)) return { ok: true, channel: conversation, ts: message.ts, message } as ChatPostMessageResponse;
    }
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}
