import { describe, expect, it } from 'vitest';
import { isAttemptReached, isPatientOutreach, validateNote, type NoteContext } from '../../src/domain/notes';
import { CONTACT_CHANNELS, CONTACT_RESULTS, type NoteInput } from '../../src/domain/types';
import { buildNote } from '../support/case-builder';

const ctx: NoteContext = { lane: 'referral', today: '2025-03-05', closing: false };
const closing: NoteContext = { ...ctx, closing: true };

/** Runs validation and returns the error map (empty when valid). */
function errorsOf(input: Partial<NoteInput>, c: NoteContext = ctx): Record<string, string> {
  const r = validateNote(input, c);
  return r.ok ? {} : r.errors;
}

function valueOf(input: Partial<NoteInput>, c: NoteContext = ctx): NoteInput {
  const r = validateNote(input, c);
  if (!r.ok) throw new Error(`expected a valid note, got ${JSON.stringify(r.errors)}`);
  return r.value;
}

describe('validateNote: a complete note', () => {
  it('accepts a valid note and returns it normalised', () => {
    expect(valueOf(buildNote({ targetDate: '2025-03-06' }))).toEqual(buildNote({ targetDate: '2025-03-06' }));
  });

  it('reports every problem at once, keyed by field name', () => {
    const errors = errorsOf({});
    expect(Object.keys(errors).sort()).toEqual(
      ['barrier', 'nextAction', 'responsibleParty', 'status', 'targetDate', 'understanding'].sort(),
    );
    for (const message of Object.values(errors)) expect(message).toMatch(/^[A-Z].*\.$/);
  });
});

describe('validateNote: required choices', () => {
  it.each([
    ['status', undefined],
    ['status', 'sleeping'],
    ['barrier', undefined],
    ['barrier', 'gremlins'],
    ['understanding', null],
    ['understanding', 'fully'],
    ['responsibleParty', undefined],
    ['responsibleParty', 'janitor'],
  ] as const)('refuses %s = %s', (field, value) => {
    const errors = errorsOf({ ...buildNote(), [field]: value });
    expect(Object.keys(errors)).toEqual([field]);
  });
});

describe('validateNote: barrier', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['   ', false],
    ['Needs a ride from the senior centre', true],
  ])('"other" with barrierText %j → valid %s', (barrierText, valid) => {
    const errors = errorsOf(buildNote({ barrier: 'other', barrierText: barrierText as string }));
    expect(Object.keys(errors)).toEqual(valid ? [] : ['barrierText']);
  });

  it('trims barrier text and keeps it as detail for other barriers', () => {
    expect(valueOf(buildNote({ barrier: 'transportation', barrierText: '  bus route cut  ' })).barrierText).toBe('bus route cut');
  });

  it('refuses barrier text over 2000 characters', () => {
    expect(errorsOf(buildNote({ barrier: 'other', barrierText: 'x'.repeat(2001) }))).toHaveProperty('barrierText');
    expect(errorsOf(buildNote({ barrier: 'other', barrierText: 'x'.repeat(2000) }))).toEqual({});
  });
});

