import { noteModal } from '../../blocks/note-modal';
import type { SlackContext } from '../../context';
import { openCaseModal } from './open-case-modal';

/** Missed-appointment cases show the patient's other no-shows within this window (SPEC §2). */
const NO_SHOW_WINDOW_MS = 365 * 86_400_000;

/** Add note: the structured note modal, with the lane's own parts (no-show count, readiness checklist). */
export function openNoteModal(ctx: SlackContext) {
  return openCaseModal(ctx, 'note', async (c) => {
    const since = new Date(ctx.clock.now().getTime() - NO_SHOW_WINDOW_MS);
    const priorNoShows = c.lane === 'missed_appointment' ? await ctx.stores.cases.countPriorCases(c.patient.mrn, 'missed_appointment', since, c.id) : null;
    const latest = c.lane === 'pre_visit' ? await ctx.stores.cases.latestNote(c.id) : null;
    return noteModal(c, {
      labelMode: ctx.config.PATIENT_LABEL,
      laneLabel: ctx.policy.lanes[c.lane].label,
      priorNoShows,
      checklist: latest?.checklist ?? null,
    });
  });
}
