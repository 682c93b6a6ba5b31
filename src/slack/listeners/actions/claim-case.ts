import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { pressedOnCase, type ButtonArgs } from './case-button';

/**
 * Claim: atomic in the service, so of two coordinators pressing at once exactly one
 * becomes the owner and the other is told, privately, who won. The card then updates.
 */
export function claimCase(ctx: SlackContext) {
  return async (args: ButtonArgs): Promise<void> => {
    const p = await pressedOnCase(ctx, args);
    if (!p) return;
    const result = await ctx.cases.claim(p.c.id, p.actor);
    if (!result.ok) return replyPrivately(args.client, p.where, result.message);
    ctx.deliverSoon();
  };
}
