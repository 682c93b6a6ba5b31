import type { SlackContext } from '../../context';
import { BLOCKS, REASSIGN_FIELD_BLOCKS } from '../../ids';
import { selectedUser } from './form-values';
import { answerErrors, blockErrors, modalRefOrError, type SubmitArgs } from './submission';

/**
 * Gives the case a new owner and backup. Both must be coordinators or managers (a
 * case handed to someone who cannot work it would be stranded); whether the actor may
 * assign someone other than themselves is the service's decision.
 */
export function reassignSubmission(ctx: SlackContext) {
  return async (args: SubmitArgs): Promise<void> => {
    const ref = await modalRefOrError(args, BLOCKS.reassignOwner);
    if (!ref) return;
    const values = args.view.state.values;
    const ownerId = selectedUser(values, BLOCKS.reassignOwner);
    const backupId = selectedUser(values, BLOCKS.reassignBackup);
    const errors: Record<string, string> = {};
    if (!ownerId) errors.ownerId = 'Choose the new owner.';
    else if (!(await worksCases(ctx, ownerId))) errors.ownerId = 'Choose a coordinator or manager.';
    if (backupId && backupId === ownerId) errors.backupId = 'The backup must be someone other than the owner.';
    else if (backupId && !(await worksCases(ctx, backupId))) errors.backupId = 'Choose a coordinator or manager, or no backup.';
    if (Object.keys(errors).length > 0) return answerErrors(args, blockErrors({ message: 'Check the form.', errors }, REASSIGN_FIELD_BLOCKS, BLOCKS.reassignOwner));
    const actor = await ctx.roles.actorFor(args.body.user.id);
    const result = await ctx.cases.reassign(ref.caseId, actor, ownerId!, backupId);
    if (!result.ok) return answerErrors(args, blockErrors(result, REASSIGN_FIELD_BLOCKS, BLOCKS.reassignOwner));
    await args.ack();
    ctx.deliverSoon();
  };
}

async function worksCases(ctx: SlackContext, userId: string): Promise<boolean> {
  const { roles } = await ctx.roles.actorFor(userId);
  return roles.has('coordinator') || roles.has('manager');
}
