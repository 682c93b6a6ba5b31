import { z } from 'zod';
import { TIERS, TRIGGERS, VISIT_TYPES, type Patient, type Result, type Tier, type Trigger, type VisitType } from './types';

/**
 * A trigger event: the fact that starts a case, from the EHR, a CSV row, or a
 * coordinator's new-case modal (SPEC §10 intake body).
 */
export interface TriggerEvent {
  externalId: string | null;
  trigger: Trigger;
  occurredAt: Date;
  patient: Patient;
  priority: Tier | null;
  visitType: VisitType | null;
  appointmentAt: Date | null;
  details: string | null;
  location: string | null;
  referringOffice: string | null;
}

const YEAR_MS = 366 * 24 * 3600 * 1000;
/** Clocks of other systems drift; a few minutes ahead of ours is not "in the future". */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const isoWithOffset = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with an offset, e.g. 2026-11-27T09:30:00-05:00' });
// NUL cannot be stored in PostgreSQL text, and other control characters only garble
// Slack posts and CSV exports; line breaks are allowed only in free text (details).
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAKS = /[\r\n]/;
const textOf = (whenMissing: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? whenMissing : 'must be text') });
const singleLine = (s: z.ZodString) =>
  s.refine((v) => !CONTROL_CHARS.test(v) && !LINE_BREAKS.test(v), { error: 'must be one line without control characters' });
const requiredLine = (whenMissing: string, max: number) =>
  singleLine(z.string(textOf(whenMissing)).trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` }));
const optionalText = (max: number, multiline = false) => {
  const base = z.string({ error: 'must be text' }).trim().max(max, { error: `must be at most ${max} characters` });
  return (multiline ? base.refine((v) => !CONTROL_CHARS.test(v), { error: 'must not contain control characters' }) : singleLine(base))
    .nullish()
    .transform((v) => (v ? v : null));
};

const schema = z.object({
  externalId: requiredLine('required: the source system\'s unique id for this event', 200).nullish(),
  trigger: z.enum(TRIGGERS, { error: `must be one of ${TRIGGERS.join(', ')}` }),
  occurredAt: isoWithOffset,
  patient: z.object(
    {
      mrn: requiredLine('required: the medical record number', 64),
      name: requiredLine('required: the patient\'s name', 200),
      phone: z
        .string({ error: 'must be text' })
        .trim()
        .regex(/^[+()\d\s.-]{7,25}$/, { error: 'must be a phone number (digits, spaces, + ( ) . -)' })
        .nullish()
        .or(z.literal('')),
      dob: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).nullish().or(z.literal('')),
    },
    { error: 'required: { mrn, name, phone?, dob? }' },
  ),
  priority: z.enum(TIERS, { error: `must be one of ${TIERS.join(', ')}` }).nullish(),
  visitType: z.enum(VISIT_TYPES, { error: `must be one of ${VISIT_TYPES.join(', ')}` }).nullish(),
  appointmentAt: isoWithOffset.nullish(),
  details: optionalText(4000, true),
  location: optionalText(100),
  referringOffice: optionalText(200),
});

export interface TriggerEventOptions {
  now: Date;
  /** Intake and CSV rows must name their source id; a coordinator's modal need not. */
  requireExternalId: boolean;
}

/** Validates and normalises a trigger event; every problem is reported, keyed by field path. */
export function validateTriggerEvent(raw: unknown, options: TriggerEventOptions): Result<TriggerEvent> {
  const parsed = schema.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || 'body';
      // zod does not report the input, so look it up: only an absent field is "required".
      const absent = issue.path.length > 0 && valueAt(raw, issue.path) === undefined;
      if (issue.path.length === 0) errors[key] ??= 'must be a JSON object with the trigger event fields';
      else errors[key] ??= issue.code === 'invalid_type' && absent && !issue.message.startsWith('required') ? 'required' : issue.message;
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  const occurredAt = new Date(v.occurredAt);
  const appointmentAt = v.appointmentAt ? new Date(v.appointmentAt) : null;
  if (options.requireExternalId && !v.externalId) errors.externalId = 'required: the source system\'s unique id for this event';
  if (occurredAt.getTime() > options.now.getTime() + CLOCK_SKEW_MS) errors.occurredAt = 'must not be in the future';
  else if (occurredAt.getTime() < options.now.getTime() - YEAR_MS) errors.occurredAt = 'must be within the last year';
  if (v.trigger === 'appointment_scheduled' && !appointmentAt) errors.appointmentAt = 'required for appointment_scheduled (the appointment time)';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      externalId: v.externalId ?? null,
      trigger: v.trigger,
      occurredAt,
      patient: { mrn: v.patient.mrn, name: v.patient.name, phone: v.patient.phone || null, dob: v.patient.dob || null },
      priority: v.priority ?? null,
      visitType: v.visitType ?? null,
      appointmentAt,
      details: v.details,
      location: v.location,
      referringOffice: v.referringOffice,
    },
  };
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
