/**
 * The structured note of SPEC §4: validation of what a coordinator entered, and
 * the few facts other modules read from a contact attempt.
 *
 * Input arrives from Slack modals, HTTP and tests, so every field is checked at
 * run time even though the parameter is typed: a `Partial<NoteInput>` may carry
 * values no TypeScript caller would write.
 */
import {
  BARRIERS,
  CONTACT_CHANNELS,
  CONTACT_RESULTS,
  MANUAL_ESCALATION_REASONS,
  NOTE_STATUSES,
  PRE_VISIT_CHECKLIST,
  RESPONSIBLE_PARTIES,
  UNDERSTANDING,
  type ContactAttempt,
  type FieldErrors,
  type LaneKey,
  type NoteInput,
  type Result,
} from './types';

/** What validation needs to know beyond the note itself. */
export interface NoteContext {
  lane: LaneKey;
  /** Today in the practice calendar, `YYYY-MM-DD`. */
  today: string;
  /** True when the note is part of closing the case (next action and target date become optional). */
  closing: boolean;
}

/** Longest next promised action: it is shown on cards and reminders, so it stays short. */
export const NEXT_ACTION_MAX = 500;
/** Longest free text elsewhere in a note (barrier, understanding, escalation text). */
export const NOTE_TEXT_MAX = 2000;
/** How far ahead a target date may be set, in calendar days. */
export const TARGET_DATE_MAX_DAYS = 90;

const DAY_MS = 86_400_000;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Validates a structured note. On success the value is normalised: texts
 * trimmed (blank → null), the checklist de-duplicated in canonical order (and
 * null outside the pre-visit lane), next action and target date kept only when
 * given. Every problem is reported at once, keyed by `NoteInput` field name.
 */
export function validateNote(input: Partial<NoteInput>, ctx: NoteContext): Result<NoteInput> {
  const errors: FieldErrors = {};
  const fail = (field: keyof NoteInput, message: string): void => {
    errors[field] ??= message;
  };

  const contact = readContact(input.contact, fail);

  const status = oneOf(NOTE_STATUSES, input.status);
  if (!status) fail('status', 'Choose a status.');

  const barrier = oneOf(BARRIERS, input.barrier);
  if (!barrier) fail('barrier', 'Choose a barrier, or "None".');
  const barrierText = readText(input.barrierText, NOTE_TEXT_MAX, 'barrierText', fail);
  if (barrier === 'other' && barrierText === null && !errors.barrierText) {
    fail('barrierText', 'Describe the barrier when you choose "Other".');
  }

  const understanding = oneOf(UNDERSTANDING, input.understanding);
  if (!understanding) fail('understanding', "Choose the patient's understanding.");
  // A note that says the patient was reached but "not reached" for understanding
  // contradicts itself, and the weekly figures would count it both ways.
  if (understanding === 'not_reached' && contact?.result === 'reached') {
    fail('understanding', 'You reached the patient: record how well they understood.');
  }
  const understandingText = readText(input.understandingText, NOTE_TEXT_MAX, 'understandingText', fail);

  const nextAction = readText(input.nextAction, NEXT_ACTION_MAX, 'nextAction', fail);
  if (nextAction === null && !ctx.closing && !errors.nextAction) {
    fail('nextAction', 'Say what happens next.');
  }

  const responsibleParty = oneOf(RESPONSIBLE_PARTIES, input.responsibleParty);
  if (!responsibleParty) fail('responsibleParty', 'Choose who is responsible for the next step.');
  const responsibleUserId = readUserId(input.responsibleUserId, fail);

  const targetDate = readTargetDate(input.targetDate, ctx, fail);
  const escalation = readEscalation(input.escalation, fail);
  const checklist = ctx.lane === 'pre_visit' ? readChecklist(input.checklist, fail) : null;

  if (Object.keys(errors).length > 0 || !status || !barrier || !understanding || !responsibleParty) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      contact,
      status,
      barrier,
      barrierText,
      understanding,
      understandingText,
      nextAction,
      responsibleParty,
      responsibleUserId,
      targetDate,
      escalation,
      checklist,
    },
  };
}

/**
 * True when the attempt reached the patient. An outside office responding is a
 * response from the office, not contact with the patient, so it is not "reached".
 */
