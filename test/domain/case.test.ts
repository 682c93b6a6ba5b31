import { describe, expect, it } from 'vitest';
import {
  REOPEN_WINDOW_DAYS,
  acknowledgeEscalation,
  applyNote,
  canAct,
  claimCase,
  closeCase,
  escalateCase,
  isUnreachable,
  reassignCase,
  reopenCase,
  type CaseActionKind,
  type Transition,
} from '../../src/domain/case';
import { CASE_STATES, type Case, type CaseState, type Role } from '../../src/domain/types';
import { attempts, buildActor, buildCase, buildClaimedCase, buildNote, T0 } from '../support/case-builder';

const NOW = new Date('2025-03-05T15:00:00.000Z');
const owner = buildActor('U_OWNER', 'coordinator');
const backup = buildActor('U_BACKUP', 'coordinator');
const other = buildActor('U_OTHER', 'coordinator');
const manager = buildActor('U_MGR', 'manager');
const provider = buildActor('U_PROV', 'provider');
const nobody = buildActor('U_NOBODY');

function ok(t: Transition): { case: Case; events: Extract<Transition, { ok: true }>['events'] } {
  if (!t.ok) throw new Error(`expected success, got ${t.code}: ${t.message}`);
  return t;
}

function refused(t: Transition, code: string): string {
  if (t.ok) throw new Error(`expected refusal ${code}, got success`);
  expect(t.code).toBe(code);
  expect(t.message.length).toBeGreaterThan(0);
  return t.message;
}

/** Every success bumps the version, stamps updatedAt and leaves the patient alone. */
function expectBookkeeping(before: Case, t: Transition): Case {
  const { case: after, events } = ok(t);
  expect(after.version).toBe(before.version + 1);
  expect(after.updatedAt).toBe(NOW);
  expect(after.patient).toEqual(before.patient);
  expect(events).toHaveLength(1);
  for (const e of events) {
    expect(e.at).toBe(NOW);
    expect(Object.keys(e.before ?? {})).not.toContain('patient');
    expect(Object.keys(e.after ?? {})).not.toContain('patient');
    expect(JSON.stringify(e)).not.toContain('Ada Lovelace');
  }
  return after;
}

describe('canAct: SPEC §1 role table', () => {
  const table: Record<CaseActionKind, Role[]> = {
    create: ['coordinator', 'manager'],
    claim: ['coordinator', 'manager'],
    note: ['coordinator', 'manager'],
    escalate: ['coordinator', 'manager'],
    close: ['coordinator', 'manager'],
    reassign_self: ['coordinator', 'manager'],
    reassign_any: ['manager'],
    reopen: ['manager'],
    acknowledge: ['provider', 'manager'],
    view_details: ['coordinator', 'provider', 'manager'],
    set_away: ['coordinator', 'manager'],
    read_metrics: ['manager'],
  };
  const rows = Object.entries(table).flatMap(([action, allowed]) =>
    (['coordinator', 'provider', 'manager'] as Role[]).map((role) => ({ action, role, allowed: allowed.includes(role) })),
  );

  it.each(rows)('$role may $action: $allowed', ({ action, role, allowed }) => {
    expect(canAct(buildActor('U1', role), action as CaseActionKind)).toBe(allowed);
  });

  it('someone without a role may do nothing; roles combine', () => {
    for (const action of Object.keys(table) as CaseActionKind[]) expect(canAct(nobody, action)).toBe(false);
    const both = buildActor('U1', 'coordinator', 'provider');
    expect(canAct(both, 'acknowledge') && canAct(both, 'claim')).toBe(true);
  });
});

