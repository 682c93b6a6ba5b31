/**
 * The new-case modal (`/followup new` and the "Create follow-up from message"
 * shortcut). Lane-specific inputs appear only for the trigger that uses them: the
 * trigger select dispatches an action and the modal is rebuilt from what was
 * entered. The title and private_metadata never carry patient data (SPEC §6);
 * entered values live only in the inputs.
 */
import type { types } from '@slack/bolt';
import type { PatientLabelMode } from '../../domain/types';
import { laneForTrigger, TIER_LABELS, type Policy } from '../../domain/policy';
import { LANES, TIERS, VISIT_TYPES, type Case, type Trigger } from '../../domain/types';
import { NEW_CASE } from '../ids';
import { escapeMrkdwn, formatPracticeTime } from './format';
import { context, modal, option, optionsOf, plain, section, type KnownBlock, type ModalView } from './kit';
import { VISIT_TYPE_LABELS } from '../../domain/labels';
import { patientLabel } from './patient-label';

/** How each trigger event reads in the modal. */
export const TRIGGER_LABELS: Record<Trigger, string> = {
  new_referral: 'New referral',
  consult_completed: 'Consult completed',
  abnormal_result: 'Abnormal result',
  missed_appointment: 'Missed appointment',
  hospital_discharge: 'Hospital discharge',
  prior_auth_pending: 'Prior authorization pending',
  appointment_scheduled: 'Appointment scheduled',
  recall_due: 'Preventive recall due',
  monitoring_enrolled: 'Monitoring enrolled',
  readings_missed: 'Monitoring readings missed',
};

/** What the coordinator entered (or what a message prefilled); every field may be missing. */
export interface NewCaseValues {
  trigger?: string | null;
  occurredAt?: Date | null;
  mrn?: string | null;
  name?: string | null;
  phone?: string | null;
  dob?: string | null;
  priority?: string | null;
  visitType?: string | null;
  appointmentAt?: Date | null;
  referringOffice?: string | null;
  location?: string | null;
  details?: string | null;
}

/** plain_text_input holds at most 3000 characters; a longer message is cut. */
export const DETAILS_MAX = 3000;

export interface NewCaseModalInput {
  policy: Policy;
  values: NewCaseValues;
  /** Opaque, PHI-free context carried through the submission (e.g. the channel acted in). */
  privateMetadata?: string;
}

/** Which lane-specific inputs a trigger needs. */
export function laneFieldsFor(policy: Policy, trigger: string | null | undefined): { visitType: boolean; appointmentAt: boolean; referringOffice: boolean } {
  const known = trigger && (Object.keys(TRIGGER_LABELS) as string[]).includes(trigger) ? (trigger as Trigger) : null;
  const lane = known ? laneForTrigger(policy, known) : null;
  return {
    visitType: known === 'missed_appointment',
    appointmentAt: known === 'appointment_scheduled' || lane === 'pre_visit',
    referringOffice: lane === 'referral',
  };
}

/** The new-case modal showing `values`; rebuilt with the entered values when the trigger changes. */
export function newCaseModal(input: NewCaseModalInput): ModalView {
  const { policy, values: v } = input;
  const extra = laneFieldsFor(policy, v.trigger);
  const known = v.trigger && v.trigger in TRIGGER_LABELS ? (v.trigger as Trigger) : null;
  const blocks: KnownBlock[] = [
    triggerInput(policy, known),
    ...(known ? [context(`Lane: *${policy.lanes[laneForTrigger(policy, known)].label}* · default tier ${TIER_LABELS[policy.lanes[laneForTrigger(policy, known)].defaultTier]}`)] : []),
    dateTimeInput(NEW_CASE.occurredAt, 'When it happened', v.occurredAt ?? null, false, 'The SLA clock starts here, not when the case is entered.'),
    textInput(NEW_CASE.mrn, 'Patient MRN', v.mrn, { max: 64 }),
    textInput(NEW_CASE.name, 'Patient name', v.name, { max: 200 }),
    textInput(NEW_CASE.phone, 'Phone', v.phone, { optional: true, max: 25 }),
    dateInput(NEW_CASE.dob, 'Date of birth', v.dob ?? null),
    selectInput(NEW_CASE.priority, 'Priority', optionsOf(TIERS, TIER_LABELS), v.priority, "Leave empty for the lane's default tier; a priority can raise it, never lower it."),
    ...(extra.visitType ? [selectInput(NEW_CASE.visitType, 'Visit type', optionsOf(VISIT_TYPES, VISIT_TYPE_LABELS), v.visitType, 'A missed new-patient visit or specialty consult is urgent.')] : []),
    ...(extra.appointmentAt ? [dateTimeInput(NEW_CASE.appointmentAt, 'Appointment time', v.appointmentAt ?? null, false, 'Readiness is due 2 business days before it.')] : []),
    ...(extra.referringOffice ? [textInput(NEW_CASE.referringOffice, 'Referring office', v.referringOffice, { optional: true, max: 200 })] : []),
    textInput(NEW_CASE.location, 'Location', v.location, { optional: true, max: 100 }),
    textInput(NEW_CASE.details, 'Details', v.details ? v.details.slice(0, DETAILS_MAX) : null, { optional: true, multiline: true, max: DETAILS_MAX }),
  ];
  return modal({ callbackId: NEW_CASE.view, title: 'New follow-up case', submit: 'Open case', blocks, privateMetadata: input.privateMetadata ?? '' });
}

