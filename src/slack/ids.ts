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
  escalationAddGuidance: 'escalation_add_guidance',
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
  guidance: 'escalation_guidance_modal',
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
  addedGuidance: 'added_guidance',
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
export const GUIDANCE_FIELD_BLOCKS: Record<string, string> = { guidance: BLOCKS.addedGuidance };

// ── /followup, the message shortcut, the new-case modal and App Home ──

/** The slash command (manifest.yml declares the same). */
export const COMMAND = '/followup';

/** Shortcut callback ids (manifest.yml declares the same). */
export const SHORTCUTS = {
  createFromMessage: 'create_followup_from_message',
} as const;

/** New-case modal: its callback id and input blocks; each input's element uses its block id as action_id. */
export const NEW_CASE = {
  view: 'new_case_modal',
  /** The confirmation the modal turns into once the case is open (no inputs, never submitted). */
  opened: 'new_case_opened',
  trigger: 'new_case_trigger',
  occurredAt: 'new_case_occurred_at',
  mrn: 'new_case_mrn',
  name: 'new_case_name',
  phone: 'new_case_phone',
  dob: 'new_case_dob',
  priority: 'new_case_priority',
  visitType: 'new_case_visit_type',
  appointmentAt: 'new_case_appointment_at',
  referringOffice: 'new_case_referring_office',
  location: 'new_case_location',
  details: 'new_case_details',
} as const;

/** New-case modal: trigger-event field (validateTriggerEvent's error keys) → block_id. */
export const NEW_CASE_FIELD_BLOCKS: Record<string, string> = {
  trigger: NEW_CASE.trigger,
  occurredAt: NEW_CASE.occurredAt,
  'patient.mrn': NEW_CASE.mrn,
  'patient.name': NEW_CASE.name,
  'patient.phone': NEW_CASE.phone,
  'patient.dob': NEW_CASE.dob,
  priority: NEW_CASE.priority,
  visitType: NEW_CASE.visitType,
  appointmentAt: NEW_CASE.appointmentAt,
  referringOffice: NEW_CASE.referringOffice,
  location: NEW_CASE.location,
  details: NEW_CASE.details,
};

/** App Home blocks. */
export const HOME = {
  header: 'home_header',
  queueFigures: 'home_queue_figures',
  mine: 'home_mine',
  unclaimed: 'home_unclaimed',
  overdue: 'home_overdue',
  stale: 'home_stale',
  providerPending: 'home_provider_pending',
  providerAcknowledged: 'home_provider_acknowledged',
} as const;
