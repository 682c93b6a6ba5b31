import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/domain/policy';
import { TRIGGERS } from '../../../src/domain/types';
import { newCaseErrors, readNewCaseValues, triggerEventBody } from '../../../src/slack/blocks/new-case-form';
import { DETAILS_MAX, newCaseModal, newCaseOpenedView } from '../../../src/slack/blocks/new-case-modal';
import { NEW_CASE } from '../../../src/slack/ids';
import { expectViewWithinLimits } from '../../support/block-limits';
import { buildCase } from '../../support/case-builder';

const policy = defaultPolicy();
type Block = { type: string; block_id?: string; element?: Record<string, unknown>; dispatch_action?: boolean };
const blockIds = (view: { blocks: unknown[] }) => (view.blocks as Block[]).map((b) => b.block_id).filter(Boolean);
const element = (view: { blocks: unknown[] }, id: string) => (view.blocks as Block[]).find((b) => b.block_id === id)?.element;

const COMMON = [NEW_CASE.trigger, NEW_CASE.occurredAt, NEW_CASE.mrn, NEW_CASE.name, NEW_CASE.phone, NEW_CASE.dob, NEW_CASE.priority, NEW_CASE.location, NEW_CASE.details];

describe('newCaseModal', () => {
  it('starts with the common inputs; the trigger select dispatches so lane inputs can appear', () => {
    const view = newCaseModal({ policy, values: { occurredAt: new Date('2026-11-25T15:00:00Z') } });
    expect(view.callback_id).toBe(NEW_CASE.view);
    expect(view.title.text).toBe('New follow-up case');
    expect(view.private_metadata).toBe('');
    expect(blockIds(view)).toEqual(COMMON);
    expect((view.blocks as Block[])[0]!.dispatch_action).toBe(true);
    expect(element(view, NEW_CASE.occurredAt)).toMatchObject({ type: 'datetimepicker', initial_date_time: Date.parse('2026-11-25T15:00:00Z') / 1000 });
    const groups = element(view, NEW_CASE.trigger)!.option_groups as { label: { text: string }; options: { value: string }[] }[];
    expect(groups.map((g) => g.label.text)).toContain('Missed appointment recovery');
    expect(groups.flatMap((g) => g.options.map((o) => o.value)).sort()).toEqual([...TRIGGERS].sort());
    expectViewWithinLimits(view);
  });

  it.each([
    ['missed_appointment', [NEW_CASE.visitType]],
    ['appointment_scheduled', [NEW_CASE.appointmentAt]],
    ['new_referral', [NEW_CASE.referringOffice]],
    ['hospital_discharge', []],
  ])('shows the lane inputs of %s only', (trigger, extra) => {
    const view = newCaseModal({ policy, values: { trigger } });
    for (const id of [NEW_CASE.visitType, NEW_CASE.appointmentAt, NEW_CASE.referringOffice]) expect(blockIds(view).includes(id)).toBe((extra as string[]).includes(id));
    expect((element(view, NEW_CASE.trigger)!.initial_option as { value: string }).value).toBe(trigger);
    expectViewWithinLimits(view);
  });

  it('keeps entered values when rebuilt, and cuts a long message to the input limit', () => {
    const view = newCaseModal({ policy, values: { trigger: 'missed_appointment', mrn: 'MRN1', name: 'Ada', visitType: 'new_patient', dob: '1950-02-03', details: 'x'.repeat(5000) } });
    expect(element(view, NEW_CASE.mrn)!.initial_value).toBe('MRN1');
    expect(element(view, NEW_CASE.dob)!.initial_date).toBe('1950-02-03');
    expect((element(view, NEW_CASE.visitType)!.initial_option as { value: string }).value).toBe('new_patient');
    expect((element(view, NEW_CASE.details)!.initial_value as string).length).toBe(DETAILS_MAX);
    // Patient data only in input values: never in the title or private_metadata.
    expect(view.title.text).not.toContain('Ada');
    expect(view.private_metadata).toBe('');
    expectViewWithinLimits(view);
  });
});

describe('reading and validating the modal', () => {
  const state = {
    [NEW_CASE.trigger]: { [NEW_CASE.trigger]: { type: 'static_select', selected_option: { value: 'missed_appointment' } } },
    [NEW_CASE.occurredAt]: { [NEW_CASE.occurredAt]: { type: 'datetimepicker', selected_date_time: 1764079200 } },
    [NEW_CASE.mrn]: { [NEW_CASE.mrn]: { type: 'plain_text_input', value: 'MRN42' } },
    [NEW_CASE.name]: { [NEW_CASE.name]: { type: 'plain_text_input', value: 'Ada Patient' } },
    [NEW_CASE.phone]: { [NEW_CASE.phone]: { type: 'plain_text_input', value: null } },
    [NEW_CASE.dob]: { [NEW_CASE.dob]: { type: 'datepicker', selected_date: null } },
    [NEW_CASE.priority]: { [NEW_CASE.priority]: { type: 'static_select', selected_option: null } },
    [NEW_CASE.visitType]: { [NEW_CASE.visitType]: { type: 'static_select', selected_option: { value: 'specialty_consult' } } },
    [NEW_CASE.referringOffice]: { [NEW_CASE.referringOffice]: { type: 'plain_text_input', value: 'Left over from another trigger' } },
  };

  it('reads the state back and leaves out inputs the trigger does not use', () => {
    const values = readNewCaseValues(state);
    expect(values).toMatchObject({ trigger: 'missed_appointment', mrn: 'MRN42', name: 'Ada Patient', phone: null, dob: null, priority: null, visitType: 'specialty_consult' });
    expect(values.occurredAt!.toISOString()).toBe('2025-11-25T14:00:00.000Z');
    const body = triggerEventBody(policy, values, 'slack:V1');
    expect(body).toMatchObject({ externalId: 'slack:V1', trigger: 'missed_appointment', visitType: 'specialty_consult', occurredAt: '2025-11-25T14:00:00.000Z' });
    expect(body).not.toHaveProperty('referringOffice');
    expect(readNewCaseValues(undefined)).toMatchObject({ trigger: null, mrn: null });
  });

  it('keys errors by the input showing them; an error for an input not shown goes on the trigger', () => {
    const shown = new Set([NEW_CASE.trigger, NEW_CASE.mrn, NEW_CASE.name]);
    expect(newCaseErrors({ 'patient.mrn': 'must not be empty', 'patient.name': 'required', appointmentAt: 'required for appointment_scheduled (the appointment time)', body: 'x' }, shown)).toEqual({
      [NEW_CASE.mrn]: 'must not be empty',
      [NEW_CASE.name]: 'required',
      [NEW_CASE.trigger]: 'Appointment time: required for appointment_scheduled (the appointment time); Submission: x',
    });
  });

  it('confirms the opened case with number, lane, tier, due time and patient label only', () => {
    const view = newCaseOpenedView(buildCase(), { policy, labelMode: 'initials_mrn4', coordinatorsChannel: 'C0COORD01', created: true });
    const text = JSON.stringify(view);
    expect(text).toContain('*FU-1001* is open: *Referral follow-up* · High · patient `AL ·3456`');
    expect(text).toContain('<#C0COORD01>');
    expect(text).not.toMatch(/Ada|Lovelace|MRN00123456|555-0100/);
    expect(view.submit).toBeUndefined();
    expectViewWithinLimits(view);
    expect(JSON.stringify(newCaseOpenedView(buildCase(), { policy, labelMode: 'none', coordinatorsChannel: 'C1', created: false }))).toContain('already opened by this form');
  });
});