function triggerInput(policy: Policy, selected: Trigger | null): KnownBlock {
  const groups = LANES.map((lane) => ({
    label: plain(policy.lanes[lane].label, 75),
    options: policy.lanes[lane].triggers.map((t) => option(t, TRIGGER_LABELS[t])),
  })).filter((g) => g.options.length > 0);
  const all = groups.flatMap((g) => g.options);
  const initial = selected ? all.find((o) => o.value === selected) : undefined;
  return {
    type: 'input',
    block_id: NEW_CASE.trigger,
    dispatch_action: true,
    label: plain('What happened'),
    element: {
      type: 'static_select',
      action_id: NEW_CASE.trigger,
      placeholder: plain('Choose the trigger (it sets the lane)', 150),
      option_groups: groups,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

function textInput(blockId: string, label: string, value: string | null | undefined, o: { optional?: boolean; multiline?: boolean; max: number }): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: o.optional ?? false,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      multiline: o.multiline ?? false,
      max_length: o.max,
      ...(value ? { initial_value: value.slice(0, o.max) } : {}),
    },
  };
}

function selectInput(blockId: string, label: string, options: types.PlainTextOption[], value: string | null | undefined, hint: string): KnownBlock {
  const initial = options.find((o) => o.value === value);
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    hint: plain(hint),
    element: { type: 'static_select', action_id: blockId, placeholder: plain('Choose', 150), options, ...(initial ? { initial_option: initial } : {}) },
  };
}

function dateTimeInput(blockId: string, label: string, at: Date | null, optional: boolean, hint: string): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label),
    hint: plain(hint),
    element: { type: 'datetimepicker', action_id: blockId, ...(at ? { initial_date_time: Math.floor(at.getTime() / 1000) } : {}) },
  };
}

function dateInput(blockId: string, label: string, date: string | null): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    element: { type: 'datepicker', action_id: blockId, ...(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { initial_date: date } : {}) },
  };
}

export interface NewCaseOpenedInput {
  policy: Policy;
  labelMode: PatientLabelMode;
  coordinatorsChannel: string;
  /** False when this submission repeated one that already opened the case. */
  created: boolean;
}

/** What the modal turns into once the case is open: number, lane, tier, due time and the patient label only. */
export function newCaseOpenedView(c: Case, input: NewCaseOpenedInput): ModalView {
  const label = patientLabel(c.patient, input.labelMode);
  const lines = [
    `*${c.number}* is open${input.created ? '' : ' (already opened by this form)'}: *${escapeMrkdwn(input.policy.lanes[c.lane].label)}* · ${TIER_LABELS[c.tier]}${label ? ` · patient \`${escapeMrkdwn(label)}\`` : ''}`,
    `First response due ${formatPracticeTime(c.firstResponseDueAt, input.policy.calendar)}.`,
    `Its card is posted in <#${input.coordinatorsChannel}>: claim it there.`,
  ];
  return modal({ callbackId: NEW_CASE.opened, title: 'Case opened', blocks: [section(lines.join('\n'))], close: 'Done' });
}
