import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../../src/domain/calendar';
import type { Escalation, Note } from '../../../src/domain/types';
import { caseDetailsMessage, OPEN_CHART_ACTION } from '../../../src/slack/blocks/case-details';
import { escalationPostMessage, guidanceDirectMessage } from '../../../src/slack/blocks/escalation-post';
import { ACTIONS, BLOCKS } from '../../../src/slack/ids';
import { expectMessageWithinLimits, messageProblems } from '../../support/block-limits';
import { T0, buildClaimedCase, buildNote } from '../../support/case-builder';
import { LONGEST_LANE_LABEL, longNote, longText, maximalCase } from '../../support/max-case';
import { buttonIds } from '../../support/slack-forms';

const calendar = defaultCalendar('America/New_York');
const json = (m: unknown) => JSON.stringify(m);
const escalation = (over: Partial<Escalation> = {}): Escalation => ({
  id: 77, caseId: 1, reason: 'worsening_symptoms', text: 'Short of breath since Tuesday', target: 'providers', urgent: true, raisedBy: 'U_OWNER', raisedAt: new Date(T0),
  acknowledgedBy: null, acknowledgedAt: null, guidance: null, reraisedAt: null, ...over,
});
const note = (over: Partial<Note> = {}): Note => ({ ...buildNote(), id: 5, caseId: 1, authorId: 'U_OWNER', createdAt: new Date(T0), ...over });

describe('escalation post', () => {
  const c = buildClaimedCase({ tier: 'urgent', nextAction: 'Ask Ada about her new inhaler' });
  const latest = note({ status: 'blocked', barrier: 'other', barrierText: 'Her son Bob drives her', understanding: 'partly', understandingText: 'Confused about doses' });

  it('names case, lane, tier, reason and the latest note by its structured fields, with Acknowledge and View details', () => {
    const post = escalationPostMessage(escalation(), c, { calendar, labelMode: 'initials_mrn4', latestNote: latest });
    expect(post.text).toBe('Urgent escalation: FU-1001 · Referral follow-up · Urgent · Worsening symptoms');
    const text = json(post.blocks);
    for (const part of ['FU-1001', 'Referral follow-up', 'Urgent', 'Worsening symptoms', 'Status: Blocked · Barrier: Other · Understanding: Partly understands', '`AL ·3456`', '<@U_OWNER>']) expect(text).toContain(part);
    expect(buttonIds(post.blocks)).toEqual([ACTIONS.escalationAcknowledge, ACTIONS.caseViewDetails]);
    const actions = post.blocks.find((b) => b.type === 'actions') as { block_id: string; elements: { value: string }[] };
    expect(actions.block_id).toBe(BLOCKS.escalationActions);
    expect(actions.elements.map((e) => e.value)).toEqual(['77', '1']);
    expectMessageWithinLimits(post);
  });

  it('carries no free text: not the escalation text, the note texts, the next action or any patient field', () => {
    const text = json(escalationPostMessage(escalation(), c, { calendar, labelMode: 'initials_mrn4', latestNote: latest }));
    for (const secret of ['Short of breath', 'Bob drives', 'Confused about', 'inhaler', c.patient.name, c.patient.mrn, c.patient.phone!, c.patient.dob!]) expect(text).not.toContain(secret);
  });

  it('after acknowledgement shows who and when, only Add guidance, and no guidance text', () => {
    const acked = escalation({ acknowledgedBy: 'U0PROV001', acknowledgedAt: new Date('2025-03-03T15:30:00Z'), guidance: 'Increase the dose to 20 mg' });
    const post = escalationPostMessage(acked, c, { calendar, labelMode: 'initials_mrn4', latestNote: null });
    expect(buttonIds(post.blocks)).toEqual([ACTIONS.escalationAddGuidance]);
    expect(buttonIds(escalationPostMessage(acked, { ...c, state: 'closed' }, { calendar, labelMode: 'initials_mrn4', latestNote: null }).blocks)).toEqual([]);
    expect(json(post.blocks)).toContain('Acknowledged by <@U0PROV001> Mon Mar 3, 10:30 AM');
    expect(json(post)).not.toContain('20 mg');
    expect(post.text).toContain('(acknowledged)');
    expect(json(post.blocks)).toContain('No notes yet.');
  });

  it('says an automatic escalation was raised by CareBridge, and goes without urgency marks when not urgent', () => {
    const post = escalationPostMessage(escalation({ raisedBy: 'carebridge', urgent: false, reason: 'repeated_failed_contact', target: 'managers' }), buildClaimedCase(), { calendar, labelMode: 'none' });
    expect(post.text).toBe('Escalation: FU-1001 · Referral follow-up · High · Repeated failed contact');
    expect(json(post.blocks)).toContain('Automatically by CareBridge');
  });

  it('returns the case to its owner by DM with the guidance in the body only', () => {
    const acked = escalation({ acknowledgedBy: 'U0PROV001', acknowledgedAt: new Date(T0), guidance: 'Increase to 20 mg <b>today</b>\nRecheck Friday' });
    const dm = guidanceDirectMessage(acked, c, { calendar, labelMode: 'initials_mrn4' });
    expect(dm.text).toBe('FU-1001 is back with you: <@U0PROV001> acknowledged the escalation.');
    expect(json(dm.blocks)).toContain('>Increase to 20 mg &lt;b&gt;today&lt;/b&gt;\\n>Recheck Friday');
    expectMessageWithinLimits(dm);
    expectMessageWithinLimits(guidanceDirectMessage({ ...acked, guidance: longText(2000, '&<>') }, maximalCase(), { calendar, labelMode: 'initials_mrn4', laneLabel: LONGEST_LANE_LABEL }));
  });

  it('stays within limits for a case with every field at its longest', () => {
    const m = maximalCase();
    expectMessageWithinLimits(escalationPostMessage(escalation({ caseId: m.id, text: longText(2000) }), m, { calendar, labelMode: 'initials_mrn4', laneLabel: LONGEST_LANE_LABEL, latestNote: longNote() }));
  });
});

