import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { pressedOnCase, type ButtonArgs } from './case-button';

/** Reopen from a closed card: a manager any time, the owner within 7 days (decided by the service). */
export function reopenCase(ctx: SlackContext) {
  return async (args: ButtonArgs): Promise<void> => {
    const p = await pressedOnCase(ctx, args);
    if (!p) return;
    const result = await ctx.cases.reopen(p.c.id, p.actor);
    if (!result.ok) return replyPrivately(args.client, p.where, result.message);
    ctx.deliverSoon();
  };
}
