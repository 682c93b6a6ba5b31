import { describe, expect, it } from 'vitest';
import type { PracticeCalendar } from '../../src/domain/calendar';
import {
  automaticEscalationKey,
  ESCALATION_LABELS,
  automaticEscalations,
  escalationTarget,
  isUrgentEscalation,
  needsReraise,
} from '../../src/domain/escalation';
import { ESCALATION_REASONS, TIERS, type Escalation, type EscalationReason } from '../../src/domain/types';
import { buildCase, buildClaimedCase } from '../support/case-builder';

/** America/New_York, Monday–Friday 08:00–17:00, no holidays. */
const cal: PracticeCalendar = {
  timeZone: 'America/New_York',
  businessDays: [1, 2, 3, 4, 5],
  open: '08:00',
  close: '17:00',
  holidays: [],
};

describe('escalationTarget', () => {
  it.each([
    ['worsening_symptoms', 'providers'],
    ['medication_confusion', 'providers'],
    ['discharge_concern', 'providers'],
    ['urgent_referral_delay', 'providers'],
    ['repeated_failed_contact', 'managers'],
    ['response_window_missed', 'managers'],
  ] as const)('%s → %s', (reason, target) => {
    expect(escalationTarget(reason)).toBe(target);
  });
});

describe('isUrgentEscalation', () => {
  const rows = ESCALATION_REASONS.flatMap((reason) =>
    TIERS.map((tier) => ({ reason, tier, urgent: reason === 'worsening_symptoms' || tier === 'urgent' })),
  );
  it.each(rows)('$reason on a $tier case → urgent $urgent', ({ reason, tier, urgent }) => {
    expect(isUrgentEscalation(reason, tier)).toBe(urgent);
  });
});

describe('ESCALATION_LABELS', () => {
  it('labels every reason in plain words', () => {
    expect(Object.keys(ESCALATION_LABELS).sort()).toEqual([...ESCALATION_REASONS].sort());
    expect(ESCALATION_LABELS.worsening_symptoms).toBe('Worsening symptoms');
    for (const label of Object.values(ESCALATION_LABELS)) expect(label).toMatch(/^[A-Z][a-z ]+$/);
  });
});