describe('claimCase', () => {
  it.each([owner, manager])('claims an open case for $userId', (actor) => {
    const c = buildCase();
    const t = claimCase(c, actor, { backupId: 'U_BACKUP', now: NOW });
    const after = expectBookkeeping(c, t);
    expect(after).toMatchObject({ state: 'active', ownerId: actor.userId, backupId: 'U_BACKUP', claimedAt: NOW });
    expect(ok(t).events[0]).toEqual({
      action: 'claimed',
      actorId: actor.userId,
      at: NOW,
      before: { state: 'open', ownerId: null, backupId: null, claimedAt: null },
      after: { state: 'active', ownerId: actor.userId, backupId: 'U_BACKUP', claimedAt: NOW.toISOString() },
    });
  });

  it('drops a backup who is the claimer', () => {
    expect(ok(claimCase(buildCase(), owner, { backupId: 'U_OWNER', now: NOW })).case.backupId).toBeNull();
  });

  it('names the owner when the case is already claimed', () => {
    const c = buildClaimedCase();
    const message = refused(claimCase(c, other, { backupId: null, now: NOW }), 'already_claimed');
    expect(message).toContain('<@U_OWNER>');
    expect(message).toContain('FU-1001');
  });

  it('tells the owner they already own it', () => {
    expect(refused(claimCase(buildClaimedCase(), owner, { backupId: null, now: NOW }), 'already_claimed')).toMatch(/already own/);
  });

  it.each([provider, nobody])('refuses $userId (no coordinator role)', (actor) => {
    refused(claimCase(buildCase(), actor, { backupId: null, now: NOW }), 'forbidden');
  });

  it('lets an unowned escalated case be claimed; it stays escalated', () => {
    const t = claimCase(buildCase({ state: 'escalated' }), owner, { backupId: null, now: NOW });
    expect(ok(t).case).toMatchObject({ state: 'escalated', ownerId: 'U_OWNER' });
  });

  it('refuses a closed case', () => {
    refused(claimCase(buildCase({ state: 'closed', closedAt: T0 }), owner, { backupId: null, now: NOW }), 'invalid_state');
  });
});

describe('applyNote', () => {
  it.each([
    ['owner', owner],
    ['backup', backup],
    ['manager', manager],
  ])('the %s may note', (_who, actor) => {
    const c = buildClaimedCase();
    expectBookkeeping(c, applyNote(c, actor, buildNote(), NOW));
  });

  it.each([
    ['another coordinator', other, /belongs to <@U_OWNER>/],
    ['a provider', provider, /Only coordinators/],
    ['someone without a role', nobody, /Only coordinators/],
  ])('refuses %s', (_who, actor, message) => {
    expect(refused(applyNote(buildClaimedCase(), actor, buildNote(), NOW), 'forbidden')).toMatch(message);
  });

  it('asks a coordinator to claim an unowned case first', () => {
    expect(refused(applyNote(buildCase(), other, buildNote(), NOW), 'forbidden')).toMatch(/Claim FU-1001/);
  });

  it('refuses a closed case', () => {
    refused(applyNote(buildClaimedCase({ state: 'closed' }), owner, buildNote(), NOW), 'invalid_state');
  });

  it.each([
    ['active', 'on_track', 'active'],
    ['active', 'blocked', 'active'],
    ['active', 'waiting_on_patient', 'waiting'],
    ['active', 'waiting_on_outside_office', 'waiting'],
    ['active', 'waiting_on_insurance', 'waiting'],
    ['waiting', 'on_track', 'active'],
    ['waiting', 'waiting_on_patient', 'waiting'],
    ['escalated', 'on_track', 'escalated'],
    ['escalated', 'waiting_on_patient', 'escalated'],
  ] as const)('%s + status %s → %s', (state, status, expected) => {
    const t = applyNote(buildClaimedCase({ state }), owner, buildNote({ status }), NOW);
    expect(ok(t).case.state).toBe(expected);
  });

  it('a manager noting an unowned case leaves it open', () => {
    expect(ok(applyNote(buildCase(), manager, buildNote({ status: 'waiting_on_patient' }), NOW)).case.state).toBe('open');
  });

  it('sets the first response on the first attempt only', () => {
    const first = ok(applyNote(buildClaimedCase(), owner, buildNote(), NOW)).case;
    expect(first.firstResponseAt).toBe(NOW);
    const later = new Date(NOW.getTime() + 3_600_000);
    expect(ok(applyNote(first, owner, buildNote(), later)).case.firstResponseAt).toBe(NOW);
  });

  it('a note without a contact attempt is not a first response', () => {
    const t = applyNote(buildClaimedCase(), owner, buildNote({ contact: null }), NOW);
    expect(ok(t).case.firstResponseAt).toBeNull();
  });

  it.each([
    [2, { channel: 'phone', result: 'reached' }, 0],
    [0, { channel: 'phone', result: 'no_answer' }, 1],
    [1, { channel: 'phone', result: 'left_voicemail' }, 2],
    [2, { channel: 'text', result: 'message_sent' }, 3],
    [2, { channel: 'phone', result: 'wrong_number' }, 3],
    [2, null, 2],
    // Outreach to an outside office says nothing about reaching the patient.
    [2, { channel: 'outside_office', result: 'outside_office_responded' }, 2],
    [2, { channel: 'outside_office', result: 'no_answer' }, 2],
  ] as const)('failed attempts %i + %j → %i', (start, contact, expected) => {
    const c = buildClaimedCase({ consecutiveFailedAttempts: start });
    const t = applyNote(c, owner, buildNote({ contact, understanding: 'partly' }), NOW);
    expect(ok(t).case.consecutiveFailedAttempts).toBe(expected);
  });

  it('records the next action and its target date, with a diff-only audit event', () => {
    const c = buildClaimedCase({ firstResponseAt: T0 });
    const t = applyNote(c, owner, buildNote({ nextAction: 'Fax the referral', targetDate: '2025-03-07' }), NOW);
    expect(ok(t).case).toMatchObject({ nextAction: 'Fax the referral', nextActionDue: '2025-03-07' });
    expect(ok(t).events[0]).toEqual({
      action: 'noted',
      actorId: 'U_OWNER',
      at: NOW,
      before: { nextAction: null, nextActionDue: null, lastReachedAt: null },
      after: { nextAction: 'Fax the referral', nextActionDue: '2025-03-07', lastReachedAt: NOW.toISOString() },
    });
  });
});

