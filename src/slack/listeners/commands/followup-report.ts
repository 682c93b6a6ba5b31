import { isoWeekOf } from '../../../domain/calendar';
import { reportedWeek } from '../../../domain/metrics';
import { canAct } from '../../../domain/case';
import { computeWeeklyComparison } from '../../../services/metrics-service';
import { noticeMessage } from '../../blocks/followup-messages';
import { weeklyReportMessage } from '../../blocks/weekly-report';
import { actorOrRefuse, answer, type CommandArgs } from './answer';

export const REPORT_REFUSED = 'Only managers can read the weekly metrics.';

/**
 * `/followup report [YYYY-Www]`: the weekly metrics (last week unless one is named),
 * for managers, ephemerally. The figures can take a moment on a large database, so
 * the command is acknowledged first and the report follows through the response URL.
 */
export async function followupReport(a: CommandArgs, week: string | null): Promise<void> {
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  if (!canAct(actor, 'read_metrics')) return answer(a, noticeMessage(REPORT_REFUSED));
  const { ctx } = a;
  const now = ctx.clock.now();
  const current = isoWeekOf(ctx.policy.calendar, now);
  const target = week ?? reportedWeek(ctx.policy.calendar, now);
  // YYYY-Www labels sort in time order.
  if (target > current) return answer(a, noticeMessage(`week: ${target} has not started yet; the latest complete week is ${reportedWeek(ctx.policy.calendar, now)}.`));
  const inProgress = target === current ? ' (this week is not over: figures so far)' : '';
  await answer(a, noticeMessage(`Preparing the weekly report for ${target}${inProgress}…`));
  try {
    const { current: metrics, previous } = await ctx.reports.weeklyComparison(target);
    await a.respond({ response_type: 'ephemeral', ...weeklyReportMessage(metrics, previous) });
  } catch (error) {
    ctx.logger.error({ week: target, err: (error as Error).message }, 'could not answer /followup report');
    await a.respond({ response_type: 'ephemeral', text: `The weekly report for ${target} could not be prepared. Please try again, or run \`carebridge report --week ${target}\`.` }).catch(() => undefined);
  }
}