describe('case details (ephemeral)', () => {
  it('shows name, MRN, phone, date of birth, details and recent notes, with a PHI-free notification text', () => {
    const c = buildClaimedCase({ details: 'Cardiology referral for chest pain' });
    const m = caseDetailsMessage(c, { calendar, notes: [note({ nextAction: 'Call the cardiology office' })], openEscalations: [escalation()] });
    const text = json(m.blocks);
    for (const part of ['Ada Lovelace', 'MRN00123456', '555-0100', '1960-12-10', 'Cardiology referral for chest pain', 'Call the cardiology office', 'Short of breath since Tuesday', 'Referring office']) expect(text).toContain(part);
    expect(m.text).toBe('Patient details for FU-1001 (only you can see this)');
    expect(buttonIds(m.blocks)).toEqual([]);
    expectMessageWithinLimits(m);
  });

  it('shows the guidance of acknowledged escalations, newest first', () => {
    const acked = escalation({ acknowledgedBy: 'U0PROV001', acknowledgedAt: new Date(T0), guidance: 'Hold the diuretic until Monday' });
    const m = caseDetailsMessage(buildClaimedCase(), { calendar, notes: [], openEscalations: [], acknowledged: [acked] });
    expect(json(m.blocks)).toContain('*Guidance from <@U0PROV001>* (Worsening symptoms, Mon Mar 3, 9:00 AM)\\nHold the diuretic until Monday');
  });

  it('adds an Open chart link from EHR_LINK_TEMPLATE, with the MRN URL-encoded', () => {
    const c = buildClaimedCase({ patient: { name: 'Ada Lovelace', mrn: 'MRN 12/34' } });
    const m = caseDetailsMessage(c, { calendar, notes: [], openEscalations: [], ehrLinkTemplate: 'https://ehr.example/chart/{mrn}' });
    const link = m.blocks.flatMap((b) => (b as { elements?: { action_id?: string; url?: string }[] }).elements ?? []).find((e) => e.action_id === OPEN_CHART_ACTION);
    expect(link?.url).toBe('https://ehr.example/chart/MRN%2012%2F34');
  });

  it('fits a 5,000-character note within limits and says how many earlier notes it left out', () => {
    const big = longNote({}, 5_000);
    const chars = [big.nextAction, big.barrierText, big.understandingText, big.escalation!.text].join('').length;
    expect(chars).toBeGreaterThanOrEqual(5_000);
    const one = caseDetailsMessage(buildClaimedCase(), { calendar, notes: [big], openEscalations: [] });
    expectMessageWithinLimits(one);
    expect(json(one.blocks)).toContain(big.nextAction!.slice(0, 100).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));

    const many = Array.from({ length: 40 }, (_, i) => longNote({ id: i + 1 }, 6_500));
    const guidance = (id: number) => escalation({ id, acknowledgedBy: 'U0PROV001', acknowledgedAt: new Date(T0), guidance: longText(2000) });
    const m = caseDetailsMessage(maximalCase(), { calendar, laneLabel: LONGEST_LANE_LABEL, notes: many, acknowledged: [guidance(90), guidance(91), guidance(92)], openEscalations: [escalation({ text: longText(2000) }), escalation({ id: 78, text: longText(2000) }), escalation({ id: 79, text: longText(2000) }), escalation({ id: 80, text: longText(2000) })], ehrLinkTemplate: 'https://ehr.example/chart/{mrn}' });
    expect(messageProblems(m)).toEqual([]);
    expect(json(m.blocks)).toMatch(/\d+ earlier notes not shown here/);
  });
});
