import { acknowledgeModal } from '../../blocks/case-modals';
import { parseId } from '../../blocks/metadata';
import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { whereOf, type ButtonArgs } from './case-button';
import { precheck } from './precheck';

/**
 * Acknowledge on an escalation post (its value is the escalation id): providers and
 * managers get a short modal for their guidance; anyone else, or a second
 * acknowledger, is told why not, privately.
 */
export function openAcknowledgeModal(ctx: SlackContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const where = whereOf(args);
    const escalationId = parseId(args.action.value);
    const [actor, escalation] = await Promise.all([
      ctx.roles.actorFor(where.userId),
      escalationId === null ? null : ctx.reads.getEscalation(escalationId),
    ]);
    const c = escalation ? await ctx.cases.getCase(escalation.caseId) : null;
    if (!escalation || !c) return replyPrivately(args.client, where, 'That escalation does not exist any more.');
    const refusal = precheck('acknowledge', c, actor, ctx.clock.now(), { escalation });
    if (refusal) return replyPrivately(args.client, where, refusal.message);
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: acknowledgeModal(escalation, c, { labelMode: ctx.config.PATIENT_LABEL, laneLabel: ctx.policy.lanes[c.lane].label }),
    });
  };
}