export function isAttemptReached(a: ContactAttempt): boolean {
  return a.result === 'reached';
}

/**
 * True when the attempt was outreach to the patient. Calls to or answers from an
 * outside office are not, so they neither count toward "repeated failed contact"
 * nor toward the attempts that justify closing a case `unreachable`.
 */
export function isPatientOutreach(a: ContactAttempt): boolean {
  return a.channel !== 'outside_office' && a.result !== 'outside_office_responded';
}

type Fail = (field: keyof NoteInput, message: string) => void;

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Optional free text: trimmed, blank → null, too long → error. */
function readText(value: unknown, max: number, field: keyof NoteInput, fail: Fail): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    fail(field, 'Enter text here.');
    return null;
  }
  const text = value.trim();
  if (text.length > max) fail(field, `Keep this under ${max} characters (it has ${text.length}).`);
  return text === '' ? null : text;
}

function readContact(value: unknown, fail: Fail): ContactAttempt | null {
  if (value === undefined || value === null) return null;
  const raw = (typeof value === 'object' ? value : {}) as Partial<Record<keyof ContactAttempt, unknown>>;
  const channel = oneOf(CONTACT_CHANNELS, raw.channel);
  const result = oneOf(CONTACT_RESULTS, raw.result);
  if (!channel || !result) {
    fail('contact', 'Choose both how you reached out and the result, or neither.');
    return null;
  }
  // Only a phone takes a voicemail; anything else is a mis-click worth catching.
  if (result === 'left_voicemail' && channel !== 'phone') {
    fail('contact', 'A voicemail can only be left by phone.');
    return null;
  }
  return { channel, result };
}

function readUserId(value: unknown, fail: Fail): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !SLACK_USER_ID.test(value)) {
    fail('responsibleUserId', 'Pick a person from Slack.');
    return null;
  }
  return value;
}

function readTargetDate(value: unknown, ctx: NoteContext, fail: Fail): string | null {
  if (value === undefined || value === null || value === '') {
    if (!ctx.closing) fail('targetDate', 'Choose a target date for the next action.');
    return null;
  }
  const days = typeof value === 'string' ? daysBetween(ctx.today, value) : null;
  if (days === null) {
    fail('targetDate', 'Enter the target date as YYYY-MM-DD.');
    return null;
  }
  if (days < 0) fail('targetDate', 'The target date cannot be in the past.');
  else if (days > TARGET_DATE_MAX_DAYS) {
    fail('targetDate', `The target date must be within ${TARGET_DATE_MAX_DAYS} days.`);
  }
  return value as string;
}

function readEscalation(value: unknown, fail: Fail): NoteInput['escalation'] {
  // Absent means "no escalation": the modal's escalation question defaults to "No".
  if (value === undefined || value === null) return null;
  const raw = (typeof value === 'object' ? value : {}) as { reason?: unknown; text?: unknown };
  const reason = oneOf(MANUAL_ESCALATION_REASONS, raw.reason);
  if (!reason) {
    fail('escalation', 'Choose an escalation reason, or "No".');
    return null;
  }
  const text = typeof raw.text === 'string' ? raw.text.trim() : '';
  if (text === '') {
    fail('escalation', 'Describe why this needs escalating.');
    return null;
  }
  if (text.length > NOTE_TEXT_MAX) {
    fail('escalation', `Keep the escalation text under ${NOTE_TEXT_MAX} characters (it has ${text.length}).`);
    return null;
  }
  return { reason, text };
}

function readChecklist(value: unknown, fail: Fail): NoteInput['checklist'] {
  // An empty checklist is a fact ("nothing confirmed yet"), so pre-visit notes always carry one.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => oneOf(PRE_VISIT_CHECKLIST, item))) {
    fail('checklist', 'Pick checklist items from the list.');
    return null;
  }
  return PRE_VISIT_CHECKLIST.filter((item) => value.includes(item));
}

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD`), or null if `to` is not a real date. */
function daysBetween(from: string, to: string): number | null {
  const a = parseDate(from);
  const b = parseDate(to);
  if (a === null) throw new Error(`NoteContext.today is not a YYYY-MM-DD date: ${from}`);
  return b === null ? null : Math.round((b - a) / DAY_MS);
}

function parseDate(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Date.UTC rolls 2025-02-30 over to March; a real date survives the round trip.
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : null;
}
