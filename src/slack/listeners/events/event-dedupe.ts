import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackContext } from '../../context';
import { pruneHandledKeys } from '../prune-handled-keys';

/**
 * Global middleware: an Events API delivery whose `event_id` was handled before
 * (Slack retries with X-Slack-Retry-Num, and Bolt passes retries on) stops here.
 * The key is recorded before the listeners run, so a crash mid-handling is not
 * retried; for CareBridge's events (Home refreshes) a lost one is harmless, a
 * double one is not always.
 */
export function eventDedupe(ctx: SlackContext): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, context }) => {
    const eventId = (body as { type?: string; event_id?: unknown }).type === 'event_callback' ? (body as { event_id?: unknown }).event_id : undefined;
    if (typeof eventId !== 'string' || eventId === '') {
      await next();
      return;
    }
    const now = ctx.clock.now();
    if (!(await ctx.records.claimRequest(`event:${eventId}`, now))) {
      ctx.logger.debug({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'repeated event ignored');
      return;
    }
    pruneHandledKeys(ctx, now);
    await next();
  };
}