describe('escalateCase', () => {
  const manual = { reason: 'worsening_symptoms', text: 'Short of breath', now: NOW } as const;

  it.each([
    ['the owner', owner],
    ['any other coordinator (safety first)', other],
    ['a manager', manager],
  ])('%s may raise a clinical escalation', (_who, actor) => {
    const c = buildClaimedCase();
    const after = expectBookkeeping(c, escalateCase(c, actor, manual));
    expect(after.state).toBe('escalated');
  });

  it.each([provider, nobody])('refuses a manual escalation by $userId', (actor) => {
    refused(escalateCase(buildClaimedCase(), actor, manual), 'forbidden');
  });

  it('refuses a manual reason from the system and an automatic reason from a person', () => {
    refused(escalateCase(buildClaimedCase(), 'system', manual), 'forbidden');
    const auto = { reason: 'repeated_failed_contact', text: null, now: NOW } as const;
    refused(escalateCase(buildClaimedCase(), manager, auto), 'forbidden');
  });

  it('needs text for a manual escalation, within 2000 characters', () => {
    const t = escalateCase(buildClaimedCase(), owner, { ...manual, text: '  ' });
    refused(t, 'invalid');
    expect(!t.ok && t.errors).toHaveProperty('text');
    refused(escalateCase(buildClaimedCase(), owner, { ...manual, text: 'x'.repeat(2001) }), 'invalid');
  });

  it('refuses a closed case', () => {
    refused(escalateCase(buildClaimedCase({ state: 'closed' }), owner, manual), 'invalid_state');
  });

  it.each([
    ['open', 'response_window_missed', 'open'],
    ['open', 'repeated_failed_contact', 'open'],
    ['open', 'urgent_referral_delay', 'escalated'],
    ['active', 'response_window_missed', 'escalated'],
    ['active', 'repeated_failed_contact', 'escalated'],
    ['waiting', 'repeated_failed_contact', 'escalated'],
    ['waiting', 'urgent_referral_delay', 'escalated'],
    ['escalated', 'urgent_referral_delay', 'escalated'],
  ] as const)('system: %s + %s → %s', (state, reason, expected) => {
    const c = buildCase({ state, ownerId: state === 'open' ? null : 'U_OWNER' });
    const t = escalateCase(c, 'system', { reason, text: null, now: NOW });
    expect(ok(t).case.state).toBe(expected);
    expect(ok(t).events[0]).toMatchObject({ action: 'escalated', actorId: 'carebridge', after: { reason } });
  });

  it('records the reason, never the escalation text, in the audit event', () => {
    const t = escalateCase(buildClaimedCase(), owner, manual);
    expect(ok(t).events[0]).toEqual({
      action: 'escalated',
      actorId: 'U_OWNER',
      at: NOW,
      before: { state: 'active' },
      after: { state: 'escalated', reason: 'worsening_symptoms' },
    });
  });
});

