/**
 * The SLA sweep raises its automatic escalations as a set: every case that earned one in
 * the sweep, however many, each with exactly the case change, audit entries, escalation
 * and Slack messages that `CaseService.escalate` gives one automatic escalation; a case a
 * person changed while the sweep ran is left to the next sweep, which raises it; and no
 * sweep raises anything twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/job-runner';
import { slaSweep } from '../../src/jobs/sla-sweep';
import { CaseService } from '../../src/services/case-service';
import type { CasePort, Stores } from '../../src/services/ports';
import type { Case, EscalationReason } from '../../src/domain/types';
import { ENGINES } from '../support/test-db';
import { COORDINATOR, COORDINATOR_2, coordinator, note } from '../support/services';
import { jobWorld, type JobWorld } from './job-world';

const OWNERS = [COORDINATOR, COORDINATOR_2, 'U0COORD03'];
const SWEEP_AT = '2026-11-25T09:00:00-05:00'; // Wednesday

/**
 * The same practice in any world: discharges from Tuesday nobody has called (unclaimed,
 * or claimed and so moving to escalated), urgent referrals from Monday past their
 * resolution target (one worked, one never called: two escalations at once), and a case
 * with three failed calls in a row.
 */
async function practice(w: JobWorld, discharges: number): Promise<Case[]> {
  const cases: Case[] = [];
  let n = 0;
  const ext = () => `practice-${++n}`;
  w.clock.set('2026-11-23T09:00:00-05:00');
  const worked = await w.openClaimed(OWNERS[0]!, OWNERS[1]!, { externalId: ext(), trigger: 'new_referral', priority: 'urgent', at: '2026-11-23T09:00:00-05:00' });
  expect((await w.cases.addNote(worked.id, coordinator(OWNERS[0]), note({ targetDate: '2026-12-04' }))).ok).toBe(true);
  cases.push(worked);
  cases.push(await w.openClaimed(OWNERS[1]!, null, { externalId: ext(), trigger: 'new_referral', priority: 'urgent', at: '2026-11-23T09:00:00-05:00' }));
  const failing = await w.openClaimed(OWNERS[2]!, OWNERS[0]!, { externalId: ext(), trigger: 'new_referral', at: '2026-11-23T09:00:00-05:00' });
  const failed = note({ contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached', status: 'waiting_on_patient', targetDate: '2026-11-30' });
  for (let i = 0; i < 3; i++) expect((await w.cases.addNote(failing.id, coordinator(OWNERS[2]), failed)).ok).toBe(true);
  cases.push(failing);
  w.clock.set('2026-11-24T09:00:00-05:00');
  for (let i = 0; i < discharges; i++) {
    const o = { externalId: ext(), trigger: 'hospital_discharge' as const, at: '2026-11-24T09:00:00-05:00' };
    cases.push(i % 3 === 0 ? await w.open(o) : await w.openClaimed(OWNERS[i % 3]!, OWNERS[(i + 1) % 3]!, o));
  }
  return cases;
}

/** The stores of a job run, with `meddle` run once in the run's transaction just before the sweep writes its cases. */
function meddlingBeforeUpdate(stores: Stores, meddle: (tx: Stores) => Promise<void>): Stores {
  let done = false;
  const wrap = (s: Stores): Stores => ({
    ...s,
    cases: new Proxy(s.cases, {
      get(target, name) {
        if (name === 'updateCases') {
          return async (changes: Parameters<CasePort['updateCases']>[0]) => {
            if (!done) {
              done = true;
              await meddle(s);
            }
            return target.updateCases(changes);
          };
        }
        const value = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
    transaction: (fn) => s.transaction((inner) => fn(wrap(inner))),
  });
  return wrap(stores);
}

describe.each(ENGINES)('SLA sweep escalations as a set on %s', (engine) => {
  const worlds: JobWorld[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.destroy();
  });
  const world = async () => {
    const w = await jobWorld(engine, '2026-11-23T09:00:00-05:00');
    worlds.push(w);
    return w;
  };
  const withoutId = <T extends { id: number }>({ id: _id, ...rest }: T) => rest;

  it('gives each case exactly the case change, audit, escalation and messages CaseService.escalate gives it, all in one sweep', async () => {
    const swept = await world();
    const single = await world();
    const cases = await practice(swept, 30);
    await practice(single, 30);
    await swept.clearOutbox();
    await single.clearOutbox();
    const eventsBefore = await Promise.all(cases.map(async (c) => (await swept.stores.cases.listEvents(c.id)).length));

    const outcome = await swept.run('sla-sweep', SWEEP_AT);
    expect(outcome).toMatchObject({ status: 'done' });
    // Every earned escalation, in one sweep: 30 missed windows, 2 referral delays (one case also missed its window), 1 failed contact.
    expect(outcome.status === 'done' && outcome.summary).toMatch(/; 34 escalation\(s\) raised; /);

    // The single path, case by case, for the reasons the sweep raised, at the same instant.
    single.clock.set(SWEEP_AT);
    for (const c of cases) {
      for (const e of await swept.stores.cases.listEscalations(c.id)) {
        const result = await single.cases.escalate(c.id, 'system', e.reason as EscalationReason, null, { post: false });
        expect(result.ok && result.escalation).toBeTruthy();
      }
    }
    const reasons = await Promise.all(cases.map(async (c) => (await swept.stores.cases.listEscalations(c.id)).map((e) => e.reason)));
    expect(reasons.slice(0, 3)).toEqual([['urgent_referral_delay'], ['urgent_referral_delay', 'response_window_missed'], ['repeated_failed_contact']]);
    expect(reasons.slice(3).every((r) => r.length === 1 && r[0] === 'response_window_missed')).toBe(true);

    for (const [i, c] of cases.entries()) {
      expect(await swept.stores.cases.getCase(c.id)).toEqual(await single.stores.cases.getCase(c.id));
      expect((await swept.stores.cases.listEscalations(c.id)).map(withoutId)).toEqual((await single.stores.cases.listEscalations(c.id)).map(withoutId));
      // The sweep's own audit (breach alerts) aside, the same entries in the same order.
      const sweptEvents = (await swept.stores.cases.listEvents(c.id)).slice(eventsBefore[i]).filter((e) => e.action !== 'breach_alerted').map(withoutId);
      expect(sweptEvents).toEqual((await single.stores.cases.listEvents(c.id)).slice(eventsBefore[i]).map(withoutId));
      expect(sweptEvents.length).toBeGreaterThan(0);
    }
    // The same card and Home refreshes, in the same order; the sweep adds its alerts and one escalation post or summary per channel.
    const refreshes = (rows: { kind: string; ref: string; payload: unknown }[]) => rows.filter((r) => ['case_card', 'home_publish', 'providers_home'].includes(r.kind)).map((r) => [r.kind, r.ref, r.payload]);
    const singleRows = await single.outbox();
    expect(refreshes(await swept.outbox())).toEqual(refreshes(singleRows));
    expect(singleRows.every((r) => ['case_card', 'home_publish', 'providers_home'].includes(r.kind))).toBe(true);
    expect(refreshes(singleRows)).toContainEqual(['providers_home', 'providers', null]);
    const announced = (await swept.outbox()).filter((r) => r.kind === 'escalation_summary' || r.kind === 'escalation_post');
    // Providers: the two referral delays, a post each; managers: 32, in one summary.
    expect(announced.map((r) => r.kind)).toEqual(['escalation_post', 'escalation_post', 'escalation_summary']);
    expect(announced[2]!.payload).toMatchObject({ target: 'managers', reraised: [] });
    expect(announced[2]!.payload.raised).toHaveLength(32);
  }, 120_000);

  it('leaves a case a person changed while the sweep ran to the next sweep, which raises it; no sweep raises anything twice', async () => {
    const w = await world();
    const cases = await practice(w, 12);
    const victim = cases[3]!; // an unclaimed discharge
    expect(victim.ownerId).toBeNull();
    const stores = meddlingBeforeUpdate(w.stores, async (tx) => {
      // A coordinator claims it meanwhile: the sweep read it before this change.
      const person = new CaseService({ stores: tx, clock: w.clock, policy: w.policy });
      expect((await person.claim(victim.id, coordinator(COORDINATOR_2))).ok).toBe(true);
    });
    w.clock.set(SWEEP_AT);
    const first = await runJob(slaSweep, { ...w.env, stores }, new Date(SWEEP_AT));
    expect(first.status === 'done' && first.summary).toMatch(/; 15 escalation\(s\) raised \(1 left to the next sweep: refused, or the case changed meanwhile\); /);
    expect(await w.stores.cases.listEscalations(victim.id)).toEqual([]);
    expect((await w.stores.cases.listEvents(victim.id)).map((e) => e.action).filter((a) => a === 'escalated')).toEqual([]);
    // The person's change stands, and the claim was given back for the next sweep.
    expect(await w.stores.cases.getCase(victim.id)).toMatchObject({ ownerId: COORDINATOR_2 });
    expect(await w.stores.breaches.countAlerts(victim.id, 'escalation:response_window_missed')).toBe(0);
    const others = cases.filter((c) => c.id !== victim.id);
    for (const c of others) expect((await w.stores.cases.listEscalations(c.id)).length).toBeGreaterThan(0);

    const second = await w.run('sla-sweep', '2026-11-25T09:05:00-05:00');
    expect(second.status === 'done' && second.summary).toMatch(/; 1 escalation\(s\) raised; /);
    expect((await w.stores.cases.listEscalations(victim.id)).map((e) => e.reason)).toEqual(['response_window_missed']);
    expect(await w.stores.cases.getCase(victim.id)).toMatchObject({ ownerId: COORDINATOR_2, state: 'escalated' });

    const counts = async () => ({
      escalations: Number((await w.db.knex('escalations').count<{ n: number }[]>('* as n'))[0]!.n),
      escalated: Number((await w.db.knex('case_events').where({ action: 'escalated' }).count<{ n: number }[]>('* as n'))[0]!.n),
      announced: (await w.outbox()).filter((r) => r.kind === 'escalation_summary' || r.kind === 'escalation_post').length,
    });
    const settled = await counts();
    expect(settled.escalations).toBe(16);
    for (const at of ['2026-11-25T09:10:00-05:00', '2026-11-25T09:15:00-05:00']) {
      expect((await w.run('sla-sweep', at)).status === 'done').toBe(true);
    }
    expect(await counts()).toEqual(settled);
  }, 120_000);
});
