import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEW_CASE, SHORTCUTS } from '../../src/slack/ids';
import { expectMessageWithinLimits, expectViewWithinLimits } from '../support/block-limits';
import { CHANNELS, USERS, blockActionPayload, messageShortcutPayload, recordSlack, viewSubmissionPayload, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

type StateValues = Record<string, Record<string, unknown>>;
const text = (id: string, value: string | null) => ({ [id]: { [id]: { type: 'plain_text_input', value } } });
const select = (id: string, value: string | null) => ({ [id]: { [id]: { type: 'static_select', selected_option: value ? { value, text: { type: 'plain_text', text: value } } : null } } });
const dateTime = (id: string, iso: string | null) => ({ [id]: { [id]: { type: 'datetimepicker', selected_date_time: iso ? Date.parse(iso) / 1000 : null } } });
const date = (id: string, value: string | null) => ({ [id]: { [id]: { type: 'datepicker', selected_date: value } } });

/** A complete, valid referral as Slack reports the modal's state. */
function validState(overrides: StateValues = {}): StateValues {
  return {
    ...select(NEW_CASE.trigger, 'new_referral'),
    ...dateTime(NEW_CASE.occurredAt, '2026-11-25T09:00:00-05:00'),
    ...text(NEW_CASE.mrn, 'MRN00055501'),
    ...text(NEW_CASE.name, 'Katherine Johnson'),
    ...text(NEW_CASE.phone, '555-201-3344'),
    ...date(NEW_CASE.dob, '1948-08-26'),
    ...select(NEW_CASE.priority, null),
    ...text(NEW_CASE.referringOffice, 'Hampton Family Practice'),
    ...text(NEW_CASE.location, null),
    ...text(NEW_CASE.details, 'Cardiology referral, patient prefers mornings'),
    ...overrides,
  };
}
const PHI = ['Katherine', 'Johnson', 'MRN00055501', '555-201-3344', '1948-08-26', 'prefers mornings'];

describe.each(ENGINES)('new-case modal and message shortcut on %s', (engine) => {
  let t: TestApp;
  const submit = async (values: StateValues, options: { userId?: string; viewId?: string } = {}) => {
    const res = await t.interaction(viewSubmissionPayload({ userId: options.userId ?? USERS.coordinator, callbackId: NEW_CASE.view, values, viewId: options.viewId }));
    expect(res.status).toBe(200);
    const raw = await res.text();
    return (raw ? JSON.parse(raw) : {}) as { response_action?: string; errors?: Record<string, string>; view?: { callback_id: string; blocks: unknown[] } };
  };
  const countCases = async () => Number((await t.db.knex('cases').count<{ n: number }[]>('* as n'))[0]!.n);

  withTestApp(engine, {}, (app) => (t = app));
  beforeEach(async () => {
    await t.db.knex('outbox').delete();
  });
  afterEach(() => nock.cleanAll());

  it('answers every invalid field inside the modal, keyed by its block id, and opens no case', async () => {
    recordSlack();
    const before = await countCases();
    const answer = await submit({
      ...select(NEW_CASE.trigger, 'not_a_trigger'),
      ...dateTime(NEW_CASE.occurredAt, null),
      ...text(NEW_CASE.mrn, '   '),
      ...text(NEW_CASE.name, null),
      ...text(NEW_CASE.phone, 'call me maybe'),
      ...date(NEW_CASE.dob, '26/08/1948'),
      ...select(NEW_CASE.priority, 'whenever'),
      ...text(NEW_CASE.location, 'Main\nStreet'),
      ...text(NEW_CASE.details, 'bell \u0007 character'),
    });
    expect(answer.response_action).toBe('errors');
    expect(answer.errors).toEqual({
      [NEW_CASE.trigger]: expect.stringContaining('must be one of new_referral'),
      [NEW_CASE.occurredAt]: 'required',
      [NEW_CASE.mrn]: 'must not be empty',
      [NEW_CASE.name]: "required: the patient's name",
      [NEW_CASE.phone]: expect.stringContaining('must be a phone number'),
      [NEW_CASE.dob]: 'must be a date YYYY-MM-DD',
      [NEW_CASE.priority]: expect.stringContaining('must be one of urgent'),
      [NEW_CASE.location]: 'must be one line without control characters',
      [NEW_CASE.details]: 'must not contain control characters',
    });
    expect(await countCases()).toBe(before);
    expect(await t.db.knex('outbox')).toEqual([]);
  });

  it('checks the lane rules too: a future time, and an appointment booking without its time', async () => {
    recordSlack();
    const future = await submit(validState(dateTime(NEW_CASE.occurredAt, '2026-11-26T09:00:00-05:00')));
    expect(future.errors).toEqual({ [NEW_CASE.occurredAt]: 'must not be in the future' });
    const booking = await submit(validState({ ...select(NEW_CASE.trigger, 'appointment_scheduled'), ...dateTime(NEW_CASE.appointmentAt, null) }));
    expect(booking.errors).toEqual({ [NEW_CASE.appointmentAt]: 'required for appointment_scheduled (the appointment time)' });
  });

  it('opens the case from a valid submission, enqueues its card, and a repeated submission opens no second case', async () => {
    const calls = recordSlack();
    const before = await countCases();
    const first = await submit(validState(), { viewId: 'V0NEWCASE1' });
    expect(first.response_action).toBe('update');
    expect(first.view!.callback_id).toBe(NEW_CASE.opened);
    expectViewWithinLimits(first.view!);
    const confirmation = JSON.stringify(first.view);
    expect(confirmation).toMatch(/\*FU-\d+\* is open: \*Referral follow-up\* · High · patient `KJ ·5501`/);
    for (const phi of PHI) expect(confirmation).not.toContain(phi);

    const opened = await t.careBridge.stores.cases.getCaseByExternalId('slack:V0NEWCASE1');
    expect(opened).toMatchObject({ lane: 'referral', tier: 'high', state: 'open', referringOffice: 'Hampton Family Practice', patient: { mrn: 'MRN00055501', name: 'Katherine Johnson', phone: '555-201-3344', dob: '1948-08-26' } });
    expect(opened!.occurredAt.toISOString()).toBe('2026-11-25T14:00:00.000Z');
    const events = await t.careBridge.stores.cases.listEvents(opened!.id);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([['opened', USERS.coordinator]]);
    const outbox = await t.db.knex('outbox').where({ ref: String(opened!.id) }).orderBy('id');
    expect(outbox.map((r) => r.kind)).toEqual(['case_card']); // unclaimed: nobody's Home to refresh yet

    const again = await submit(validState(), { viewId: 'V0NEWCASE1' });
    expect(again.response_action).toBe('update');
    expect(JSON.stringify(again.view)).toContain(`*${opened!.number}* is open (already opened by this form)`);
    expect(await countCases()).toBe(before + 1);

    // The card reaches the coordinators channel, naming the patient by label only.
    await t.deliver();
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(CHANNELS.coordinators);
    expect(JSON.stringify(posts[0]!.body)).toContain(opened!.number);
    for (const phi of PHI) expect(JSON.stringify(posts[0]!.body)).not.toContain(phi);
    expectMessageWithinLimits(posts[0]!.body as { text: string; blocks: unknown[] });
  });

  it('refuses a submission from someone who may not open cases, opening nothing', async () => {
    recordSlack();
    const before = await countCases();
    for (const userId of [USERS.provider, USERS.stranger]) {
      const answer = await submit(validState(), { userId });
      expect(answer).toEqual({ response_action: 'errors', errors: { [NEW_CASE.trigger]: 'Only coordinators and managers can open follow-up cases.' } });
    }
    expect(await countCases()).toBe(before);
  });

  it('shows the lane inputs of the chosen trigger, keeping what was entered', async () => {
    const calls = recordSlack();
    const values = validState({ ...select(NEW_CASE.trigger, 'missed_appointment') });
    const res = await t.interaction(
      blockActionPayload({ userId: USERS.coordinator, actionId: NEW_CASE.trigger, blockId: NEW_CASE.trigger, view: { id: 'V0NEWCASE2', hash: '123.abc', private_metadata: '', callback_id: NEW_CASE.view, state: { values } } }),
    );
    expect(res.status).toBe(200);
    await expect.poll(() => calls.filter((c) => c.method === 'views.update').length).toBe(1);
    const update = calls.find((c) => c.method === 'views.update')!;
    expect(update.body).toMatchObject({ view_id: 'V0NEWCASE2', hash: '123.abc' });
    const view = update.body.view as { blocks: { block_id?: string; element?: Record<string, unknown> }[] };
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids).toContain(NEW_CASE.visitType);
    expect(ids).not.toContain(NEW_CASE.referringOffice);
    expect(view.blocks.find((b) => b.block_id === NEW_CASE.mrn)!.element!.initial_value).toBe('MRN00055501');
    expectViewWithinLimits(view);
  });

  it('opens the modal from a message with its text as the details, and refuses non-coordinators', async () => {
    const calls = recordSlack();
    const message = 'Pt Katherine Johnson MRN00055501 called: missed her cardiology consult, wants to rebook';
    await t.interaction(messageShortcutPayload({ userId: USERS.coordinator, callbackId: SHORTCUTS.createFromMessage, text: message }));
    await expect.poll(() => calls.filter((c) => c.method === 'views.open').length).toBe(1);
    const view = calls.find((c) => c.method === 'views.open')!.body.view as { callback_id: string; title: { text: string }; private_metadata: string; blocks: { block_id?: string; element?: Record<string, unknown> }[] };
    expect(view.callback_id).toBe(NEW_CASE.view);
    expect(view.blocks.find((b) => b.block_id === NEW_CASE.details)!.element!.initial_value).toBe(message);
    // The message's time (Nov 14, 2023 here) is older than a year, so "when it happened" starts at now.
    expect(view.blocks.find((b) => b.block_id === NEW_CASE.occurredAt)!.element!.initial_date_time).toBe(Date.parse('2026-11-25T10:00:00-05:00') / 1000);
    // PHI only in the input's value: not in the title or private_metadata.
    expect(view.title.text).toBe('New follow-up case');
    expect(view.private_metadata).toBe('');
    expectViewWithinLimits(view);

    await t.interaction(messageShortcutPayload({ userId: USERS.provider, callbackId: SHORTCUTS.createFromMessage, text: message }));
    await expect.poll(() => calls.filter((c) => c.method === 'chat.postEphemeral').length).toBe(1);
    expect(calls.find((c) => c.method === 'chat.postEphemeral')!.body).toMatchObject({ channel: CHANNELS.coordinators, user: USERS.provider, text: 'Only coordinators and managers can open follow-up cases.' });
    expect(calls.filter((c) => c.method === 'views.open')).toHaveLength(1);
  });
});
