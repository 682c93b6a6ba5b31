import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { isDatabaseFailure } from '../../database-health';
import type { SlackContext } from '../context';
import { NEW_CASE, VIEWS } from '../ids';
import { pruneHandledKeys } from './prune-handled-keys';

/** The request's signature headers, which the HTTP receiver copies into Bolt's context. */
export interface SignedRequestContext {
  slackSignature?: string;
  slackRequestTimestamp?: string;
}

/**
 * Global middleware, first in the chain: a request whose signature and timestamp were
 * seen before is a replay (Bolt accepts any correctly signed request for 5 minutes) and
 * stops here, acknowledged with an empty 200 so nothing runs twice. The key is claimed in
 * the database, so it holds across instances. Slack's own retries are not replays: each
 * retry is signed anew with a new timestamp, so it passes and meets the event dedupe.
 * Socket Mode requests carry no signature and are not checked; nor are requests that are
 * once-only by a key of their own (below), which spares them a database write.
 */
export function replayGuard(ctx: SlackContext): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { slackSignature, slackRequestTimestamp } = args.context as SignedRequestContext;
    if (!slackSignature || !slackRequestTimestamp || carriesItsOwnOnceKey(args.body)) {
      await args.next();
      return;
    }
    const now = ctx.clock.now();
    if (!(await claimed(ctx, `signed:${slackRequestTimestamp}:${slackSignature}`, now))) {
      ctx.logger.warn({ requestTimestamp: slackRequestTimestamp }, 'a replayed Slack request was ignored');
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    pruneHandledKeys(ctx, now);
    await args.next();
  };
}

/**
 * Requests whose effect is already once-only by a key of their own need no second write:
 * events (their `event_id`, see event-dedupe.ts) and the modal submissions that save with
 * the view's id as request key (a note, an escalation, added guidance, a new case).
 */
const ONCE_KEYED_VIEWS: ReadonlySet<string> = new Set([VIEWS.note, VIEWS.escalate, VIEWS.guidance, NEW_CASE.view]);

function carriesItsOwnOnceKey(body: unknown): boolean {
  const b = body as { type?: string; view?: { callback_id?: string } };
  if (b.type === 'event_callback') return true;
  return b.type === 'view_submission' && ONCE_KEYED_VIEWS.has(b.view?.callback_id ?? '');
}

/**
 * Claims the key; true when this is its first use. When the database cannot be asked the
 * request goes on (fails open): its listener needs the database too and answers the user
 * "try again", which a replay guard that threw first would prevent.
 */
async function claimed(ctx: SlackContext, key: string, now: Date): Promise<boolean> {
  try {
    return await ctx.records.claimRequest(key, now);
  } catch (error) {
    if (isDatabaseFailure(error) && ctx.databaseHealth) ctx.databaseHealth.recordFailure(error, 'slack');
    else ctx.logger.warn({ err: (error as Error).message }, 'could not check a Slack request for a replay; handling it');
    return true;
  }
}
