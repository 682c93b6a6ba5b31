import { z } from 'zod';
import { CASE_TEXT_MAX } from '../../../domain/case';
import { MANUAL_ESCALATION_REASONS } from '../../../domain/types';
import type { SlackContext } from '../../context';
import { BLOCKS, ESCALATE_FIELD_BLOCKS } from '../../ids';
import { selectedOption, textValue } from './form-values';
import { answerErrors, blockErrors, issuesToFieldErrors, modalRefOrError, submissionKey, type SubmitArgs } from './submission';

const form = z.object({
  reason: z.enum(MANUAL_ESCALATION_REASONS, { error: 'Choose a reason.' }),
  text: z
    .string({ error: 'Describe why this needs escalating.' })
    .trim()
    .min(1, { error: 'Describe why this needs escalating.' })
    .max(CASE_TEXT_MAX, { error: `Keep this under ${CASE_TEXT_MAX} characters.` }),
});

/** Raises a manual escalation (SPEC §5); its post goes to the providers channel. Repeats raise one. */
export function escalateSubmission(ctx: SlackContext) {
  return async (args: SubmitArgs): Promise<void> => {
    const ref = await modalRefOrError(args, BLOCKS.escalateReason);
    if (!ref) return;
    const values = args.view.state.values;
    const parsed = form.safeParse({ reason: selectedOption(values, BLOCKS.escalateReason) ?? undefined, text: textValue(values, BLOCKS.escalateText) ?? undefined });
    if (!parsed.success) {
      return answerErrors(args, blockErrors({ message: 'Check the form.', errors: issuesToFieldErrors(parsed.error.issues) }, ESCALATE_FIELD_BLOCKS, BLOCKS.escalateReason));
    }
    const actor = await ctx.roles.actorFor(args.body.user.id);
    const result = await ctx.cases.escalate(ref.caseId, actor, parsed.data.reason, parsed.data.text, { requestKey: submissionKey(args) });
    if (!result.ok) return answerErrors(args, blockErrors(result, ESCALATE_FIELD_BLOCKS, BLOCKS.escalateReason));
    await args.ack();
    ctx.deliverSoon();
  };
}
