import { noteModal } from '../../blocks/note-modal';
import type { SlackContext } from '../../context';
import { openCaseModal } from './open-case-modal';

/** Add note: the structured note modal, with the lane's own parts (no-show count, readiness checklist). */
export function openNoteModal(ctx: SlackContext) {
  return openCaseModal(ctx, 'note', async (c) => {
    const priorNoShows = await ctx.reads.earlierNoShows(c);
    const latest = c.lane === 'pre_visit' ? await ctx.reads.latestNote(c.id) : null;
    return noteModal(c, {
      labelMode: ctx.config.PATIENT_LABEL,
      laneLabel: ctx.policy.lanes[c.lane].label,
      priorNoShows,
      checklist: latest?.checklist ?? null,
    });
  });
}
