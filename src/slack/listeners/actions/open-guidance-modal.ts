import { addGuidance } from '../../../domain/case';
import { guidanceModal } from '../../blocks/case-modals';
import { parseId } from '../../blocks/metadata';
import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { whereOf, type ButtonArgs } from './case-button';

/**
 * Add guidance on an acknowledged escalation post (its value is the escalation id): only
 * providers and managers; anyone else is told why, privately, before a form opens.
 */
export function openGuidanceModal(ctx: SlackContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const where = whereOf(args);
    const escalationId = parseId(args.action.value);
    const [actor, escalation] = await Promise.all([ctx.roles.actorFor(where.userId), escalationId === null ? null : ctx.reads.getEscalation(escalationId)]);
    const c = escalation ? await ctx.cases.getCase(escalation.caseId) : null;
    if (!escalation || !c) return replyPrivately(args.client, where, 'That escalation does not exist any more.');
    const dryRun = addGuidance(c, actor, { escalation, text: 'stand-in', now: ctx.clock.now() });
    if (!dryRun.ok) return replyPrivately(args.client, where, dryRun.message);
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: guidanceModal(escalation, c, { labelMode: ctx.config.PATIENT_LABEL, laneLabel: ctx.policy.lanes[c.lane].label }) });
  };
}