describe('acknowledgeEscalation', () => {
  const input = { guidance: 'Increase diuretic; nurse to call today', now: NOW };

  it.each([provider, manager])('$userId returns an owned escalated case to active', (actor) => {
    const c = buildClaimedCase({ state: 'escalated' });
    const after = expectBookkeeping(c, acknowledgeEscalation(c, actor, input));
    expect(after.state).toBe('active');
  });

  it('returns an unowned case to open', () => {
    expect(ok(acknowledgeEscalation(buildCase({ state: 'escalated' }), provider, input)).case.state).toBe('open');
  });

  it('keeps the case escalated while another escalation is pending', () => {
    const t = acknowledgeEscalation(buildClaimedCase({ state: 'escalated' }), provider, { ...input, othersPending: true });
    expect(ok(t).case.state).toBe('escalated');
  });

  it.each(['open', 'active', 'waiting'] as const)('leaves a %s case in its state', (state) => {
    expect(ok(acknowledgeEscalation(buildClaimedCase({ state }), manager, input)).case.state).toBe(state);
  });

  it.each([owner, other, nobody])('refuses $userId', (actor) => {
    refused(acknowledgeEscalation(buildClaimedCase({ state: 'escalated' }), actor, input), 'forbidden');
  });

  it.each([
    ['', 'invalid'],
    ['   ', 'invalid'],
    ['g'.repeat(2001), 'invalid'],
  ])('guidance %#: refused %s', (guidance, code) => {
    const t = acknowledgeEscalation(buildClaimedCase({ state: 'escalated' }), provider, { guidance, now: NOW });
    refused(t, code);
    expect(!t.ok && t.errors).toHaveProperty('guidance');
  });

  it('refuses a closed case and keeps guidance out of the audit diff', () => {
    refused(acknowledgeEscalation(buildClaimedCase({ state: 'closed' }), provider, input), 'invalid_state');
    const t = acknowledgeEscalation(buildClaimedCase({ state: 'escalated' }), provider, input);
    expect(JSON.stringify(ok(t).events)).not.toContain('diuretic');
  });
});

