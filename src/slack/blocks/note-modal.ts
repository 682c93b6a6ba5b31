/**
 * The structured note modal (SPEC §4) with the lane-specific parts of SPEC §2: the
 * pre-visit readiness checklist, and for missed appointments how many earlier
 * no-shows the patient has (a count, nothing more). The modal body names the case
 * by number, lane and patient label only; patient details stay behind "View details".
 */
import type { PatientLabelMode } from '../../domain/types';
import { earlierNoShowsText } from '../../domain/no-shows';
import { NEXT_ACTION_MAX, NOTE_TEXT_MAX } from '../../domain/notes';
import { LANE_LABELS, TIER_LABELS } from '../../domain/policy';
import {
  BARRIERS,
  CONTACT_CHANNELS,
  CONTACT_RESULTS,
  MANUAL_ESCALATION_REASONS,
  NOTE_STATUSES,
  PRE_VISIT_CHECKLIST,
  RESPONSIBLE_PARTIES,
  UNDERSTANDING,
  type Case,
  type PreVisitItem,
} from '../../domain/types';
import { ESCALATION_LABELS } from '../../domain/escalation';
import { BLOCKS, VIEWS } from '../ids';
import { context, input, modal, option, optionsOf, placeholder, type KnownBlock, type ModalView } from './kit';
import {
  BARRIER_LABELS,
  CHECKLIST_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_RESULT_LABELS,
  NOTE_STATUS_LABELS,
  RESPONSIBLE_PARTY_LABELS,
  UNDERSTANDING_LABELS,
} from '../../domain/labels';
import { encodeModalRef } from './metadata';
import { patientLabel } from './patient-label';

/** The escalation question's "no" answer (the other values are manual escalation reasons). */
export const NO_ESCALATION = 'none';

export interface NoteModalContext {
  labelMode: PatientLabelMode;
  laneLabel?: string;
  /** missed_appointment: the patient's no-shows in the 12 months before this one (domain/no-shows.ts). */
  priorNoShows?: number | null;
  /** pre_visit: items already confirmed in the latest note, ticked to start with. */
  checklist?: PreVisitItem[] | null;
}

/** One line naming the case, for the top of every case modal. */
export function caseLine(c: Case, labelMode: PatientLabelMode, laneLabel?: string): string {
  const label = patientLabel(c.patient, labelMode);
  return `*${c.number}* · ${laneLabel ?? LANE_LABELS[c.lane]} · ${TIER_LABELS[c.tier]}${label ? ` · \`${label}\`` : ''}`;
}

export function noteModal(c: Case, ctx: NoteModalContext): ModalView {
  const blocks: KnownBlock[] = [context(caseLine(c, ctx.labelMode, ctx.laneLabel))];
  if (c.lane === 'missed_appointment' && typeof ctx.priorNoShows === 'number') {
    blocks.push(context(noShowLine(ctx.priorNoShows)));
  }
  blocks.push(
    input(BLOCKS.noteContactChannel, 'Contact attempt: how', { type: 'static_select', placeholder: placeholder('Phone, text, portal…'), options: optionsOf(CONTACT_CHANNELS, CONTACT_CHANNEL_LABELS) }, { optional: true, hint: 'Leave both contact fields empty when no outreach happened.' }),
    input(BLOCKS.noteContactResult, 'Contact attempt: result', { type: 'static_select', placeholder: placeholder('Reached, voicemail…'), options: optionsOf(CONTACT_RESULTS, CONTACT_RESULT_LABELS) }, { optional: true, hint: 'A voicemail is an attempt, never a close.' }),
    input(BLOCKS.noteStatus, 'Status', { type: 'static_select', placeholder: placeholder('Choose a status'), options: optionsOf(NOTE_STATUSES, NOTE_STATUS_LABELS) }),
    input(BLOCKS.noteBarrier, 'Barrier', { type: 'static_select', placeholder: placeholder('Choose a barrier, or None'), options: optionsOf(BARRIERS, BARRIER_LABELS) }),
    input(BLOCKS.noteBarrierText, 'Barrier details', { type: 'plain_text_input', max_length: NOTE_TEXT_MAX }, { optional: true, hint: 'Needed when the barrier is Other.' }),
    input(BLOCKS.noteUnderstanding, 'Patient understanding', { type: 'radio_buttons', options: optionsOf(UNDERSTANDING, UNDERSTANDING_LABELS) }),
    input(BLOCKS.noteUnderstandingText, 'Understanding details', { type: 'plain_text_input', multiline: true, max_length: NOTE_TEXT_MAX }, { optional: true }),
    input(BLOCKS.noteNextAction, 'Next promised action', { type: 'plain_text_input', max_length: NEXT_ACTION_MAX, placeholder: placeholder('What happens next, in a few words') }, { hint: 'Kept with the case; channel posts show only its due date.' }),
    input(BLOCKS.noteResponsibleParty, 'Responsible for the next step', { type: 'static_select', options: optionsOf(RESPONSIBLE_PARTIES, RESPONSIBLE_PARTY_LABELS), initial_option: option('coordinator', RESPONSIBLE_PARTY_LABELS.coordinator) }),
    input(BLOCKS.noteResponsibleUser, 'Responsible person in Slack', { type: 'users_select', placeholder: placeholder('Optional') }, { optional: true }),
    input(BLOCKS.noteTargetDate, 'Target date', { type: 'datepicker', placeholder: placeholder('Not in the past, at most 90 days ahead') }),
  );
  if (c.lane === 'pre_visit') {
    const ticked = (ctx.checklist ?? []).map((k) => option(k, CHECKLIST_LABELS[k]));
    blocks.push(
      input(BLOCKS.noteChecklist, 'Readiness checklist: confirmed', {
        type: 'checkboxes',
        options: optionsOf(PRE_VISIT_CHECKLIST, CHECKLIST_LABELS),
        ...(ticked.length > 0 ? { initial_options: ticked } : {}),
      }, { optional: true }),
    );
  }
  const noEscalation = option(NO_ESCALATION, 'No escalation needed');
  blocks.push(
    input(BLOCKS.noteEscalationReason, 'Escalation needed?', { type: 'static_select', options: [noEscalation, ...MANUAL_ESCALATION_REASONS.map((r) => option(r, ESCALATION_LABELS[r]))], initial_option: noEscalation }),
    input(BLOCKS.noteEscalationText, 'Why it needs escalating', { type: 'plain_text_input', multiline: true, max_length: NOTE_TEXT_MAX }, { optional: true, hint: 'Needed when you escalate; goes to the provider with the case.' }),
  );
  return modal({ callbackId: VIEWS.note, title: `Note · ${c.number}`, submit: 'Save note', blocks, privateMetadata: encodeModalRef({ caseId: c.id }) });
}

function noShowLine(n: number): string {
  return `:calendar: ${earlierNoShowsText(n)} before this one.`;
}