describe('automaticEscalations', () => {
  // buildCase: first response due 2025-03-04T14:00Z, resolution due 2025-03-17T13:00Z.
  const due = new Date('2025-03-04T14:00:00.000Z');
  const before = new Date(due.getTime() - 1);
  const resolution = new Date('2025-03-17T13:00:00.000Z');
  const urgentReferral = { tier: 'urgent', firstResponseAt: due } as const;

  it.each([
    ['nothing due yet', buildCase(), before, []],
    ['first response missed, exactly at the due time', buildCase(), due, ['response_window_missed']],
    ['claimed but never contacted', buildClaimedCase(), due, ['response_window_missed']],
    ['first response logged', buildClaimedCase({ firstResponseAt: before }), due, []],
    ['two failed attempts', buildClaimedCase({ firstResponseAt: before, consecutiveFailedAttempts: 2 }), due, []],
    ['three failed attempts', buildClaimedCase({ firstResponseAt: before, consecutiveFailedAttempts: 3 }), before, ['repeated_failed_contact']],
    ['four failed attempts', buildClaimedCase({ firstResponseAt: before, consecutiveFailedAttempts: 4 }), before, ['repeated_failed_contact']],
    ['urgent referral at its resolution target', buildClaimedCase(urgentReferral), resolution, ['urgent_referral_delay']],
    ['urgent referral before its target', buildClaimedCase(urgentReferral), new Date(resolution.getTime() - 1), []],
    ['high referral past its target', buildClaimedCase({ firstResponseAt: due }), resolution, []],
    ['urgent post-visit past its target', buildClaimedCase({ ...urgentReferral, lane: 'post_visit' }), resolution, []],
    [
      'everything at once, in reason order',
      buildClaimedCase({ tier: 'urgent', consecutiveFailedAttempts: 3 }),
      resolution,
      ['urgent_referral_delay', 'repeated_failed_contact', 'response_window_missed'],
    ],
    [
      'a closed case earns nothing',
      buildClaimedCase({ state: 'closed', tier: 'urgent', consecutiveFailedAttempts: 5 }),
      resolution,
      [],
    ],
  ] as const)('%s', (_label, c, now, expected) => {
    expect(automaticEscalations({ c, now, raised: [] })).toEqual(expected);
  });

  it('skips reasons already raised', () => {
    const c = buildClaimedCase({ tier: 'urgent', consecutiveFailedAttempts: 3 });
    expect(automaticEscalations({ c, now: resolution, raised: ['repeated_failed_contact', 'worsening_symptoms'] })).toEqual([
      'urgent_referral_delay',
      'response_window_missed',
    ]);
  });

  it('raises each reason once across repeated sweeps', () => {
    const c = buildClaimedCase({ tier: 'urgent', consecutiveFailedAttempts: 3 });
    const raised: EscalationReason[] = [];
    const counts = new Map<EscalationReason, number>();
    // Sweep every 5 minutes for a day past the resolution target.
    for (let i = 0; i < 288; i++) {
      const now = new Date(resolution.getTime() + i * 5 * 60_000);
      for (const reason of automaticEscalations({ c, now, raised })) {
        raised.push(reason);
        counts.set(reason, (counts.get(reason) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(counts)).toEqual({
      urgent_referral_delay: 1,
      repeated_failed_contact: 1,
      response_window_missed: 1,
    });
  });
});

describe('needsReraise (1 business hour, America/New_York 08:00–17:00 Mon–Fri)', () => {
  const escalation = (o: Partial<Escalation> = {}): Escalation => ({
    id: 1,
    caseId: 1,
    reason: 'worsening_symptoms',
    text: 'Short of breath',
    target: 'providers',
    urgent: true,
    raisedBy: 'U_OWNER',
    // Monday 2025-03-03 10:00 EST.
    raisedAt: new Date('2025-03-03T15:00:00.000Z'),
    acknowledgedBy: null,
    acknowledgedAt: null,
    guidance: null,
    reraisedAt: null,
    ...o,
  });

  it.each([
    ['59 minutes later', '2025-03-03T15:59:00.000Z', false],
    ['one hour later', '2025-03-03T16:00:00.000Z', true],
    ['long after', '2025-03-04T20:00:00.000Z', true],
  ])('raised Monday 10:00, checked %s → %s', (_label, now, expected) => {
    expect(needsReraise(escalation(), cal, new Date(now))).toBe(expected);
  });

  it.each([
    ['Monday 17:30, after close', '2025-03-03T22:30:00.000Z', false],
    ['Tuesday 07:59, before opening', '2025-03-04T12:59:00.000Z', false],
    ['Tuesday 08:29', '2025-03-04T13:29:00.000Z', false],
    ['Tuesday 08:30', '2025-03-04T13:30:00.000Z', true],
  ])('raised Monday 16:30, checked %s → %s', (_label, now, expected) => {
    // 30 business minutes on Monday, 30 more from Tuesday's opening.
    const e = escalation({ raisedAt: new Date('2025-03-03T21:30:00.000Z') });
    expect(needsReraise(e, cal, new Date(now))).toBe(expected);
  });

  it.each([
    ['Saturday noon', '2025-03-08T17:00:00.000Z', false],
    ['Monday 08:44 EDT', '2025-03-10T12:44:00.000Z', false],
    ['Monday 08:45 EDT', '2025-03-10T12:45:00.000Z', true],
  ])('raised Friday 16:45 EST, across the weekend and the DST change, checked %s → %s', (_label, now, expected) => {
    const e = escalation({ raisedAt: new Date('2025-03-07T21:45:00.000Z') });
    expect(needsReraise(e, cal, new Date(now))).toBe(expected);
  });

  it.each([
    ['not urgent', { urgent: false }],
    ['acknowledged', { acknowledgedBy: 'U_PROV', acknowledgedAt: new Date('2025-03-03T15:30:00.000Z') }],
    ['already re-raised', { reraisedAt: new Date('2025-03-03T16:00:00.000Z') }],
  ] as const)('never when %s', (_label, o) => {
    expect(needsReraise(escalation(o), cal, new Date('2025-03-05T15:00:00.000Z'))).toBe(false);
  });
});

describe('automaticEscalationKey', () => {
  const reached = new Date('2026-11-20T15:00:00.000Z');
  const reopened = new Date('2026-11-18T15:00:00.000Z');
  const key = (consecutiveFailedAttempts: number, lastReachedAt: Date | null = null, reopenedAt: Date | null = null) =>
    automaticEscalationKey('repeated_failed_contact', { consecutiveFailedAttempts, lastReachedAt }, reopenedAt);

  it('tells runs of failed contact apart: by the last reach, and every 3 failures after it', () => {
    expect(key(3)).toBe('0:0:1');
    expect(key(5)).toBe(key(3));
    expect(key(6)).toBe('0:0:2');
    expect(key(3, reached)).toBe(`0:${reached.getTime()}:1`);
    expect(key(3, reached, reopened)).toBe(`${reopened.getTime()}:${reached.getTime()}:1`);
  });

  it('keys other automatic reasons by the reopen epoch alone', () => {
    expect(automaticEscalationKey('response_window_missed', { consecutiveFailedAttempts: 7, lastReachedAt: reached }, reopened)).toBe(String(reopened.getTime()));
    expect(automaticEscalationKey('urgent_referral_delay', { consecutiveFailedAttempts: 0, lastReachedAt: null }, null)).toBe('0');
  });
});
