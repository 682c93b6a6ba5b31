/**
 * The practice's vocabulary: lanes, tiers, triggers, case states, outcomes and the
 * structured note. Pure data; every other module speaks in these words.
 */

export const LANES = [
  'referral',
  'post_visit',
  'missed_appointment',
  'discharge',
  'prior_auth',
  'pre_visit',
  'preventive_recall',
  'monitoring',
] as const;
export type LaneKey = (typeof LANES)[number];

/** Tiers from most to least pressing. */
export const TIERS = ['urgent', 'high', 'routine', 'low'] as const;
export type Tier = (typeof TIERS)[number];

export const TRIGGERS = [
  'new_referral',
  'consult_completed',
  'abnormal_result',
  'missed_appointment',
  'hospital_discharge',
  'prior_auth_pending',
  'appointment_scheduled',
  'recall_due',
  'monitoring_enrolled',
  'readings_missed',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const VISIT_TYPES = ['new_patient', 'specialty_consult', 'follow_up', 'procedure', 'other'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

export const CASE_STATES = ['open', 'active', 'waiting', 'escalated', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];
/** Every state but closed: the cases still being worked. */
export const LIVE_STATES = ['open', 'active', 'waiting', 'escalated'] as const satisfies readonly CaseState[];

export const OUTCOMES = [
  'completed',
  'barrier_resolved',
  'escalated_handoff',
  'unreachable',
  'declined',
  'not_needed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ROLES = ['coordinator', 'provider', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const CONTACT_CHANNELS = ['phone', 'text', 'portal', 'email', 'letter', 'outside_office', 'in_person'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_RESULTS = [
  'reached',
  'left_voicemail',
  'no_answer',
  'wrong_number',
  'message_sent',
  'outside_office_responded',
] as const;
export type ContactResult = (typeof CONTACT_RESULTS)[number];

export const NOTE_STATUSES = [
  'on_track',
  'waiting_on_patient',
  'waiting_on_outside_office',
  'waiting_on_insurance',
  'blocked',
] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

export const BARRIERS = [
  'none',
  'fear_or_anxiety',
  'confusion',
  'transportation',
  'work_schedule',
  'technology',
  'language',
  'cost',
  'low_urgency_perception',
  'phone_tag',
  'insurance',
  'other',
] as const;
export type Barrier = (typeof BARRIERS)[number];

export const UNDERSTANDING = ['understands', 'partly', 'does_not_understand', 'not_reached'] as const;
export type Understanding = (typeof UNDERSTANDING)[number];

export const RESPONSIBLE_PARTIES = ['coordinator', 'patient', 'outside_office', 'provider', 'nurse', 'insurance'] as const;
export type ResponsibleParty = (typeof RESPONSIBLE_PARTIES)[number];

export const ESCALATION_REASONS = [
  'worsening_symptoms',
  'medication_confusion',
  'discharge_concern',
  'urgent_referral_delay',
  'repeated_failed_contact',
  'response_window_missed',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** Reasons a person may raise from a note or the Escalate modal; the rest are raised by the SLA sweep. */
export const MANUAL_ESCALATION_REASONS = ['worsening_symptoms', 'medication_confusion', 'discharge_concern'] as const;
export type ManualEscalationReason = (typeof MANUAL_ESCALATION_REASONS)[number];

export const PRE_VISIT_CHECKLIST = [
  'paperwork',
  'insurance',
  'preparation_instructions',
  'medication_list',
  'orders',
  'transportation',
  'interpreter',
  'telehealth_link_tested',
] as const;
export type PreVisitItem = (typeof PRE_VISIT_CHECKLIST)[number];

/** How a patient is named where patient fields may not go (SPEC §6): `PATIENT_LABEL`. */
export const PATIENT_LABELS = ['initials_mrn4', 'initials', 'none'] as const;
export type PatientLabelMode = (typeof PATIENT_LABELS)[number];

/** Who receives an escalation post. */
export type EscalationTarget = 'providers' | 'managers';

export interface Patient {
  mrn: string;
  name: string;
  phone?: string | null;
  dob?: string | null; // YYYY-MM-DD
}

/** A follow-up case as the domain sees it (all times are instants, dates are practice-calendar dates). */
export interface Case {
  id: number;
  /** Human-facing number, e.g. `FU-1042`. */
  number: string;
  externalId: string | null;
  lane: LaneKey;
  tier: Tier;
  state: CaseState;
  trigger: Trigger;
  occurredAt: Date;
  createdAt: Date;
  updatedAt: Date;
  patient: Patient;
  details: string | null;
  location: string | null;
  referringOffice: string | null;
  visitType: VisitType | null;
  appointmentAt: Date | null;
  ownerId: string | null;
  backupId: string | null;
  claimedAt: Date | null;
  /** First outreach attempt must be logged by this instant. */
  firstResponseDueAt: Date;
  /** The lane's resolution target (trigger to next-step completion). */
  resolutionDueAt: Date;
  /** When the first outreach attempt was logged; null until then. */
  firstResponseAt: Date | null;
  /** Latest next promised action (never patient-identifying by rule, but still note text: not for channel posts). */
  nextAction: string | null;
  /** Target date (YYYY-MM-DD, practice calendar) of the next promised action. */
  nextActionDue: string | null;
  /** Attempts in a row, up to now, that did not reach the patient. */
  consecutiveFailedAttempts: number;
  /** When an attempt last reached the patient; null if none has. */
  lastReachedAt: Date | null;
  /** After a failed patient attempt: when the next attempt is due (re-attempt cadence); null otherwise. */
  nextAttemptDueAt: Date | null;
  /** When an attempt was logged toward the current next step (after it was promised); null while none has. */
  nextActionAttemptedAt: Date | null;
  /** When a person last moved the case (see `isMovement`); its opening counts. */
  lastMovedAt: Date;
  closedAt: Date | null;
  outcome: Outcome | null;
  closeReason: string | null;
  /** For referral cases closed `completed`: was the referring office told the outcome? */
  loopClosed: boolean | null;
  /** Optimistic-concurrency version, bumped on every change. */
  version: number;
}

export interface ContactAttempt {
  channel: ContactChannel;
  result: ContactResult;
}

/** The structured note of SPEC §4, as entered (validated by `validateNote`). */
export interface NoteInput {
  contact: ContactAttempt | null;
  status: NoteStatus;
  barrier: Barrier;
  barrierText: string | null;
  understanding: Understanding;
  understandingText: string | null;
  nextAction: string | null;
  responsibleParty: ResponsibleParty;
  responsibleUserId: string | null;
  /** YYYY-MM-DD in the practice calendar. */
  targetDate: string | null;
  escalation: { reason: ManualEscalationReason; text: string } | null;
  /** Pre-visit readiness checklist items confirmed (pre_visit lane only). */
  checklist: PreVisitItem[] | null;
}

export interface Note extends NoteInput {
  id: number;
  caseId: number;
  authorId: string;
  createdAt: Date;
}

export interface Escalation {
  id: number;
  caseId: number;
  reason: EscalationReason;
  text: string | null;
  target: EscalationTarget;
  urgent: boolean;
  raisedBy: string; // user id, or 'carebridge' for automatic escalations
  raisedAt: Date;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  guidance: string | null;
  reraisedAt: Date | null;
}

/** Guidance a provider added to an acknowledged escalation (clinical text: details and DMs only). */
export interface Guidance {
  id: number;
  escalationId: number;
  caseId: number;
  authorId: string;
  text: string;
  addedAt: Date;
}

/** The acting user and the roles they hold at the moment of the action. */
export interface Actor {
  userId: string;
  roles: ReadonlySet<Role>;
}

/** The system itself (sweeps, intake). */
export const SYSTEM_ACTOR_ID = 'carebridge';

/** Field name → message, for errors answered inside a modal, an HTTP 400 or a CLI line. */
export type FieldErrors = Record<string, string>;

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Why an action on a case was refused; the message is safe to show the user. */
export type RefusalCode = 'forbidden' | 'invalid_state' | 'already_claimed' | 'invalid' | 'not_found' | 'conflict';
export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: string;
  errors?: FieldErrors;
}

/**
 * One entry of the append-only audit trail. `before`/`after` hold only the case
 * fields the action changed; never patient fields beyond what changed.
 */
export interface CaseEvent {
  action: CaseAction;
  actorId: string;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export type CaseAction =
  | 'opened'
  | 'claimed'
  | 'noted'
  | 'escalated'
  | 'escalation_acknowledged'
  | 'escalation_reraised'
  | 'guidance_added'
  | 'closed'
  | 'reopened'
  | 'reassigned'
  | 'details_viewed'
  | 'breach_alerted';
