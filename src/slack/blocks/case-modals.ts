/**
 * The smaller case modals: escalate, close, reassign, acknowledge and the read-only
 * outreach script. Each names the case by number, lane and patient label only, and
 * keeps just the ids it acts on in private_metadata (SPEC §6).
 */
import type { PatientLabelMode } from '../../domain/types';
import { CASE_TEXT_MAX } from '../../domain/case';
import { ESCALATION_LABELS } from '../../domain/escalation';
import { MANUAL_ESCALATION_REASONS, OUTCOMES, type Case, type Escalation } from '../../domain/types';
import { BLOCKS, VIEWS } from '../ids';
import { escapeMrkdwn } from './format';
import { context, input, modal, option, placeholder, section, type KnownBlock, type ModalView } from './kit';
import { OUTCOME_DESCRIPTIONS, OUTCOME_LABELS } from '../../domain/labels';
import { encodeModalRef } from './metadata';
import { caseLine } from './note-modal';

export interface CaseModalContext {
  labelMode: PatientLabelMode;
  laneLabel?: string;
}

/** Values of the close modal's "referring office told?" question. */
export const LOOP_YES = 'yes';
export const LOOP_NO = 'no';

export function escalateModal(c: Case, ctx: CaseModalContext): ModalView {
  return modal({
    callbackId: VIEWS.escalate,
    title: `Escalate ${c.number}`,
    submit: 'Escalate',
    privateMetadata: encodeModalRef({ caseId: c.id }),
    blocks: [
      context(caseLine(c, ctx.labelMode, ctx.laneLabel)),
      input(BLOCKS.escalateReason, 'Reason', {
        type: 'static_select',
        placeholder: placeholder('Choose a reason'),
        options: MANUAL_ESCALATION_REASONS.map((r) => option(r, ESCALATION_LABELS[r])),
      }),
      input(BLOCKS.escalateText, 'What the provider needs to know', { type: 'plain_text_input', multiline: true, max_length: CASE_TEXT_MAX }, {
        hint: 'Shown to the provider through View details, never in the channel post.',
      }),
    ],
  });
}

export function closeModal(c: Case, ctx: CaseModalContext): ModalView {
  const blocks: KnownBlock[] = [
    context(caseLine(c, ctx.labelMode, ctx.laneLabel)),
    input(BLOCKS.closeOutcome, 'Outcome', {
      type: 'static_select',
      placeholder: placeholder('Choose an outcome'),
      options: OUTCOMES.map((o) => option(o, OUTCOME_LABELS[o], OUTCOME_DESCRIPTIONS[o])),
    }),
    input(BLOCKS.closeReason, 'Reason', { type: 'plain_text_input', multiline: true, max_length: CASE_TEXT_MAX }),
  ];
  if (c.lane === 'referral') {
    // Closing the loop (SPEC §2): the weekly report counts completed referrals whose office was told.
    blocks.push(
      input(BLOCKS.closeLoop, 'Was the referring office told the outcome?', {
        type: 'radio_buttons',
        options: [option(LOOP_YES, 'Yes, the referring office was told'), option(LOOP_NO, 'No, not yet')],
      }, { optional: true, hint: 'Needed when the outcome is Completed.' }),
    );
  }
  return modal({ callbackId: VIEWS.close, title: `Close ${c.number}`, submit: 'Close case', close: 'Cancel', privateMetadata: encodeModalRef({ caseId: c.id }), blocks });
}

/** Managers pick anyone; a coordinator may only take the case over (the server decides). */
export function reassignModal(c: Case, ctx: CaseModalContext & { actorId: string }): ModalView {
  return modal({
    callbackId: VIEWS.reassign,
    title: `Reassign ${c.number}`,
    submit: 'Reassign',
    privateMetadata: encodeModalRef({ caseId: c.id }),
    blocks: [
      context(caseLine(c, ctx.labelMode, ctx.laneLabel)),
      input(BLOCKS.reassignOwner, 'Owner', { type: 'users_select', initial_user: c.ownerId ?? ctx.actorId }, {
        hint: 'Coordinators can take a case over themselves; managers can assign anyone on the team.',
      }),
      input(BLOCKS.reassignBackup, 'Backup', { type: 'users_select', placeholder: placeholder('No backup'), ...(c.backupId ? { initial_user: c.backupId } : {}) }, { optional: true }),
    ],
  });
}

export function acknowledgeModal(e: Escalation, c: Case, ctx: CaseModalContext): ModalView {
  return guidanceFormModal(e, c, ctx, {
    callbackId: VIEWS.acknowledge,
    title: 'Acknowledge',
    submit: 'Acknowledge',
    block: BLOCKS.ackGuidance,
    intro: 'Your guidance goes to the case owner by direct message, and the case returns to them.',
  });
}

/** Add guidance: more guidance on an acknowledged escalation, for the owner and backup. */
export function guidanceModal(e: Escalation, c: Case, ctx: CaseModalContext): ModalView {
  return guidanceFormModal(e, c, ctx, {
    callbackId: VIEWS.guidance,
    title: 'Add guidance',
    submit: 'Send guidance',
    block: BLOCKS.addedGuidance,
    intro: 'Your guidance goes to the owner and backup by direct message and is kept with the case.',
  });
}

/** A modal asking a provider for guidance on one escalation (acknowledging it, or adding more). */
function guidanceFormModal(e: Escalation, c: Case, ctx: CaseModalContext, form: { callbackId: string; title: string; submit: string; block: string; intro: string }): ModalView {
  return modal({
    callbackId: form.callbackId,
    title: form.title,
    submit: form.submit,
    privateMetadata: encodeModalRef({ caseId: c.id, escalationId: e.id }),
    blocks: [
      context(caseLine(c, ctx.labelMode, ctx.laneLabel)),
      section(`Escalation: *${ESCALATION_LABELS[e.reason]}*. ${form.intro}`),
      input(form.block, 'Guidance for the coordinator', { type: 'plain_text_input', multiline: true, max_length: CASE_TEXT_MAX }),
    ],
  });
}

/** The lane's outreach script (SPEC §2), one numbered step per line; read-only. */
export function scriptModal(c: Case, ctx: CaseModalContext & { script: string }): ModalView {
  const steps = ctx.script
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => `*${i + 1}.* ${escapeMrkdwn(line)}`);
  return modal({
    callbackId: VIEWS.script,
    title: 'Outreach script',
    close: 'Done',
    privateMetadata: encodeModalRef({ caseId: c.id }),
    blocks: [
      context(caseLine(c, ctx.labelMode, ctx.laneLabel)),
      section(steps.join('\n\n') || 'This lane has no script yet; a manager can add one in the policy file.'),
      context('Identity check first; then the reason for the call, the next step in plain words, a teach-back, and an invitation to ask.'),
    ],
  });
}
