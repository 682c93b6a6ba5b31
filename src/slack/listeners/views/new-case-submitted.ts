import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { canAct } from '../../../domain/case';
import { validateTriggerEvent } from '../../../domain/trigger-event';
import { newCaseErrors, readNewCaseValues, triggerEventBody } from '../../blocks/new-case-form';
import { newCaseOpenedView } from '../../blocks/new-case-modal';
import type { SlackContext } from '../../context';
import { NEW_CASE } from '../../ids';
import { CREATE_REFUSED } from '../commands/followup-new';

/**
 * New-case modal submitted: validates like intake does, answers field errors inside
 * the modal, or opens the case. The external id `slack:<view id>` makes a repeated
 * submission of the same modal answer with the case it already opened.
 */
export function newCaseSubmitted(ctx: SlackContext) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const actor = await ctx.roles.actorFor(body.user.id);
    if (!canAct(actor, 'create')) {
      await ack({ response_action: 'errors', errors: { [NEW_CASE.trigger]: CREATE_REFUSED } });
      return;
    }
    const values = readNewCaseValues(view.state.values);
    const checked = validateTriggerEvent(triggerEventBody(ctx.policy, values, `slack:${view.id}`), { now: ctx.clock.now(), requireExternalId: false });
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: newCaseErrors(checked.errors, shownBlocks(view)) });
      return;
    }
    const opened = await ctx.cases.openCase(checked.value, actor.userId);
    await ack({
      response_action: 'update',
      view: newCaseOpenedView(opened.case, {
        policy: ctx.policy,
        labelMode: ctx.config.PATIENT_LABEL,
        coordinatorsChannel: ctx.config.SLACK_COORDINATORS_CHANNEL,
        created: opened.created,
      }),
    });
    if (opened.created) {
      ctx.logger.info({ caseId: opened.case.id, lane: opened.case.lane, by: actor.userId }, 'case opened from Slack');
      ctx.deliverSoon();
    }
  };
}

/** Input blocks the submitted view really has (its blocks, and the inputs its state reports). */
function shownBlocks(view: ViewSubmitAction['view']): Set<string> {
  const ids = new Set<string>(Object.keys(view.state?.values ?? {}));
  for (const block of view.blocks ?? []) if (typeof (block as { block_id?: unknown }).block_id === 'string') ids.add((block as { block_id: string }).block_id);
  return ids;
}
