import { z } from 'zod';
import { OUTCOMES } from '../../../domain/types';
import { LOOP_NO, LOOP_YES } from '../../blocks/case-modals';
import type { SlackContext } from '../../context';
import { BLOCKS, CLOSE_FIELD_BLOCKS } from '../../ids';
import { selectedOption, textValue } from './form-values';
import { answerErrors, blockErrors, issuesToFieldErrors, modalRefOrError, type SubmitArgs } from './submission';

const form = z.object({
  outcome: z.enum(OUTCOMES, { error: 'Choose an outcome.' }),
  // Length and blankness are the domain's rules (closeCase), answered on the same block.
  reason: z.string().default(''),
  loopClosed: z
    .enum([LOOP_YES, LOOP_NO], { error: 'Choose yes or no.' })
    .nullish()
    .transform((v) => (v === LOOP_YES ? true : v === LOOP_NO ? false : null)),
});

/**
 * Closes the case with an outcome and a reason. The domain's rules (unreachable needs
 * 3 attempts on 2 channels, a completed referral asks whether the office was told, a
 * handoff needs an acknowledged escalation) come back as errors on their inputs.
 */
export function closeSubmission(ctx: SlackContext) {
  return async (args: SubmitArgs): Promise<void> => {
    const ref = await modalRefOrError(args, BLOCKS.closeOutcome);
    if (!ref) return;
    const values = args.view.state.values;
    const parsed = form.safeParse({
      outcome: selectedOption(values, BLOCKS.closeOutcome) ?? undefined,
      reason: textValue(values, BLOCKS.closeReason) ?? undefined,
      loopClosed: selectedOption(values, BLOCKS.closeLoop),
    });
    if (!parsed.success) {
      return answerErrors(args, blockErrors({ message: 'Check the form.', errors: issuesToFieldErrors(parsed.error.issues) }, CLOSE_FIELD_BLOCKS, BLOCKS.closeOutcome));
    }
    const actor = await ctx.roles.actorFor(args.body.user.id);
    const result = await ctx.cases.close(ref.caseId, actor, parsed.data);
    if (!result.ok) return answerErrors(args, blockErrors(result, CLOSE_FIELD_BLOCKS, BLOCKS.closeOutcome));
    await args.ack();
    ctx.deliverSoon();
  };
}
