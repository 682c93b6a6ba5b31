import type { SlackContext } from '../../context';
import { ACK_FIELD_BLOCKS, BLOCKS } from '../../ids';
import { textValue } from './form-values';
import { answerErrors, blockErrors, modalRefOrError, type SubmitArgs } from './submission';

/**
 * Records a provider's (or manager's) acknowledgement with their guidance; the case
 * returns to its owner, who is told by DM (the escalation_ack delivery). A repeat of
 * the same person's acknowledgement just closes the modal.
 */
export function acknowledgeSubmission(ctx: SlackContext) {
  return async (args: SubmitArgs): Promise<void> => {
    const ref = await modalRefOrError(args, BLOCKS.ackGuidance, true);
    if (!ref) return;
    const actor = await ctx.roles.actorFor(args.body.user.id);
    const guidance = textValue(args.view.state.values, BLOCKS.ackGuidance) ?? '';
    const result = await ctx.cases.acknowledge(ref.escalationId!, actor, guidance);
    if (!result.ok) {
      if (result.code === 'conflict' && (await ctx.reads.getEscalation(ref.escalationId!))?.acknowledgedBy === actor.userId) return args.ack();
      return answerErrors(args, blockErrors(result, ACK_FIELD_BLOCKS, BLOCKS.ackGuidance));
    }
    await args.ack();
    ctx.deliverSoon();
  };
}
