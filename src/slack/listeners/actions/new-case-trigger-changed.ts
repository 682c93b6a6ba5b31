import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { readNewCaseValues } from '../../blocks/new-case-form';
import { newCaseModal } from '../../blocks/new-case-modal';
import type { SlackContext } from '../../context';

/**
 * The trigger was chosen in the new-case modal: rebuild the modal with the inputs
 * that trigger needs (visit type, appointment time, referring office), keeping
 * what was entered (same block and action ids, values passed back as initial values).
 */
export function newCaseTriggerChanged(ctx: SlackContext) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: newCaseModal({ policy: ctx.policy, values: readNewCaseValues(view.state?.values), privateMetadata: view.private_metadata }),
      });
    } catch (error) {
      // hash_conflict: a newer version of the modal is already showing; nothing to do.
      ctx.logger.warn({ err: (error as { code?: string; data?: { error?: string } }).data?.error ?? (error as Error).message }, 'could not update the new-case modal');
    }
  };
}
