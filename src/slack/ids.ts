/**
 * Every action_id, callback_id and block_id CareBridge puts in Slack, in one place,
 * so builders and listeners cannot drift apart.
 */
import type { NoteInput } from '../domain/types';

export const ACTIONS = {
  // Case card (coordinators channel); the same buttons may appear wherever a case is shown.
  caseClaim: 'case_claim',
  caseAddNote: 'case_add_note',
  caseEscalate: 'case_escalate',
  caseClose: 'case_close',
  caseReassign: 'case_reassign',
  caseScript: 'case_script',
  caseViewDetails: 'case_view_details',
  caseReopen: 'case_reopen',
  // Escalation post (providers or managers channel)
  escalationAcknowledge: 'escalation_acknowledge',
} as const;

export const VIEWS = {
  // Case modals, opened from the case card
  note: 'case_note_modal',
  escalate: 'case_escalate_modal',
  close: 'case_close_modal',
  reassign: 'case_reassign_modal',
  script: 'case_script_modal',
  // Escalation post
  acknowledge: 'escalation_ack_modal',
} as const;

export const BLOCKS = {
  // Case card and escalation post
  cardActions: 'case_card_actions',
  escalationActions: 'escalation_actions',
  // Structured note modal (SPEC §4); each input's element uses its block id as action_id
  noteContactChannel: 'note_contact_channel',
  noteContactResult: 'note_contact_result',
  noteStatus: 'note_status',
  noteBarrier: 'note_barrier',
  noteBarrierText: 'note_barrier_text',
  noteUnderstanding: 'note_understanding',
  noteUnderstandingText: 'note_understanding_text',
  noteNextAction: 'note_next_action',
  noteResponsibleParty: 'note_responsible_party',
  noteResponsibleUser: 'note_responsible_user',
  noteTargetDate: 'note_target_date',
  noteEscalationReason: 'note_escalation_reason',
  noteEscalationText: 'note_escalation_text',
  noteChecklist: 'note_checklist',
  // Escalate modal
  escalateReason: 'escalate_reason',
  escalateText: 'escalate_text',
  // Close modal
  closeOutcome: 'close_outcome',
  closeReason: 'close_reason',
  closeLoop: 'close_loop',
  // Reassign modal
  reassignOwner: 'reassign_owner',
  reassignBackup: 'reassign_backup',
  // Acknowledge modal
  ackGuidance: 'ack_guidance',
} as const;

/** Where each structured-note field's errors are shown (domain FieldErrors key → input block_id). */
export const NOTE_FIELD_BLOCKS: Record<keyof NoteInput, string> = {
  contact: BLOCKS.noteContactChannel,
  status: BLOCKS.noteStatus,
  barrier: BLOCKS.noteBarrier,
  barrierText: BLOCKS.noteBarrierText,
  understanding: BLOCKS.noteUnderstanding,
  understandingText: BLOCKS.noteUnderstandingText,
  nextAction: BLOCKS.noteNextAction,
  responsibleParty: BLOCKS.noteResponsibleParty,
  responsibleUserId: BLOCKS.noteResponsibleUser,
  targetDate: BLOCKS.noteTargetDate,
  escalation: BLOCKS.noteEscalationReason,
  checklist: BLOCKS.noteChecklist,
};

/** Escalate modal: domain field → block_id. */
export const ESCALATE_FIELD_BLOCKS: Record<string, string> = { reason: BLOCKS.escalateReason, text: BLOCKS.escalateText };
/** Close modal: domain field → block_id. */
export const CLOSE_FIELD_BLOCKS: Record<string, string> = { outcome: BLOCKS.closeOutcome, reason: BLOCKS.closeReason, loopClosed: BLOCKS.closeLoop };
/** Reassign modal: domain field → block_id. */
export const REASSIGN_FIELD_BLOCKS: Record<string, string> = { ownerId: BLOCKS.reassignOwner, backupId: BLOCKS.reassignBackup };
/** Acknowledge modal: domain field → block_id. */
export const ACK_FIELD_BLOCKS: Record<string, string> = { guidance: BLOCKS.ackGuidance };
