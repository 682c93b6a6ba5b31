/**
 * Providers see what waits for them: their App Home lists escalations for the clinical
 * team (urgent first, then newest), each with Acknowledge that works from Home, and those
 * they acknowledged in the last 7 days. Refreshed through the outbox when one is raised
 * or acknowledged.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, HOME, VIEWS } from '../../src/slack/ids';
import { expectViewWithinLimits } from '../support/block-limits';
import { coordinator, triggerEvent } from '../support/services';
import { USERS, blockActionPayload, recordSlack, viewSubmissionPayload, type SlackCall, type TestApp } from '../support/slack';
import { form, stateValues, waitForCall } from '../support/slack-forms';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

type Block = { block_id?: string; text?: { text: string }; accessory?: { action_id: string; value: string } };
const PHI = ['Short of breath since Monday', 'Which inhaler', 'MRN00044321'];

describe.each(ENGINES)('a provider’s App Home on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, { at: '2026-11-25T09:00:00-05:00' }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  const providerHomes = (calls: SlackCall[]) => calls.filter((c) => c.method === 'views.publish' && c.body.user_id === USERS.provider);
  const blocksOf = (call: SlackCall) => (call.body.view as { blocks: Block[] }).blocks;

  it('lists pending escalations urgent first with Acknowledge, which works from Home, then shows it acknowledged', async () => {
    const calls = recordSlack();
    const open = async (externalId: string) => {
      const { case: c } = await t.careBridge.cases.openCase(triggerEvent({ externalId, patient: { mrn: 'MRN00044321', name: 'Zelda Quistorp', phone: null, dob: null } }));
      await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator));
      return c;
    };
    const a = await open('EXT-PROV-A');
    const b = await open('EXT-PROV-B');
    await t.careBridge.cases.escalate(a.id, coordinator(USERS.coordinator), 'worsening_symptoms', 'Short of breath since Monday');
    t.clock.advance(30 * 60_000);
    await t.careBridge.cases.escalate(b.id, coordinator(USERS.coordinator), 'medication_confusion', 'Which inhaler');
    await t.deliver();

    await t.event({ type: 'app_home_opened', user: USERS.provider, channel: 'D0HOME002', tab: 'home', event_ts: '1700000000.000200' });
    await expect.poll(() => providerHomes(calls).length).toBeGreaterThan(0);
    const home = providerHomes(calls).at(-1)!;
    expectViewWithinLimits(home.body.view as object);
    const pending = blocksOf(home).filter((x) => x.block_id?.startsWith(`${HOME.providerPending}_`));
    expect(pending.map((x) => x.text!.text.split('\n')[0])).toEqual([
      `:rotating_light: *Urgent* · *${a.number}* · Referral follow-up · High · \`ZQ ·4321\` · Worsening symptoms`,
      `*${b.number}* · Referral follow-up · High · \`ZQ ·4321\` · Medication confusion`,
    ]);
    expect(pending[0]!.text!.text).toContain('Raised 30 min ago');
    for (const phi of PHI) expect(JSON.stringify(home.body)).not.toContain(phi);
    const [escalationA] = await t.careBridge.stores.cases.listEscalations(a.id);
    expect(pending[0]!.accessory).toMatchObject({ action_id: ACTIONS.escalationAcknowledge, value: String(escalationA!.id) });

    // Acknowledge from Home: no channel, the modal opens with the press's trigger.
    await t.interaction(blockActionPayload({ userId: USERS.provider, actionId: ACTIONS.escalationAcknowledge, value: String(escalationA!.id), view: { type: 'home', id: 'V0HOME001' } }));
    const modal = await waitForCall(calls, (c) => c.method === 'views.open');
    const answer = await t.interaction(
      viewSubmissionPayload({
        userId: USERS.provider,
        callbackId: VIEWS.acknowledge,
        privateMetadata: (modal.body.view as { private_metadata: string }).private_metadata,
        values: stateValues({ [BLOCKS.ackGuidance]: form.text('ED now if breathless at rest') }),
      }),
    );
    expect(await answer.text()).toBe('');
    await t.deliver();
    // The providers' Homes are republished (right away, or by this delivery) with A acknowledged.
    const acknowledgedBlock = () => blocksOf(providerHomes(calls).at(-1)!).find((x) => x.block_id === HOME.providerAcknowledged)?.text?.text ?? '';
    await expect.poll(acknowledgedBlock).toContain(`*${a.number}*`);
    const after = blocksOf(providerHomes(calls).at(-1)!);
    expect(after.filter((x) => x.block_id?.startsWith(`${HOME.providerPending}_`)).map((x) => x.text!.text)).toEqual([expect.stringContaining(b.number)]);
    expect(after.find((x) => x.block_id === HOME.providerAcknowledged)!.text!.text).toContain(`*${a.number}*`);
    expect(JSON.stringify(after)).not.toContain('ED now if breathless');
  });
});
