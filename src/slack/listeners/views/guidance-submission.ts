import type { SlackContext } from '../../context';
import { BLOCKS, GUIDANCE_FIELD_BLOCKS } from '../../ids';
import { textValue } from './form-values';
import { answerErrors, blockErrors, modalRefOrError, submissionKey, type SubmitArgs } from './submission';

/** Saves a provider's added guidance; it reaches the owner and backup by DM (guidance_dm delivery). */
export function guidanceSubmission(ctx: SlackContext) {
  return async (args: SubmitArgs): Promise<void> => {
    const ref = await modalRefOrError(args, BLOCKS.addedGuidance, true);
    if (!ref) return;
    const actor = await ctx.roles.actorFor(args.body.user.id);
    const text = textValue(args.view.state.values, BLOCKS.addedGuidance) ?? '';
    const result = await ctx.cases.addGuidance(ref.escalationId!, actor, text, submissionKey(args));
    if (!result.ok) return answerErrors(args, blockErrors(result, GUIDANCE_FIELD_BLOCKS, BLOCKS.addedGuidance));
    await args.ack();
    ctx.deliverSoon();
  };
}
