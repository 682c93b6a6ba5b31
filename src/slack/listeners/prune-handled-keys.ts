import type { SlackContext } from '../context';

/** Keys older than this are forgotten: Slack retries an event for minutes, and signatures expire after 5. */
const KEEP_MS = 24 * 3600_000;
/** Pruning runs at most this often per process. */
const PRUNE_EVERY_MS = 3600_000;

const lastPrune = new WeakMap<SlackContext, number>();

/** Forgets handled request keys older than a day, in the background, at most hourly per app. */
export function pruneHandledKeys(ctx: SlackContext, now: Date): void {
  if (now.getTime() - (lastPrune.get(ctx) ?? 0) < PRUNE_EVERY_MS) return;
  lastPrune.set(ctx, now.getTime());
  void ctx.records.forgetRequestsBefore(new Date(now.getTime() - KEEP_MS)).catch((error: unknown) => {
    ctx.logger.warn({ err: (error as Error).message }, 'could not prune handled request keys');
  });
}
