/**
 * The re-attempt cadence and the reminder before a due time, at fixed instants in
 * America/New_York (Monday–Friday 08:00–17:00): across a weekend, across both
 * daylight-saving changes of 2026, once each, to the backup while the owner is away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/domain/policy';
import type { Case } from '../../src/domain/types';
import { ENGINES } from '../support/test-db';
import { COORDINATOR, COORDINATOR_2, coordinator, note } from '../support/services';
import { everyMinutes, jobWorld, type JobWorld } from './job-world';

const OWNER = COORDINATOR;
const BACKUP = COORDINATOR_2;
const failed = (targetDate: string) => note({ contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached', status: 'waiting_on_patient', targetDate });

describe.each(ENGINES)('re-attempt cadence and reminders on %s', (engine) => {
  let w: JobWorld;
  afterEach(async () => {
    await w?.destroy();
  });

  async function noteAt(c: Case, at: string, input = failed('2026-12-31'), by = OWNER): Promise<Case> {
    w.clock.set(at);
    const result = await w.cases.addNote(c.id, coordinator(by), input);
    if (!result.ok) throw new Error(result.message);
    return result.case;
  }

  /** Sweeps every 5 minutes over [from, to); returns what each kind of DM said, in order. */
  async function sweepAcross(from: string, to: string): Promise<{ at: string; kind: string; ref: string; items: { caseId: number; kind: string; due: string }[] }[]> {
    const seen: { at: string; kind: string; ref: string; items: { caseId: number; kind: string; due: string }[] }[] = [];
    for (const at of everyMinutes(from, to)) {
      await w.clearOutbox();
      await w.run('sla-sweep', at);
      for (const row of await w.outbox()) {
        if (row.kind === 'breach_dm' || row.kind === 'reminder_dm') {
          seen.push({ at: at.toISOString(), kind: row.kind, ref: row.ref, items: row.payload.items.map((i: { caseId: number; kind: string; due: string }) => ({ caseId: i.caseId, kind: i.kind, due: i.due })) });
        }
      }
    }
    return seen;
  }

  it('makes a failed attempt on Friday 15:00 due again Monday 10:00 (high: 4 business hours) and alerts it once', async () => {
    w = await jobWorld(engine, '2026-11-20T09:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', at: '2026-11-20T09:00:00-05:00' });
    expect(c.tier).toBe('high');
    const noted = await noteAt(c, '2026-11-20T15:00:00-05:00');
    expect(noted.nextAttemptDueAt?.toISOString()).toBe('2026-11-23T15:00:00.000Z'); // Mon 10:00 EST
    expect(await sweepAcross('2026-11-20T15:05:00-05:00', '2026-11-23T10:30:00-05:00')).toEqual([
      { at: '2026-11-23T15:00:00.000Z', kind: 'breach_dm', ref: OWNER, items: [{ caseId: c.id, kind: 'reattempt', due: '2026-11-23T15:00:00.000Z' }] },
    ]);
    const audit = (await w.stores.cases.listEvents(c.id)).filter((e) => e.action === 'breach_alerted');
    expect(audit.map((e) => e.after)).toEqual([{ kind: 'reattempt', due: '2026-11-23T15:00:00.000Z', dmTo: OWNER }]);
  });

  it('keeps business hours across the spring daylight-saving weekend (urgent: Fri 16:00 EST → Mon 09:00 EDT)', async () => {
    w = await jobWorld(engine, '2026-03-06T14:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-03-06T14:00:00-05:00' });
    expect(c.tier).toBe('urgent');
    const noted = await noteAt(c, '2026-03-06T16:00:00-05:00', failed('2026-03-20'));
    expect(noted.nextAttemptDueAt?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    const alerts = await sweepAcross('2026-03-09T08:00:00-04:00', '2026-03-09T09:30:00-04:00');
    expect(alerts).toEqual([{ at: '2026-03-09T13:00:00.000Z', kind: 'breach_dm', ref: OWNER, items: [{ caseId: c.id, kind: 'reattempt', due: '2026-03-09T13:00:00.000Z' }] }]);
  });

  it('schedules each failed attempt from its own time, stops at the lane\'s most attempts, and clears on a reach or a close', async () => {
    const policy = defaultPolicy();
    policy.lanes.monitoring.maxAttempts = 3;
    policy.lanes.monitoring.reattemptMinutes = { routine: 60 };
    w = await jobWorld(engine, '2026-11-23T08:00:00-05:00', policy);
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'monitoring_enrolled', at: '2026-11-23T08:00:00-05:00' });
    expect(c.tier).toBe('routine');
    let now = await noteAt(c, '2026-11-23T09:00:00-05:00');
    expect(now.nextAttemptDueAt?.toISOString()).toBe('2026-11-23T15:00:00.000Z'); // the lane's 60 minutes, not the tier's 540
    now = await noteAt(c, '2026-11-23T09:20:00-05:00');
    expect(now.nextAttemptDueAt?.toISOString()).toBe('2026-11-23T15:20:00.000Z');
    now = await noteAt(c, '2026-11-23T09:40:00-05:00');
    expect([now.consecutiveFailedAttempts, now.nextAttemptDueAt]).toEqual([3, null]); // 3 of 3: escalate or close unreachable
    now = await noteAt(c, '2026-11-23T10:00:00-05:00', note({ targetDate: '2026-12-31' }));
    expect([now.consecutiveFailedAttempts, now.nextAttemptDueAt]).toEqual([0, null]);
    now = await noteAt(c, '2026-11-23T10:10:00-05:00');
    expect(now.nextAttemptDueAt?.toISOString()).toBe('2026-11-23T16:10:00.000Z');
    // A call to an outside office is not patient outreach: the schedule stands.
    now = await noteAt(c, '2026-11-23T10:20:00-05:00', note({ contact: { channel: 'outside_office', result: 'outside_office_responded' }, targetDate: '2026-12-31' }));
    expect(now.nextAttemptDueAt?.toISOString()).toBe('2026-11-23T16:10:00.000Z');
    w.clock.set('2026-11-23T10:30:00-05:00');
    const closed = await w.cases.close(c.id, coordinator(OWNER), { outcome: 'not_needed', reason: 'Enrolment withdrawn' });
    expect(closed.ok && closed.case.nextAttemptDueAt).toBe(null);
    expect(await sweepAcross('2026-11-23T11:00:00-05:00', '2026-11-23T11:10:00-05:00')).toEqual([]);
  });

  it('sends a missed re-attempt to the backup while the owner is away', async () => {
    w = await jobWorld(engine, '2026-11-23T08:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-11-23T08:00:00-05:00' });
    await noteAt(c, '2026-11-23T09:00:00-05:00'); // urgent: next attempt due 11:00
    await w.stores.away.add(OWNER, '2026-11-23', '2026-11-23', w.clock.now());
    const alerts = await sweepAcross('2026-11-23T11:00:00-05:00', '2026-11-23T11:10:00-05:00');
    expect(alerts.map((a) => [a.kind, a.ref, a.items.map((i) => i.kind)])).toEqual([['breach_dm', BACKUP, ['reattempt']]]);
  });

  it('reminds the owner once, 1 business hour before a first response nobody has logged: Friday 16:30 EDT for Monday 08:30 EST', async () => {
    w = await jobWorld(engine, '2026-10-30T13:30:00-04:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-10-30T13:30:00-04:00' });
    expect(c.firstResponseDueAt.toISOString()).toBe('2026-11-02T13:30:00.000Z'); // Mon 08:30 EST
    const unclaimed = await w.open({ trigger: 'hospital_discharge', at: '2026-10-30T13:30:00-04:00' });
    const worked = await w.openClaimed(BACKUP, null, { trigger: 'hospital_discharge', at: '2026-10-30T13:30:00-04:00' });
    await noteAt(worked, '2026-10-30T14:00:00-04:00', note({ targetDate: '2026-12-31' }), BACKUP);
    const dms = await sweepAcross('2026-10-30T13:35:00-04:00', '2026-11-02T09:00:00-05:00');
    expect(dms.map((d) => [d.at, d.kind, d.ref, d.items.map((i) => [i.caseId, i.kind, i.due])])).toEqual([
      ['2026-10-30T20:30:00.000Z', 'reminder_dm', OWNER, [[c.id, 'first_response', '2026-11-02T13:30:00.000Z']]],
      ['2026-11-02T13:30:00.000Z', 'breach_dm', OWNER, [[c.id, 'first_response', '2026-11-02T13:30:00.000Z']]],
    ]);
    expect(unclaimed.ownerId).toBe(null); // unclaimed: the channel's breach summary carries it, no reminder
  });

  it('reminds once before a next step\'s close of business, unless an attempt was logged toward it; the backup while the owner is away', async () => {
    w = await jobWorld(engine, '2026-11-23T09:00:00-05:00');
    const plain = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', at: '2026-11-23T09:00:00-05:00' });
    const worked = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', at: '2026-11-23T09:00:00-05:00' });
    await noteAt(plain, '2026-11-23T09:30:00-05:00', note({ targetDate: '2026-11-25' }));
    await noteAt(worked, '2026-11-23T09:30:00-05:00', note({ targetDate: '2026-11-25' }));
    // A later attempt that keeps the target date works on the step.
    const attempted = await noteAt(worked, '2026-11-24T10:00:00-05:00', note({ targetDate: '2026-11-25' }));
    expect(attempted.nextActionAttemptedAt?.toISOString()).toBe('2026-11-24T15:00:00.000Z');
    await w.stores.away.add(OWNER, '2026-11-25', '2026-11-25', w.clock.now());
    const dms = await sweepAcross('2026-11-25T15:00:00-05:00', '2026-11-25T17:05:00-05:00');
    expect(dms).toEqual([{ at: '2026-11-25T21:00:00.000Z', kind: 'reminder_dm', ref: BACKUP, items: [{ caseId: plain.id, kind: 'next_action', due: '2026-11-25' }] }]);
    const [row] = await w.db.knex('breach_alerts').where({ case_id: plain.id, kind: 'reminder:next_action' });
    expect(row).toMatchObject({ key: '2026-11-25', routed_to: BACKUP });
  });

  it('sends no reminders when the policy turns them off', async () => {
    const policy = defaultPolicy();
    policy.reminderBeforeDueMinutes = null;
    w = await jobWorld(engine, '2026-11-23T08:00:00-05:00', policy);
    await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-11-23T08:00:00-05:00' }); // due 12:00
    expect((await sweepAcross('2026-11-23T10:55:00-05:00', '2026-11-23T11:55:00-05:00')).map((d) => d.kind)).toEqual([]);
  });
});
