import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../../src/domain/calendar';
import { CASE_STATES, type Case } from '../../../src/domain/types';
import { caseCardMessage, type CaseCardContext } from '../../../src/slack/blocks/case-card';
import { ACTIONS, BLOCKS } from '../../../src/slack/ids';
import { expectMessageWithinLimits } from '../../support/block-limits';
import { T0, buildCase, buildClaimedCase } from '../../support/case-builder';
import { LONGEST_LANE_LABEL, maximalCase } from '../../support/max-case';
import { buttonIds } from '../../support/slack-forms';

const calendar = defaultCalendar('America/New_York');
const ctx = (over: Partial<CaseCardContext> = {}): CaseCardContext => ({ now: new Date(T0), calendar, labelMode: 'initials_mrn4', ...over });
const json = (m: unknown) => JSON.stringify(m);
type Block = { type: string; block_id?: string; text?: { text: string }; fields?: { text: string }[]; elements?: { action_id?: string; value?: string; text: string | { text: string } }[] };
const blocksOf = (c: Case, over: Partial<CaseCardContext> = {}) => caseCardMessage(c, ctx(over)).blocks as unknown as Block[];
const fieldText = (c: Case, over: Partial<CaseCardContext> = {}) => blocksOf(c, over).flatMap((b) => b.fields ?? []).map((f) => f.text).join('\n');

