import { caseDetailsMessage } from '../../blocks/case-details';
import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { pressedOnCase, type ButtonArgs } from './case-button';

/**
 * View details: the patient's details and recent notes, only to the user who asked, as
 * an ephemeral message (a DM from App Home). The service authorises and audits the viewing.
 */
export function viewDetails(ctx: SlackContext) {
  return async (args: ButtonArgs): Promise<void> => {
    const p = await pressedOnCase(ctx, args);
    if (!p) return;
    const result = await ctx.cases.viewDetails(p.c.id, p.actor);
    if (!result.ok) return replyPrivately(args.client, p.where, result.message);
    const [notes, escalations, earlierNoShows, guidance] = await Promise.all([
      ctx.reads.listNotes(p.c.id),
      ctx.reads.listEscalations(p.c.id),
      ctx.reads.earlierNoShows(p.c),
      ctx.reads.listGuidance(p.c.id),
    ]);
    await replyPrivately(
      args.client,
      p.where,
      caseDetailsMessage(result.case, {
        calendar: ctx.policy.calendar,
        laneLabel: ctx.policy.lanes[p.c.lane].label,
        ehrLinkTemplate: ctx.config.EHR_LINK_TEMPLATE,
        notes: notes.reverse(),
        openEscalations: escalations.filter((e) => !e.acknowledgedAt),
        acknowledged: escalations.filter((e) => e.acknowledgedAt).reverse(),
        earlierNoShows,
        guidance,
      }),
    );
  };
}
