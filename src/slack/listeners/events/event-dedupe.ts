import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackContext } from '../../context';

/** Keys older than this are forgotten: Slack retries an event for minutes, not days. */
const KEEP_MS = 24 * 3600_000;
/** Pruning runs at most this often per process. */
const PRUNE_EVERY_MS = 3600_000;

/**
 * Global middleware: an Events API delivery whose `event_id` was handled before
 * (Slack retries with X-Slack-Retry-Num, and Bolt passes retries on) stops here.
 * The key is recorded before the listeners run, so a crash mid-handling is not
 * retried; for CareBridge's events (Home refreshes) a lost one is harmless, a
 * double one is not always.
 */
export function eventDedupe(ctx: SlackContext): Middleware<AnyMiddlewareArgs> {
  let lastPrune = 0;
  return async ({ body, next, context }) => {
    const eventId = (body as { type?: string; event_id?: unknown }).type === 'event_callback' ? (body as { event_id?: unknown }).event_id : undefined;
    if (typeof eventId !== 'string' || eventId === '') {
      await next();
      return;
    }
    const now = ctx.clock.now();
    if (!(await ctx.stores.processed.claim(`event:${eventId}`, now))) {
      ctx.logger.debug({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'repeated event ignored');
      return;
    }
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      void ctx.stores.processed.prune(new Date(now.getTime() - KEEP_MS)).catch((error: unknown) => {
        ctx.logger.warn({ err: (error as Error).message }, 'could not prune handled request keys');
      });
    }
    await next();
  };
}