describe('closeCase', () => {
  const base = { reason: 'Appointment booked for 12 March', attempts: [], acknowledgedEscalation: false, pendingEscalations: [], now: NOW };
  const postVisit = (o: Partial<Case> = {}) => buildClaimedCase({ lane: 'post_visit', trigger: 'consult_completed', ...o });

  it.each([
    ['owner', owner],
    ['backup', backup],
    ['manager', manager],
  ])('the %s may close', (_who, actor) => {
    const c = postVisit();
    const after = expectBookkeeping(c, closeCase(c, actor, { ...base, outcome: 'completed' }));
    expect(after).toMatchObject({
      state: 'closed',
      closedAt: NOW,
      outcome: 'completed',
      closeReason: 'Appointment booked for 12 March',
      loopClosed: null,
    });
  });

  it.each([
    ['another coordinator', other],
    ['a provider', provider],
    ['someone without a role', nobody],
  ])('refuses %s', (_who, actor) => {
    refused(closeCase(postVisit(), actor, { ...base, outcome: 'completed' }), 'forbidden');
  });

  it('lets a manager close an unowned case (a duplicate, say) but not a coordinator', () => {
    expect(ok(closeCase(buildCase(), manager, { ...base, outcome: 'not_needed' })).case.state).toBe('closed');
    refused(closeCase(buildCase(), other, { ...base, outcome: 'not_needed' }), 'forbidden');
  });

  // An open case can be closed by whoever may act on it (a manager closing a duplicate, say).
  it.each(CASE_STATES.map((s) => [s, s === 'escalated' || s === 'closed' ? 'invalid_state' : 'ok']))(
    'from %s: %s',
    (state, expected) => {
      const t = closeCase(postVisit({ state: state as CaseState }), owner, { ...base, outcome: 'declined' });
      if (expected === 'ok') ok(t);
      else refused(t, expected);
    },
  );

  it('requires a reason, trimmed and at most 2000 characters', () => {
    for (const reason of ['', '   ', 'r'.repeat(2001)]) {
      const t = closeCase(postVisit(), owner, { ...base, outcome: 'declined', reason });
      refused(t, 'invalid');
      expect(!t.ok && t.errors).toHaveProperty('reason');
    }
    expect(ok(closeCase(postVisit(), owner, { ...base, outcome: 'declined', reason: '  Patient declined  ' })).case.closeReason).toBe(
      'Patient declined',
    );
  });

  it('refuses escalated_handoff before acknowledgement, accepts it after', () => {
    const escalated = postVisit({ state: 'escalated' });
    refused(closeCase(escalated, owner, { ...base, outcome: 'escalated_handoff', acknowledgedEscalation: false }), 'invalid_state');
    const acked = ok(acknowledgeEscalation(escalated, provider, { guidance: 'Clinic will take over', now: NOW })).case;
    const t = closeCase(acked, owner, { ...base, outcome: 'escalated_handoff', acknowledgedEscalation: false });
    refused(t, 'invalid');
    expect(!t.ok && t.errors).toHaveProperty('outcome');
    expect(ok(closeCase(acked, owner, { ...base, outcome: 'escalated_handoff', acknowledgedEscalation: true })).case.outcome).toBe(
      'escalated_handoff',
    );
  });

  it.each([
    ['3 attempts on 1 channel', false, attempts('phone:no_answer', 'phone:left_voicemail', 'phone:no_answer')],
    ['3 attempts on 2 channels', true, attempts('phone:no_answer', 'text:message_sent', 'phone:left_voicemail')],
    ['2 attempts on 2 channels', false, attempts('phone:no_answer', 'text:message_sent')],
    ['voicemails only', false, attempts('phone:left_voicemail', 'phone:left_voicemail', 'phone:left_voicemail', 'phone:left_voicemail')],
    ['voicemails plus a letter', true, attempts('phone:left_voicemail', 'phone:left_voicemail', 'letter:message_sent')],
    ['reached after the failures', false, attempts('phone:no_answer', 'text:message_sent', 'portal:message_sent', 'phone:reached')],
    ['failures since the last reach', true, attempts('phone:reached', 'phone:no_answer', 'text:message_sent', 'email:message_sent')],
    ['outside office attempts do not count', false, attempts('phone:no_answer', 'phone:no_answer', 'outside_office:no_answer')],
    ['no attempts', false, []],
  ])('unreachable with %s → %s', (_label, allowed, list) => {
    expect(isUnreachable(list)).toBe(allowed);
    const t = closeCase(postVisit(), owner, { ...base, outcome: 'unreachable', reason: 'No contact', attempts: list });
    if (allowed) expect(ok(t).case.outcome).toBe('unreachable');
    else expect(!t.ok && t.errors).toHaveProperty('outcome');
  });

  it('refuses an unknown outcome', () => {
    const t = closeCase(postVisit(), owner, { ...base, outcome: 'nonsense' as never });
    expect(!t.ok && t.errors).toHaveProperty('outcome');
  });

  describe('referral loop closure', () => {
    const referral = buildClaimedCase();
    it.each([
      ['completed', true, true],
      ['completed', false, false],
      ['completed', null, 'refused'],
      ['completed', undefined, 'refused'],
      ['declined', true, null],
      ['not_needed', null, null],
    ] as const)('%s with loopClosed %s → %s', (outcome, loopClosed, expected) => {
      const t = closeCase(referral, owner, { ...base, outcome, loopClosed });
      if (expected === 'refused') expect(!t.ok && t.errors).toHaveProperty('loopClosed');
      else expect(ok(t).case.loopClosed).toBe(expected);
    });

    it('other lanes record null even when asked', () => {
      expect(ok(closeCase(postVisit(), owner, { ...base, outcome: 'completed', loopClosed: true })).case.loopClosed).toBeNull();
    });
  });
});

