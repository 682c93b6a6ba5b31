import { canAct } from '../../../domain/case';
import { noticeMessage } from '../../blocks/followup-messages';
import { newCaseModal } from '../../blocks/new-case-modal';
import { actorOrRefuse, answer, type CommandArgs } from './answer';

export const CREATE_REFUSED = 'Only coordinators and managers can open follow-up cases.';

/** `/followup new`: opens the new-case modal (coordinators and managers). */
export async function followupNew(a: CommandArgs): Promise<void> {
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  if (!canAct(actor, 'create')) return answer(a, noticeMessage(CREATE_REFUSED));
  await a.ack();
  const { ctx, command } = a;
  try {
    await a.client.views.open({
      trigger_id: command.trigger_id,
      view: newCaseModal({ policy: ctx.policy, values: { occurredAt: ctx.clock.now() } }),
    });
  } catch (error) {
    ctx.logger.warn({ err: (error as { code?: string }).code ?? (error as Error).message }, 'could not open the new-case modal');
    await a.respond({ response_type: 'ephemeral', text: 'Slack did not open the new-case form in time. Please run `/followup new` again.' }).catch(() => undefined);
  }
}
