/**
 * Cases and notes with every free-text field at its longest allowed length
 * (validateTriggerEvent, validateNote, CASE_TEXT_MAX, the policy's 60-character lane
 * label), for checking that no builder can produce a view Slack would reject.
 */
import { CASE_TEXT_MAX } from '../../src/domain/case';
import { NEXT_ACTION_MAX, NOTE_TEXT_MAX } from '../../src/domain/notes';
import type { Case, Note } from '../../src/domain/types';
import { T0, buildClaimedCase } from './case-builder';

/** Text of exactly `n` characters, with words and the characters mrkdwn must escape. */
export function longText(n: number, seed = 'Lorem <ipsum> & dolor '): string {
  return seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
}

export const LONGEST_LANE_LABEL = longText(60, 'Lane label ');

export function maximalCase(overrides: Partial<Case> = {}): Case {
  return buildClaimedCase({
    id: 987_654_321,
    number: 'FU-987654321',
    externalId: longText(200, 'ext-'),
    patient: { name: longText(200, 'Maximilian Name '), mrn: longText(64, 'M0123456789'), phone: '+1 (555) 010-2000 x12345', dob: '1930-01-31' },
    details: longText(4000),
    location: longText(100, 'Location '),
    referringOffice: longText(200, 'Referring Office '),
    visitType: 'specialty_consult',
    appointmentAt: new Date(T0.getTime() + 5 * 86_400_000),
    nextAction: longText(NEXT_ACTION_MAX),
    nextActionDue: '2025-03-10',
    closeReason: longText(CASE_TEXT_MAX),
    ownerId: 'W0123456789ABCDEF',
    backupId: 'W0123456789ABCDEG',
    ...overrides,
  });
}

/** A note of about `total` characters of free text (at least 5,000 by default). */
export function longNote(overrides: Partial<Note> = {}, total = 5_000): Note {
  const next = Math.min(NEXT_ACTION_MAX, total);
  const barrier = Math.min(NOTE_TEXT_MAX, total - next);
  const understanding = Math.min(NOTE_TEXT_MAX, total - next - barrier);
  const escalation = Math.max(1, Math.min(NOTE_TEXT_MAX, total - next - barrier - understanding));
  return {
    id: 1,
    caseId: 987_654_321,
    authorId: 'U0COORD01',
    createdAt: new Date(T0),
    contact: { channel: 'phone', result: 'left_voicemail' },
    status: 'waiting_on_patient',
    barrier: 'other',
    barrierText: longText(barrier),
    understanding: 'partly',
    understandingText: longText(understanding),
    nextAction: longText(next),
    responsibleParty: 'outside_office',
    responsibleUserId: 'U0COORD02',
    targetDate: '2025-03-10',
    escalation: { reason: 'medication_confusion', text: longText(escalation) },
    checklist: ['paperwork', 'insurance', 'preparation_instructions', 'medication_list', 'orders', 'transportation', 'interpreter', 'telehealth_link_tested'],
    ...overrides,
  };
}
