/**
 * Words people read for the domain's values, in the same vocabulary as SPEC §3–§4.
 * One table per value set, so cards, modals, posts and reports say the same thing.
 */
import type {
  Barrier,
  CaseState,
  ContactChannel,
  ContactResult,
  NoteStatus,
  Outcome,
  PreVisitItem,
  ResponsibleParty,
  Understanding,
  VisitType,
} from './types';

export const STATE_LABELS: Record<CaseState, string> = {
  open: 'Open',
  active: 'Active',
  waiting: 'Waiting',
  escalated: 'Escalated',
  closed: 'Closed',
};

export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  phone: 'Phone',
  text: 'Text message',
  portal: 'Patient portal',
  email: 'Email',
  letter: 'Letter',
  outside_office: 'Outside office',
  in_person: 'In person',
};

export const CONTACT_RESULT_LABELS: Record<ContactResult, string> = {
  reached: 'Reached',
  left_voicemail: 'Left voicemail',
  no_answer: 'No answer',
  wrong_number: 'Wrong number',
  message_sent: 'Message sent',
  outside_office_responded: 'Outside office responded',
};

export const NOTE_STATUS_LABELS: Record<NoteStatus, string> = {
  on_track: 'On track',
  waiting_on_patient: 'Waiting on patient',
  waiting_on_outside_office: 'Waiting on outside office',
  waiting_on_insurance: 'Waiting on insurance',
  blocked: 'Blocked',
};

export const BARRIER_LABELS: Record<Barrier, string> = {
  none: 'None',
  fear_or_anxiety: 'Fear or anxiety',
  confusion: 'Confusion',
  transportation: 'Transportation',
  work_schedule: 'Work schedule',
  technology: 'Technology',
  language: 'Language',
  cost: 'Cost',
  low_urgency_perception: 'Low urgency perception',
  phone_tag: 'Phone tag',
  insurance: 'Insurance',
  other: 'Other',
};

export const UNDERSTANDING_LABELS: Record<Understanding, string> = {
  understands: 'Understands',
  partly: 'Partly understands',
  does_not_understand: 'Does not understand',
  not_reached: 'Not reached',
};

export const RESPONSIBLE_PARTY_LABELS: Record<ResponsibleParty, string> = {
  coordinator: 'Coordinator',
  patient: 'Patient',
  outside_office: 'Outside office',
  provider: 'Provider',
  nurse: 'Nurse',
  insurance: 'Insurance',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  completed: 'Completed',
  barrier_resolved: 'Barrier resolved',
  escalated_handoff: 'Handed to clinical team',
  unreachable: 'Unreachable',
  declined: 'Declined',
  not_needed: 'Not needed',
};

/** One-line explanations shown under each outcome in the close modal (≤ 75 characters each). */
export const OUTCOME_DESCRIPTIONS: Record<Outcome, string> = {
  completed: 'The next step is done (scheduled, attended, enrolled, decided…)',
  barrier_resolved: 'The barrier is removed and the patient owns the next step',
  escalated_handoff: 'Formally handed to the clinical team after acknowledgement',
  unreachable: 'At least 3 attempts on at least 2 channels without reaching them',
  declined: 'The patient declined, documented',
  not_needed: 'Duplicate, care obtained elsewhere, deceased or moved',
};

export const CHECKLIST_LABELS: Record<PreVisitItem, string> = {
  paperwork: 'Paperwork',
  insurance: 'Insurance',
  preparation_instructions: 'Preparation instructions',
  medication_list: 'Medication list',
  orders: 'Imaging or lab orders',
  transportation: 'Transportation',
  interpreter: 'Interpreter',
  telehealth_link_tested: 'Telehealth link tested',
};

export const VISIT_TYPE_LABELS: Record<VisitType, string> = {
  new_patient: 'New patient',
  specialty_consult: 'Specialty consult',
  follow_up: 'Follow-up',
  procedure: 'Procedure',
  other: 'Other',
};
