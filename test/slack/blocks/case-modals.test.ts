import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/domain/policy';
import { LANES, OUTCOMES, PRE_VISIT_CHECKLIST, type Case, type Escalation } from '../../../src/domain/types';
import { acknowledgeModal, closeModal, escalateModal, reassignModal, scriptModal } from '../../../src/slack/blocks/case-modals';
import type { ModalView } from '../../../src/slack/blocks/kit';
import { decodeModalRef } from '../../../src/slack/blocks/metadata';
import { noteModal } from '../../../src/slack/blocks/note-modal';
import { ACK_FIELD_BLOCKS, BLOCKS, CLOSE_FIELD_BLOCKS, ESCALATE_FIELD_BLOCKS, NOTE_FIELD_BLOCKS, REASSIGN_FIELD_BLOCKS, VIEWS } from '../../../src/slack/ids';
import { expectViewWithinLimits } from '../../support/block-limits';
import { T0, buildCase, buildClaimedCase } from '../../support/case-builder';
import { LONGEST_LANE_LABEL, longText, maximalCase } from '../../support/max-case';

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { text: string }[]; element?: { type: string; action_id: string; options?: { value: string }[]; initial_options?: { value: string }[]; initial_user?: string } };
const blocksOf = (v: ModalView) => v.blocks as unknown as Block[];
const inputIds = (v: ModalView) => blocksOf(v).filter((b) => b.type === 'input').map((b) => b.block_id);
const labelMode = 'initials_mrn4' as const;
const escalation = (over: Partial<Escalation> = {}): Escalation => ({
  id: 77, caseId: 1, reason: 'worsening_symptoms', text: 'Short of breath', target: 'providers', urgent: true, raisedBy: 'U_OWNER', raisedAt: new Date(T0),
  acknowledgedBy: null, acknowledgedAt: null, guidance: null, reraisedAt: null, ...over,
});

/** The patient fields and free text no modal may carry (SPEC §6: modals are not messages). */
function expectNoPatientData(view: ModalView, c: Case): void {
  const text = JSON.stringify(view);
  for (const value of [c.patient.name, c.patient.mrn, c.patient.phone ?? '(none)', c.patient.dob ?? '(none)', c.details ?? '(none)', c.nextAction ?? '(none)']) expect(text).not.toContain(value);
}