describe('reopenCase', () => {
  const closedAt = new Date('2025-03-05T15:00:00.000Z');
  const closed = (o: Partial<Case> = {}) =>
    buildClaimedCase({ state: 'closed', closedAt, outcome: 'declined', closeReason: 'Declined', ...o });
  const after = (days: number, minutes = 0) => new Date(closedAt.getTime() + days * 86_400_000 + minutes * 60_000);

  it.each([
    ['day 1', true, after(1)],
    ['day 7', true, after(REOPEN_WINDOW_DAYS)],
    ['day 7, one minute late', false, after(7, 1)],
    ['day 8', false, after(8)],
  ])('the owner on %s → allowed %s', (_label, allowed, now) => {
    const t = reopenCase(closed(), owner, now);
    if (allowed) expect(ok(t).case.state).toBe('active');
    else expect(refused(t, 'forbidden')).toMatch(/manager/);
  });

  it('a manager may reopen at any time', () => {
    const t = reopenCase(closed(), manager, after(200));
    expect(ok(t).case).toMatchObject({ state: 'active', outcome: null, closedAt: null, closeReason: null, loopClosed: null });
    expect(ok(t).events[0]).toMatchObject({ action: 'reopened', before: { state: 'closed', outcome: 'declined' } });
  });

  it('an unowned case reopens as open', () => {
    expect(ok(reopenCase(closed({ ownerId: null, backupId: null }), manager, after(1))).case.state).toBe('open');
  });

  it.each([backup, other, provider, nobody])('refuses $userId', (actor) => {
    refused(reopenCase(closed(), actor, after(1)), 'forbidden');
  });

  it.each(['open', 'active', 'waiting', 'escalated'] as const)('refuses a %s case', (state) => {
    refused(reopenCase(closed({ state }), manager, after(1)), 'invalid_state');
  });

  it('keeps the version moving forward', () => {
    const c = closed({ version: 7 });
    expect(ok(reopenCase(c, owner, after(1))).case.version).toBe(8);
  });
});

describe('reassignCase', () => {
  it('a manager may assign anyone', () => {
    const c = buildClaimedCase();
    const after = expectBookkeeping(c, reassignCase(c, manager, { ownerId: 'U_OTHER', backupId: 'U_OWNER', now: NOW }));
    expect(after).toMatchObject({ ownerId: 'U_OTHER', backupId: 'U_OWNER', state: 'active' });
  });

  it('a coordinator may take a case over themselves', () => {
    const t = reassignCase(buildClaimedCase(), other, { ownerId: 'U_OTHER', backupId: null, now: NOW });
    expect(ok(t).case.ownerId).toBe('U_OTHER');
  });

  it.each([
    ['a coordinator assigning someone else', other, 'U_BACKUP'],
    ['the owner handing off', owner, 'U_OTHER'],
    ['a provider', provider, 'U_PROV'],
  ])('refuses %s', (_label, actor, ownerId) => {
    refused(reassignCase(buildClaimedCase(), actor, { ownerId, backupId: null, now: NOW }), 'forbidden');
  });

  it.each([
    ['open', 'active'],
    ['active', 'active'],
    ['waiting', 'waiting'],
    ['escalated', 'escalated'],
  ] as const)('from %s → %s', (state, expected) => {
    const c = buildCase({ state, ownerId: state === 'open' ? null : 'U_OWNER' });
    const t = reassignCase(c, manager, { ownerId: 'U_OTHER', backupId: null, now: NOW });
    expect(ok(t).case.state).toBe(expected);
  });

  it('an open case gets a claim time; a claimed one keeps its own', () => {
    expect(ok(reassignCase(buildCase(), manager, { ownerId: 'U_OTHER', backupId: null, now: NOW })).case.claimedAt).toBe(NOW);
    const c = buildClaimedCase();
    expect(ok(reassignCase(c, manager, { ownerId: 'U_OTHER', backupId: null, now: NOW })).case.claimedAt).toBe(c.claimedAt);
  });

  it('drops a backup equal to the owner, refuses a closed case and an empty owner', () => {
    expect(ok(reassignCase(buildClaimedCase(), manager, { ownerId: 'U_X', backupId: 'U_X', now: NOW })).case.backupId).toBeNull();
    refused(reassignCase(buildClaimedCase({ state: 'closed' }), manager, { ownerId: 'U_X', backupId: null, now: NOW }), 'invalid_state');
    refused(reassignCase(buildClaimedCase(), manager, { ownerId: ' ', backupId: null, now: NOW }), 'invalid');
  });
});

