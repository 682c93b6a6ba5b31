import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isDatabaseFailure } from '../../database-health';
import type { SlackContext } from '../context';
import { replyPrivately } from './reply';

/** What a user is told when CareBridge cannot reach its database; nothing they did was saved. */
export const DATABASE_UNAVAILABLE = "CareBridge can't reach its database right now, so nothing was saved. Please try again in a minute.";

type AnyListener = (args: any) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
const GUARDED = ['action', 'view', 'command', 'shortcut', 'event'] as const;

/**
 * The app as listeners see it: every listener registered through it is guarded, so a
 * failing database answers the user "try again" (a modal's field error, or an ephemeral
 * message) instead of Slack's bare failure, and is reported once per outage. Other errors
 * are Bolt's to handle, as before.
 */
export function databaseGuarded(app: App, ctx: SlackContext): App {
  return new Proxy(app, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || !(GUARDED as readonly PropertyKey[]).includes(property)) return value;
      return (...args: unknown[]) => {
        const last = args.length - 1;
        if (typeof args[last] === 'function') args[last] = guard(ctx, args[last] as AnyListener);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function guard(ctx: SlackContext, listener: AnyListener): AnyListener {
  return async (args) => {
    let acked = false;
    const ack = typeof args.ack === 'function' ? async (response?: unknown) => ((acked = true), args.ack(response)) : undefined;
    try {
      await listener(ack ? { ...args, ack } : args);
    } catch (error) {
      if (!isDatabaseFailure(error)) throw error;
      ctx.databaseHealth?.recordFailure(error, 'slack');
      await tellUnavailable(args, acked, ack).catch((failure: unknown) =>
        ctx.logger.warn({ errorName: (failure as Error)?.name }, 'could not tell the user that the database is unavailable'),
      );
    }
  };
}

/** A modal submission gets a field error (the modal stays open); anything else an ephemeral message or DM. */
async function tellUnavailable(args: any, acked: boolean, ack: ((r?: unknown) => Promise<void>) | undefined): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const body = args.body ?? {};
  if (body.type === 'view_submission' && !acked && ack) {
    const block = firstInputBlock(body.view);
    if (block) return ack({ response_action: 'errors', errors: { [block]: DATABASE_UNAVAILABLE } });
  }
  if (!acked && ack) await ack();
  if (body.type === 'event_callback' || args.event) return;
  const userId: string | undefined = body.user?.id ?? body.user_id;
  if (!userId) return;
  const channelId: string | null = body.channel?.id ?? body.channel_id ?? null;
  await replyPrivately(args.client as WebClient, { userId, channelId }, DATABASE_UNAVAILABLE);
}

/** The modal's first input block: its blocks in order, else the blocks its state holds values for. */
function firstInputBlock(view: { blocks?: unknown; state?: { values?: Record<string, unknown> } } | undefined): string | null {
  const blocks = Array.isArray(view?.blocks) ? (view.blocks as { type?: string; block_id?: string }[]) : [];
  const input = blocks.find((b) => b?.type === 'input' && typeof b.block_id === 'string');
  return input?.block_id ?? Object.keys(view?.state?.values ?? {})[0] ?? null;
}