describe('note modal', () => {
  it('asks every SPEC §4 field, keeps only the case id in private_metadata, and names inputs as ids.ts says', () => {
    const c = buildClaimedCase();
    const view = noteModal(c, { labelMode });
    expect(view.callback_id).toBe(VIEWS.note);
    expect(decodeModalRef(view.private_metadata)).toEqual({ caseId: 1 });
    expect(view.private_metadata).toBe('{"caseId":1}');
    expect(view.title.text).toBe('Note · FU-1001');
    expect(inputIds(view)).toEqual([
      BLOCKS.noteContactChannel, BLOCKS.noteContactResult, BLOCKS.noteStatus, BLOCKS.noteBarrier, BLOCKS.noteBarrierText,
      BLOCKS.noteUnderstanding, BLOCKS.noteUnderstandingText, BLOCKS.noteNextAction, BLOCKS.noteResponsibleParty,
      BLOCKS.noteResponsibleUser, BLOCKS.noteTargetDate, BLOCKS.noteEscalationReason, BLOCKS.noteEscalationText,
    ]);
    for (const b of blocksOf(view).filter((x) => x.type === 'input')) expect(b.element!.action_id).toBe(b.block_id);
    expectNoPatientData(view, c);
    expectViewWithinLimits(view);
  });

  it('maps every note field error to a block the modal really has (the checklist on pre-visit cases)', () => {
    const ids = new Set(inputIds(noteModal(buildClaimedCase({ lane: 'pre_visit' }), { labelMode })));
    for (const block of Object.values(NOTE_FIELD_BLOCKS)) expect(ids).toContain(block);
    expect(ids).toContain(BLOCKS.noteContactResult);
    expect(ids).toContain(BLOCKS.noteEscalationText);
  });

  it('adds the readiness checklist only on pre-visit cases, ticked as the latest note left it', () => {
    const view = noteModal(buildClaimedCase({ lane: 'pre_visit' }), { labelMode, checklist: ['paperwork', 'interpreter'] });
    const checklist = blocksOf(view).find((b) => b.block_id === BLOCKS.noteChecklist)!;
    expect(checklist.element!.type).toBe('checkboxes');
    expect(checklist.element!.options!.map((o) => o.value)).toEqual([...PRE_VISIT_CHECKLIST]);
    expect(checklist.element!.initial_options!.map((o) => o.value)).toEqual(['paperwork', 'interpreter']);
    for (const lane of LANES.filter((l) => l !== 'pre_visit')) expect(inputIds(noteModal(buildClaimedCase({ lane }), { labelMode }))).not.toContain(BLOCKS.noteChecklist);
  });

  it("shows a missed-appointment patient's earlier no-shows as a count, and only in that lane", () => {
    const c = buildClaimedCase({ lane: 'missed_appointment' });
    const text = (v: ModalView) => JSON.stringify(v.blocks);
    expect(text(noteModal(c, { labelMode, priorNoShows: 2 }))).toContain('2 earlier no-shows in 12 months before this one');
    expect(text(noteModal(c, { labelMode, priorNoShows: 1 }))).toContain('1 earlier no-show in 12 months before this one');
    expect(text(noteModal(c, { labelMode, priorNoShows: 0 }))).toContain('No earlier no-shows in 12 months before this one');
    expect(text(noteModal(buildClaimedCase(), { labelMode, priorNoShows: 2 }))).not.toContain('missed appointment');
  });

  it('stays within limits and free of patient data for a case with every field at its longest, in every lane', () => {
    for (const lane of LANES) {
      const c = maximalCase({ lane });
      const view = noteModal(c, { labelMode, laneLabel: LONGEST_LANE_LABEL, priorNoShows: 9999, checklist: [...PRE_VISIT_CHECKLIST] });
      expectViewWithinLimits(view);
      expectNoPatientData(view, c);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });
});

describe('escalate, close, reassign, acknowledge and script modals', () => {
  const c = maximalCase();
  const all = (): ModalView[] => [
    escalateModal(c, { labelMode, laneLabel: LONGEST_LANE_LABEL }),
    closeModal(c, { labelMode, laneLabel: LONGEST_LANE_LABEL }),
    reassignModal(c, { labelMode, laneLabel: LONGEST_LANE_LABEL, actorId: 'U0MGR0001' }),
    acknowledgeModal(escalation({ caseId: c.id }), c, { labelMode, laneLabel: LONGEST_LANE_LABEL }),
    scriptModal(c, { labelMode, laneLabel: LONGEST_LANE_LABEL, script: longText(2500, 'A step of the script.\n') }),
  ];

  it('stay within limits and free of patient data with every field at its longest', () => {
    for (const view of all()) {
      expectViewWithinLimits(view);
      expectNoPatientData(view, c);
    }
  });

  it('name their inputs as ids.ts says, so field errors land on real blocks', () => {
    const [esc, close, reassign, ack] = all();
    expect(inputIds(esc!)).toEqual(Object.values(ESCALATE_FIELD_BLOCKS));
    expect(inputIds(close!)).toEqual(Object.values(CLOSE_FIELD_BLOCKS));
    expect(inputIds(reassign!)).toEqual(Object.values(REASSIGN_FIELD_BLOCKS));
    expect(inputIds(ack!)).toEqual(Object.values(ACK_FIELD_BLOCKS));
    expect(all().map((v) => v.callback_id)).toEqual([VIEWS.escalate, VIEWS.close, VIEWS.reassign, VIEWS.acknowledge, VIEWS.script]);
  });

  it('escalate offers only the reasons a person may raise', () => {
    const reason = blocksOf(escalateModal(buildClaimedCase(), { labelMode })).find((b) => b.block_id === BLOCKS.escalateReason)!;
    expect(reason.element!.options!.map((o) => o.value)).toEqual(['worsening_symptoms', 'medication_confusion', 'discharge_concern']);
  });

  it('close offers every outcome, and asks about the referring office only on referral cases', () => {
    const referral = closeModal(buildClaimedCase(), { labelMode });
    expect(blocksOf(referral).find((b) => b.block_id === BLOCKS.closeOutcome)!.element!.options!.map((o) => o.value)).toEqual([...OUTCOMES]);
    expect(inputIds(referral)).toContain(BLOCKS.closeLoop);
    expect(inputIds(closeModal(buildClaimedCase({ lane: 'discharge' }), { labelMode }))).not.toContain(BLOCKS.closeLoop);
  });

  it('reassign starts from the current owner and backup (or the person reassigning)', () => {
    const owned = blocksOf(reassignModal(buildClaimedCase(), { labelMode, actorId: 'U0MGR0001' }));
    expect(owned.find((b) => b.block_id === BLOCKS.reassignOwner)!.element!.initial_user).toBe('U_OWNER');
    expect(owned.find((b) => b.block_id === BLOCKS.reassignBackup)!.element!.initial_user).toBe('U_BACKUP');
    const open = blocksOf(reassignModal(buildCase(), { labelMode, actorId: 'U0MGR0001' }));
    expect(open.find((b) => b.block_id === BLOCKS.reassignOwner)!.element!.initial_user).toBe('U0MGR0001');
    expect(open.find((b) => b.block_id === BLOCKS.reassignBackup)!.element!.initial_user).toBeUndefined();
  });

  it('acknowledge keeps the case and escalation ids in private_metadata, not the escalation text', () => {
    const view = acknowledgeModal(escalation(), buildClaimedCase(), { labelMode });
    expect(decodeModalRef(view.private_metadata)).toEqual({ caseId: 1, escalationId: 77 });
    expect(JSON.stringify(view)).not.toContain('Short of breath');
    expect(JSON.stringify(view)).toContain('Worsening symptoms');
  });

  it("script shows the lane's script from the policy as numbered steps, with no submit button", () => {
    const policy = defaultPolicy();
    for (const lane of LANES) {
      const view = scriptModal(buildClaimedCase({ lane }), { labelMode, script: policy.lanes[lane].script });
      expect(view.submit).toBeUndefined();
      const body = blocksOf(view)[1]!.text!.text;
      expect(body).toMatch(/^\*1\.\* Hello, this is \[your name\]/);
      expect(body).toContain('*5.* ');
      expectViewWithinLimits(view);
    }
  });
});