describe('refusals change nothing', () => {
  it('returns no case and leaves the input untouched', () => {
    const c = buildClaimedCase();
    const snapshot = structuredClone(c);
    const results = [
      claimCase(c, other, { backupId: null, now: NOW }),
      applyNote(c, other, buildNote(), NOW),
      closeCase(c, owner, { outcome: 'unreachable', reason: 'x', attempts: [], acknowledgedEscalation: false, pendingEscalations: [], now: NOW }),
      reopenCase(c, manager, NOW),
    ];
    for (const r of results) expect(r.ok).toBe(false);
    expect(c).toEqual(snapshot);
  });
});

describe('closeCase with escalations still pending', () => {
  const active = () => buildClaimedCase({ lane: 'post_visit', trigger: 'consult_completed', state: 'active' });
  const pending = [
    { id: 7, reason: 'worsening_symptoms' as const, target: 'providers' as const, raisedAt: new Date(NOW.getTime() - 3 * 3_600_000) },
    { id: 9, reason: 'response_window_missed' as const, target: 'managers' as const, raisedAt: new Date(NOW.getTime() - 20 * 60_000) },
  ];
  const input = { reason: 'Seen in clinic', attempts: [], acknowledgedEscalation: true, pendingEscalations: pending, now: NOW };
  const postedIn = (target: string) => `<#C_${target.toUpperCase()}>`;

  it('refuses a coordinator, naming each pending escalation, how long it waited and where it was posted', () => {
    const t = closeCase(active(), owner, { ...input, outcome: 'completed', postedIn });
    const message = refused(t, 'invalid_state');
    expect(message).toContain('2 escalations waiting for acknowledgement');
    expect(message).toContain('Worsening symptoms (raised 3 h ago, posted in <#C_PROVIDERS>)');
    expect(message).toContain('Response window missed (raised 20 min ago, posted in <#C_MANAGERS>)');
    expect(!t.ok && t.errors?.outcome).toBe(message);
  });

  it('refuses a manager any outcome but not needed', () => {
    refused(closeCase(active(), manager, { ...input, outcome: 'completed' }), 'invalid_state');
    refused(closeCase(active(), manager, { ...input, outcome: 'declined' }), 'invalid_state');
  });

  it('lets a manager close it not needed, with the escalations closed over on the record', () => {
    const t = ok(closeCase(buildClaimedCase({ state: 'escalated' }), manager, { ...input, outcome: 'not_needed', reason: 'Duplicate of FU-12' }));
    expect(t.case.state).toBe('closed');
    expect(t.events[0]!.after).toMatchObject({ state: 'closed', outcome: 'not_needed', closedOverEscalations: [7, 9] });
  });

  it('closes as before when nothing is pending, without an override on the record', () => {
    const t = ok(closeCase(active(), owner, { ...input, pendingEscalations: [], outcome: 'completed' }));
    expect(t.events[0]!.after).not.toHaveProperty('closedOverEscalations');
  });
});