describe('validateNote: understanding', () => {
  it('refuses "not reached" when the contact reached the patient', () => {
    expect(Object.keys(errorsOf(buildNote({ understanding: 'not_reached' })))).toEqual(['understanding']);
  });

  it('accepts "not reached" for an attempt that did not reach the patient', () => {
    const note = buildNote({ contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached' });
    expect(errorsOf(note)).toEqual({});
  });

  it('trims optional understanding text, blank → null, and limits it to 2000 characters', () => {
    expect(valueOf(buildNote({ understandingText: '  repeats the plan back  ' })).understandingText).toBe('repeats the plan back');
    expect(valueOf(buildNote({ understandingText: '   ' })).understandingText).toBeNull();
    expect(errorsOf(buildNote({ understandingText: 'y'.repeat(2001) }))).toHaveProperty('understandingText');
  });
});

describe('validateNote: next action', () => {
  it.each([
    [ctx, null, ['nextAction']],
    [ctx, '  ', ['nextAction']],
    [ctx, 'a'.repeat(500), []],
    [ctx, 'a'.repeat(501), ['nextAction']],
    [closing, null, []],
    [closing, 'a'.repeat(501), ['nextAction']],
  ])('row %#', (c, nextAction, fields) => {
    expect(Object.keys(errorsOf(buildNote({ nextAction: nextAction as string | null }), c))).toEqual(fields);
  });

  it('trims the next action', () => {
    expect(valueOf(buildNote({ nextAction: '  Call back Friday ' })).nextAction).toBe('Call back Friday');
  });
});

describe('validateNote: target date (today 2025-03-05)', () => {
  const rows: [string | null, string, boolean][] = [
    ['2025-03-05', 'today', true],
    ['2025-03-04', 'yesterday', false],
    ['2025-06-03', '+90 days', true],
    ['2025-06-04', '+91 days', false],
    ['2025-02-30', 'not a real date', false],
    ['2025-3-6', 'wrong format', false],
    ['next week', 'not a date', false],
    [null, 'missing', false],
    ['', 'empty', false],
  ];
  it.each(rows)('%s (%s) → valid %s', (targetDate, _label, valid) => {
    const errors = errorsOf(buildNote({ targetDate }));
    expect(Object.keys(errors)).toEqual(valid ? [] : ['targetDate']);
  });

  it('spans a year end and a leap day correctly', () => {
    expect(errorsOf(buildNote({ targetDate: '2024-03-30' }), { ...ctx, today: '2023-12-31' })).toEqual({});
    expect(errorsOf(buildNote({ targetDate: '2024-03-31' }), { ...ctx, today: '2023-12-31' })).toHaveProperty('targetDate');
    expect(errorsOf(buildNote({ targetDate: '2024-02-29' }), { ...ctx, today: '2024-02-28' })).toEqual({});
  });

  it('is optional when closing, but still checked when given', () => {
    expect(valueOf(buildNote({ targetDate: null, nextAction: null }), closing).targetDate).toBeNull();
    expect(errorsOf(buildNote({ targetDate: '2025-03-01' }), closing)).toHaveProperty('targetDate');
  });

  it('explains the problem in words a coordinator understands', () => {
    expect(errorsOf(buildNote({ targetDate: '2025-03-04' })).targetDate).toBe('The target date cannot be in the past.');
    expect(errorsOf(buildNote({ targetDate: '2025-06-04' })).targetDate).toBe('The target date must be within 90 days.');
  });
});

describe('validateNote: contact attempt', () => {
  it.each([
    [undefined, true],
    [null, true],
    [{ channel: 'phone', result: 'no_answer' }, true],
    [{ channel: 'outside_office', result: 'outside_office_responded' }, true],
    [{ channel: 'phone' }, false],
    [{ result: 'reached' }, false],
    [{ channel: 'pigeon', result: 'reached' }, false],
    [{ channel: 'phone', result: 'ghosted' }, false],
    [{ channel: 'text', result: 'left_voicemail' }, false],
    ['phone', false],
  ])('%j → valid %s', (contact, valid) => {
    const note = { ...buildNote({ understanding: 'partly' }), contact: contact as NoteInput['contact'] };
    expect(Object.keys(errorsOf(note))).toEqual(valid ? [] : ['contact']);
  });

  it('returns null for an absent contact', () => {
    const { contact: _omit, ...rest } = buildNote();
    expect(valueOf(rest).contact).toBeNull();
  });
});

describe('validateNote: escalation', () => {
  it.each([
    [undefined, true],
    [null, true],
    [{ reason: 'worsening_symptoms', text: 'Short of breath since yesterday' }, true],
    [{ reason: 'medication_confusion', text: 'Taking both old and new doses' }, true],
    [{ reason: 'discharge_concern', text: 'No one at home to help' }, true],
    [{ reason: 'worsening_symptoms', text: '   ' }, false],
    [{ reason: 'worsening_symptoms' }, false],
    [{ reason: 'repeated_failed_contact', text: 'automatic reasons are not for people' }, false],
    [{ reason: 'response_window_missed', text: 'nor this one' }, false],
    [{ reason: 'worsening_symptoms', text: 'z'.repeat(2001) }, false],
  ])('%j → valid %s', (escalation, valid) => {
    const errors = errorsOf(buildNote({ escalation: escalation as NoteInput['escalation'] }));
    expect(Object.keys(errors)).toEqual(valid ? [] : ['escalation']);
  });

  it('trims the escalation text and treats an absent answer as "no"', () => {
    const text = '  Chest pain  ';
    expect(valueOf(buildNote({ escalation: { reason: 'worsening_symptoms', text } })).escalation).toEqual({
      reason: 'worsening_symptoms',
      text: 'Chest pain',
    });
    const { escalation: _omit, ...rest } = buildNote();
    expect(valueOf(rest).escalation).toBeNull();
  });
});

describe('validateNote: pre-visit checklist', () => {
  const preVisit: NoteContext = { ...ctx, lane: 'pre_visit' };

  it('keeps confirmed items in canonical order without duplicates', () => {
    const note = buildNote({ checklist: ['interpreter', 'paperwork', 'interpreter'] });
    expect(valueOf(note, preVisit).checklist).toEqual(['paperwork', 'interpreter']);
  });

  it('records an empty checklist when nothing is confirmed yet', () => {
    expect(valueOf(buildNote({ checklist: null }), preVisit).checklist).toEqual([]);
  });

  it('refuses unknown items', () => {
    const note = { ...buildNote(), checklist: ['paperwork', 'snacks'] } as unknown as NoteInput;
    expect(Object.keys(errorsOf(note, preVisit))).toEqual(['checklist']);
  });

  it('ignores the checklist in every other lane', () => {
    const note = { ...buildNote(), checklist: ['paperwork', 'snacks'] } as unknown as NoteInput;
    expect(valueOf(note, { ...ctx, lane: 'discharge' }).checklist).toBeNull();
  });
});

describe('validateNote: responsible user', () => {
  it.each([
    [null, true],
    ['', true],
    ['U012ABCDEF', true],
    ['W012ABCDEF', true],
    ['@maria', false],
    ['S012ABCDEF', false],
  ])('%j → valid %s', (responsibleUserId, valid) => {
    const errors = errorsOf(buildNote({ responsibleUserId: responsibleUserId as string | null }));
    expect(Object.keys(errors)).toEqual(valid ? [] : ['responsibleUserId']);
  });
});

describe('validateNote: run-time type guards', () => {
  it('refuses non-string free text without throwing', () => {
    const note = { ...buildNote(), nextAction: 42 } as unknown as NoteInput;
    expect(Object.keys(errorsOf(note))).toEqual(['nextAction']);
  });
});

describe('isAttemptReached / isPatientOutreach', () => {
  const cases = CONTACT_CHANNELS.flatMap((channel) => CONTACT_RESULTS.map((result) => ({ channel, result })));

  it.each(cases)('$channel/$result', (a) => {
    expect(isAttemptReached(a)).toBe(a.result === 'reached');
    expect(isPatientOutreach(a)).toBe(a.channel !== 'outside_office' && a.result !== 'outside_office_responded');
  });

  it('an outside office responding is not reaching the patient', () => {
    expect(isAttemptReached({ channel: 'outside_office', result: 'outside_office_responded' })).toBe(false);
    expect(isAttemptReached({ channel: 'phone', result: 'left_voicemail' })).toBe(false);
  });
});