describe('caseCardMessage', () => {
  it('shows an unclaimed case with the case number, lane, tier, label, due times in practice time and a Claim button', () => {
    const c = buildCase();
    const card = caseCardMessage(c, ctx());
    const blocks = card.blocks as unknown as Block[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'FU-1001 · Referral follow-up' } });
    expect(card.text).toBe('FU-1001 · Referral follow-up · High · Open · unclaimed · Patient AL ·3456');
    expect(json(blocks)).toContain('`AL ·3456`');
    // 2025-03-04T14:00Z is 9:00 AM in New York (EST).
    expect(fieldText(c)).toContain('*First response*\nDue Tue Mar 4, 9:00 AM');
    expect(fieldText(c)).toContain('*Owner*\nUnclaimed');
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.block_id).toBe(BLOCKS.cardActions);
    expect(buttonIds(blocks)).toEqual([
      ACTIONS.caseClaim,
      ACTIONS.caseAddNote,
      ACTIONS.caseEscalate,
      ACTIONS.caseClose,
      ACTIONS.caseReassign,
      ACTIONS.caseScript,
      ACTIONS.caseViewDetails,
    ]);
    for (const el of actions.elements!) expect(el.value).toBe('1');
    expectMessageWithinLimits(card);
  });

  it('drops Claim once the case has an owner, and names the owner and backup', () => {
    const c = buildClaimedCase();
    expect(buttonIds(blocksOf(c))).not.toContain(ACTIONS.caseClaim);
    expect(buttonIds(blocksOf(c))).toContain(ACTIONS.caseAddNote);
    expect(fieldText(c)).toContain('*Owner*\n<@U_OWNER>');
    expect(fieldText(c)).toContain('*Backup*\n<@U_BACKUP>');
    expect(fieldText(c, { ownerAway: true })).toContain('<@U_OWNER> (away: alerts go to the backup)');
  });

  it('keeps Claim on an unowned escalated case (an automatic escalation before anyone claimed it)', () => {
    const c = buildCase({ state: 'escalated' });
    expect(buttonIds(blocksOf(c))[0]).toBe(ACTIONS.caseClaim);
    expect(caseCardMessage(c, ctx()).text).toContain('Escalated · awaiting review');
  });

  it('marks a missed first response, a passed resolution target and an overdue next step', () => {
    const c = buildClaimedCase({ nextActionDue: '2025-03-05' });
    const onTime = fieldText(c, { now: new Date('2025-03-04T13:59:00Z') });
    expect(onTime).not.toContain('overdue');
    const late = fieldText(c, { now: new Date('2025-03-18T15:00:00Z') });
    expect(late).toMatch(/\*First response\*\nDue Tue Mar 4, 9:00 AM :warning: \*overdue\*/);
    expect(late).toMatch(/\*Resolution target\*\nMon Mar 17, 9:00 AM :warning: \*overdue\*/);
    expect(late).toMatch(/\*Next step\*\nDue Wed Mar 5 :warning: \*overdue\*/);
    const logged = fieldText(buildClaimedCase({ firstResponseAt: new Date('2025-03-03T16:00:00Z') }), { now: new Date('2025-03-18T15:00:00Z') });
    expect(logged).toContain('*First response*\nLogged Mon Mar 3, 11:00 AM');
  });

  it('shows when the next step is due and who owns it, never what it says', () => {
    const c = buildClaimedCase({ nextAction: 'Call Ada Lovelace about her cardiology results', nextActionDue: '2025-03-10' });
    const card = caseCardMessage(c, ctx({ latestNextAction: { responsibleParty: 'outside_office', responsibleUserId: 'U0COORD02' } }));
    expect(json(card)).toContain('*Next step*\\nDue Mon Mar 10 (Outside office: <@U0COORD02>)');
    expect(json(card)).not.toContain('cardiology');
    expect(fieldText(buildClaimedCase())).toContain('*Next step*\nNot set yet');
  });

  it('after failed attempts shows how many of the lane\'s most, when the next is due, and when the attempts are used up', () => {
    const due = new Date('2025-03-04T19:00:00Z'); // 2:00 PM EST
    const failing = buildClaimedCase({ consecutiveFailedAttempts: 2, nextAttemptDueAt: due });
    expect(fieldText(failing, { maxAttempts: 6, now: new Date('2025-03-04T18:59:00Z') })).toContain('*Outreach*\n2 of 6 attempts failed · Next attempt due Tue Mar 4, 2:00 PM');
    expect(fieldText(failing, { maxAttempts: 6, now: due })).toContain('Next attempt due Tue Mar 4, 2:00 PM :warning: *overdue*');
    const usedUp = buildClaimedCase({ consecutiveFailedAttempts: 6, nextAttemptDueAt: null });
    expect(fieldText(usedUp, { maxAttempts: 6 })).toContain('*Outreach*\n:warning: 6 of 6 attempts failed: escalate or close as unreachable');
    expect(fieldText(buildClaimedCase())).not.toContain('*Outreach*');
    expect(fieldText(buildClaimedCase({ state: 'closed', consecutiveFailedAttempts: 6, outcome: 'unreachable' }), { maxAttempts: 6 })).not.toContain('*Outreach*');
  });

  it('keeps only Reopen on a closed card, with the outcome and whether the referring office was told', () => {
    const c = buildClaimedCase({ state: 'closed', closedAt: new Date('2025-03-05T15:00:00Z'), outcome: 'completed', closeReason: 'Booked with Dr Who', loopClosed: true });
    const blocks = blocksOf(c);
    expect(buttonIds(blocks)).toEqual([ACTIONS.caseReopen]);
    expect(fieldText(c)).toContain('*Outcome*\nCompleted · referring office told');
    expect(fieldText(c)).toContain('*Closed*\nWed Mar 5, 10:00 AM');
    expect(json(blocks)).not.toContain('Booked with');
    expect(caseCardMessage(c, ctx()).text).toContain('Closed · Completed');
  });

  it('follows PATIENT_LABEL and the practice lane label', () => {
    const c = buildCase();
    expect(caseCardMessage(c, ctx({ labelMode: 'initials' })).text).toMatch(/Patient AL$/);
    const none = caseCardMessage(c, ctx({ labelMode: 'none', laneLabel: 'Referrals' }));
    expect(none.text).toBe('FU-1001 · Referrals · High · Open · unclaimed');
    expect(json(none)).not.toContain('Patient');
  });

  it('never carries a patient field, the details, the next action or the close reason', () => {
    for (const state of CASE_STATES) {
      const c = maximalCase({ state, outcome: state === 'closed' ? 'declined' : null, closedAt: state === 'closed' ? new Date(T0) : null });
      const text = json(caseCardMessage(c, ctx({ latestNextAction: { responsibleParty: 'patient', responsibleUserId: null } })));
      for (const value of [c.patient.name, c.patient.mrn, c.patient.phone!, c.patient.dob!, c.details!.slice(0, 40), c.nextAction!.slice(0, 40), c.closeReason!.slice(0, 40), c.referringOffice!, c.location!]) {
        expect(text).not.toContain(value);
      }
    }
  });

  it('stays within Block Kit limits in every state with every field at its longest', () => {
    for (const state of CASE_STATES) {
      for (const ownerAway of [false, true]) {
        const c = maximalCase({ state, outcome: state === 'closed' ? 'completed' : null, loopClosed: state === 'closed' ? false : null, consecutiveFailedAttempts: 19, nextAttemptDueAt: new Date('2026-01-01T00:00:00Z') });
        const card = caseCardMessage(c, ctx({ laneLabel: LONGEST_LANE_LABEL, ownerAway, maxAttempts: 20, now: new Date('2026-01-01T00:00:00Z'), latestNextAction: { responsibleParty: 'outside_office', responsibleUserId: 'W0123456789ABCDEF' } }));
        expectMessageWithinLimits(card);
        expect(card.blocks.length).toBeLessThanOrEqual(6);
      }
    }
  });
});
