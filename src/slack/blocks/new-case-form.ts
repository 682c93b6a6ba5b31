/**
 * The new-case modal's submitted state, read back and checked: values out of Slack's
 * view state, the intake-shaped body validateTriggerEvent checks, and its field
 * errors keyed by the input block that shows them.
 */
import type { Policy } from '../../domain/policy';
import type { Tier, VisitType } from '../../domain/types';
import { NEW_CASE, NEW_CASE_FIELD_BLOCKS } from '../ids';
import { laneFieldsFor, type NewCaseValues } from './new-case-modal';

type StateValues = Record<string, Record<string, { type?: string; value?: string | null; selected_option?: { value?: string } | null; selected_date?: string | null; selected_date_time?: number | null }>>;

/** Reads the modal's state (view.state.values) back into values; anything absent is null. */
export function readNewCaseValues(state: unknown): NewCaseValues {
  const values = (state && typeof state === 'object' ? state : {}) as StateValues;
  const el = (id: string) => values[id]?.[id];
  const text = (id: string) => {
    const v = el(id)?.value;
    return typeof v === 'string' ? v : null;
  };
  const selected = (id: string) => {
    const v = el(id)?.selected_option?.value;
    return typeof v === 'string' ? v : null;
  };
  const at = (id: string) => {
    const s = el(id)?.selected_date_time;
    return typeof s === 'number' && Number.isFinite(s) ? new Date(s * 1000) : null;
  };
  const date = el(NEW_CASE.dob)?.selected_date;
  return {
    trigger: selected(NEW_CASE.trigger),
    occurredAt: at(NEW_CASE.occurredAt),
    mrn: text(NEW_CASE.mrn),
    name: text(NEW_CASE.name),
    phone: text(NEW_CASE.phone),
    dob: typeof date === 'string' ? date : null,
    priority: selected(NEW_CASE.priority),
    visitType: selected(NEW_CASE.visitType),
    appointmentAt: at(NEW_CASE.appointmentAt),
    referringOffice: text(NEW_CASE.referringOffice),
    location: text(NEW_CASE.location),
    details: text(NEW_CASE.details),
  };
}

/**
 * The intake-shaped body validateTriggerEvent checks. Inputs the modal does not show
 * for this trigger are left out, so a value entered before the trigger changed is
 * not saved unseen.
 */
export function triggerEventBody(policy: Policy, v: NewCaseValues, externalId: string): Record<string, unknown> {
  const extra = laneFieldsFor(policy, v.trigger);
  const body: Record<string, unknown> = {
    externalId,
    trigger: v.trigger ?? undefined,
    occurredAt: v.occurredAt?.toISOString(),
    patient: { mrn: v.mrn ?? undefined, name: v.name ?? undefined, phone: v.phone, dob: v.dob },
    priority: v.priority as Tier | null,
    details: v.details,
    location: v.location,
  };
  if (extra.visitType) body.visitType = v.visitType as VisitType | null;
  if (extra.appointmentAt) body.appointmentAt = v.appointmentAt?.toISOString() ?? null;
  if (extra.referringOffice) body.referringOffice = v.referringOffice;
  return body;
}

/**
 * Field errors keyed by the input block that shows them (`response_action: 'errors'`).
 * An error for an input not in the view (Slack rejects unknown block ids) is shown
 * on the trigger input, which every version of the modal has.
 */
export function newCaseErrors(errors: Record<string, string>, shownBlocks: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (block: string, message: string) => {
    out[block] = out[block] ? `${out[block]}; ${message}` : message;
  };
  for (const [field, message] of Object.entries(errors)) {
    const block = NEW_CASE_FIELD_BLOCKS[field];
    if (block && shownBlocks.has(block)) add(block, message);
    else add(NEW_CASE.trigger, `${FIELD_WORDS[field] ?? field}: ${message}`);
  }
  return out;
}

const FIELD_WORDS: Record<string, string> = {
  visitType: 'Visit type',
  appointmentAt: 'Appointment time',
  referringOffice: 'Referring office',
  patient: 'Patient',
  externalId: 'Submission',
  body: 'Submission',
};
