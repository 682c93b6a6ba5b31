import { caseNumber } from '../../../domain/case-number';
import { noticeMessage } from '../../blocks/followup-messages';
import { loadCaseCard } from '../../delivery/case-card-deliverer';
import { actorOrRefuse, answer, type CommandArgs } from './answer';

/**
 * `/followup case FU-n`: the case card, for the user alone. Its buttons work as on
 * the channel card (each action is authorised when it runs); patient details still
 * need View details.
 */
export async function followupCase(a: CommandArgs, caseId: number): Promise<void> {
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  const c = await a.ctx.cases.getCase(caseId);
  if (!c) return answer(a, noticeMessage(`${caseNumber(caseId)} does not exist.`));
  await answer(a, await loadCaseCard(a.ctx, c));
}
