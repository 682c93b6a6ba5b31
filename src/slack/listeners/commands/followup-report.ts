import { canAct } from '../../../domain/case';
import { noticeMessage } from '../../blocks/followup-messages';
import { actorOrRefuse, answer, type CommandArgs } from './answer';

export const REPORT_REFUSED = 'Only managers can read the weekly metrics.';
export const REPORT_UNAVAILABLE = 'The weekly report is not available yet.';

/** `/followup report [YYYY-Www]`: the weekly metrics, for managers. */
export async function followupReport(a: CommandArgs, week: string | null): Promise<void> {
  void week;
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  if (!canAct(actor, 'read_metrics')) return answer(a, noticeMessage(REPORT_REFUSED));
  await answer(a, noticeMessage(REPORT_UNAVAILABLE));
}
