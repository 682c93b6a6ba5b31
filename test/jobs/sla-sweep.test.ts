import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/domain/policy';
import { INDIVIDUAL_ESCALATION_POSTS_MAX, isBusinessTime, sweepPeriod } from '../../src/jobs/sla-sweep';
import { ENGINES } from '../support/test-db';
import { COORDINATOR, COORDINATOR_2, MANAGER, coordinator, note } from '../support/services';
import { everyMinutes, jobWorld, type JobWorld } from './job-world';

const OWNER = COORDINATOR;
const BACKUP = COORDINATOR_2;

describe.each(ENGINES)('SLA sweep on %s', (engine) => {
  let w: JobWorld;
  afterEach(async () => {
    await w?.destroy();
  });

  /** Sweeps every 5 minutes over [from, to); returns the instants whose sweep alerted something. */
  async function sweepAcross(from: string, to: string): Promise<string[]> {
    const alerted: string[] = [];
    for (const at of everyMinutes(from, to)) {
      const outcome = await w.run('sla-sweep', at);
      if (outcome.status === 'done' && !outcome.summary.startsWith('0 new')) alerted.push(at.toISOString());
    }
    return alerted;
  }

  it('breaches an urgent case opened Friday 16:30 on Monday 11:30, not at the weekend', async () => {
    w = await jobWorld(engine, '2026-11-20T16:30:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-11-20T16:30:00-05:00' });
    expect(c.tier).toBe('urgent');
    expect(c.firstResponseDueAt.toISOString()).toBe('2026-11-23T16:30:00.000Z'); // Mon 11:30 EST
    expect(await sweepAcross('2026-11-20T16:30:00-05:00', '2026-11-23T12:00:00-05:00')).toEqual(['2026-11-23T16:30:00.000Z']);
    const dms = await w.outbox('breach_dm');
    expect(dms.map((d) => d.ref)).toEqual([OWNER]);
    expect(dms[0]!.payload.items).toMatchObject([{ caseId: c.id, kind: 'first_response', due: '2026-11-23T16:30:00.000Z' }]);
  });

  it('skips holidays: Wednesday 16:30 before a Thursday–Friday holiday breaches Monday 11:30', async () => {
    const policy = defaultPolicy();
    policy.calendar.holidays = ['2026-11-26', '2026-11-27'];
    w = await jobWorld(engine, '2026-11-25T16:30:00-05:00', policy);
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-11-25T16:30:00-05:00' });
    expect(c.firstResponseDueAt.toISOString()).toBe('2026-11-30T16:30:00.000Z');
    expect(await sweepAcross('2026-11-25T16:30:00-05:00', '2026-11-30T12:00:00-05:00')).toEqual(['2026-11-30T16:30:00.000Z']);
    expect((await w.run('sla-sweep', '2026-11-26T10:00:00-05:00')).status).toBe('skipped');
  });

  it('keeps wall-clock time across the autumn daylight-saving weekend (Fri 16:30 EDT → Mon 11:30 EST)', async () => {
    w = await jobWorld(engine, '2026-10-30T16:30:00-04:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-10-30T16:30:00-04:00' });
    expect(c.firstResponseDueAt.toISOString()).toBe('2026-11-02T16:30:00.000Z');
    expect(await sweepAcross('2026-11-02T11:00:00-05:00', '2026-11-02T12:00:00-05:00')).toEqual(['2026-11-02T16:30:00.000Z']);
  });

  it('alerts a breach once: three sweeps across it give one DM, one channel line and one escalation', async () => {
    w = await jobWorld(engine, '2026-11-23T07:30:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-11-23T07:30:00-05:00' }); // due 12:00
    for (const at of ['2026-11-23T11:55:00-05:00', '2026-11-23T12:00:00-05:00', '2026-11-23T12:05:00-05:00', '2026-11-23T12:10:00-05:00']) {
      await w.run('sla-sweep', at);
    }
    expect((await w.outbox('breach_dm')).map((r) => [r.ref, r.payload.items.length])).toEqual([[OWNER, 1]]);
    const summaries = await w.outbox('breach_summary');
    expect(summaries.map((s) => s.payload.items.map((i: { caseId: number }) => i.caseId))).toEqual([[c.id]]);
    expect(summaries[0]!.ref).toBe('2026-11-23T17:00Z');
    const escalations = await w.stores.cases.listEscalations(c.id);
    expect(escalations.map((e) => [e.reason, e.target])).toEqual([['response_window_missed', 'managers']]);
    expect((await w.outbox('escalation_post')).map((r) => r.ref)).toEqual([String(escalations[0]!.id)]);
    const audit = (await w.stores.cases.listEvents(c.id)).filter((e) => e.action === 'breach_alerted');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ kind: 'first_response', due: '2026-11-23T17:00:00.000Z', dmTo: OWNER });
  });

  it('sends an away owner\'s alerts to the backup, and unclaimed breaches to the channel only', async () => {
    w = await jobWorld(engine, '2026-11-23T08:00:00-05:00');
    const owned = await w.openClaimed(OWNER, BACKUP, { trigger: 'hospital_discharge', at: '2026-11-23T08:00:00-05:00' });
    const unclaimed = await w.open({ trigger: 'hospital_discharge', at: '2026-11-23T08:00:00-05:00' });
    const noBackup = await w.openClaimed('U0COORD03', null, { trigger: 'hospital_discharge', at: '2026-11-23T08:00:00-05:00' });
    await w.stores.away.add(OWNER, '2026-11-23', '2026-11-24', w.clock.now());
    await w.stores.away.add('U0COORD03', '2026-11-20', '2026-11-23', w.clock.now());
    await w.stores.away.add(BACKUP, '2026-11-24', '2026-11-25', w.clock.now()); // away later: on duty today
    await w.run('sla-sweep', '2026-11-23T12:00:00-05:00');
    // Nobody away is sent a DM; a case whose away owner has no backup is in the channel summary only.
    const dms = await w.outbox('breach_dm');
    expect(dms.map((d) => d.ref)).toEqual([BACKUP]);
    expect(dms[0]!.payload.items).toMatchObject([{ caseId: owned.id, route: { dmTo: BACKUP, coveringFor: OWNER } }]);
    const [summary] = await w.outbox('breach_summary');
    const routes = Object.fromEntries(summary!.payload.items.map((i: { caseId: number; route: unknown }) => [i.caseId, i.route]));
    expect(routes[unclaimed.id]).toEqual({ dmTo: null, coveringFor: null, channelOnly: 'unclaimed' });
    expect(routes[noBackup.id]).toEqual({ dmTo: null, coveringFor: null, channelOnly: 'owner_away' });
    expect(summary!.payload.total).toBe(3);
  });

  it('alerts a missed next promised action the morning after its target date, once', async () => {
    w = await jobWorld(engine, '2026-11-23T09:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', at: '2026-11-23T09:00:00-05:00' });
    expect((await w.cases.addNote(c.id, coordinator(OWNER), note({ targetDate: '2026-11-24' }))).ok).toBe(true);
    expect(await sweepAcross('2026-11-24T08:00:00-05:00', '2026-11-24T17:05:00-05:00')).toEqual([]);
    expect(await sweepAcross('2026-11-25T08:00:00-05:00', '2026-11-25T09:00:00-05:00')).toEqual(['2026-11-25T13:00:00.000Z']);
    const [dm] = await w.outbox('breach_dm');
    expect(dm!.payload.items).toMatchObject([{ caseId: c.id, kind: 'next_action', due: '2026-11-24' }]);
  });

  it('raises repeated failed contact after 3 attempts without reaching the patient, once', async () => {
    w = await jobWorld(engine, '2026-11-23T09:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', at: '2026-11-23T09:00:00-05:00' });
    const failed = note({ contact: { channel: 'phone', result: 'no_answer' }, understanding: 'not_reached', status: 'waiting_on_patient', targetDate: '2026-11-27' });
    for (let i = 0; i < 3; i++) expect((await w.cases.addNote(c.id, coordinator(OWNER), failed)).ok).toBe(true);
    await w.run('sla-sweep', '2026-11-23T09:05:00-05:00');
    await w.run('sla-sweep', '2026-11-23T09:10:00-05:00');
    const escalations = await w.stores.cases.listEscalations(c.id);
    expect(escalations.map((e) => [e.reason, e.target, e.raisedBy])).toEqual([['repeated_failed_contact', 'managers', 'carebridge']]);
  });

  it('raises an urgent referral delay at its resolution target and re-raises it once after 1 business hour unacknowledged', async () => {
    w = await jobWorld(engine, '2026-11-23T09:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', priority: 'urgent', at: '2026-11-23T09:00:00-05:00' });
    // First response logged, so only the referral delay is earned.
    expect((await w.cases.addNote(c.id, coordinator(OWNER), note({ targetDate: '2026-12-04' }))).ok).toBe(true);
    const due = (await w.cases.getCase(c.id))!.resolutionDueAt;
    expect(due.toISOString()).toBe('2026-11-25T14:00:00.000Z'); // 2 business days: Wed 09:00
    await w.run('sla-sweep', '2026-11-25T08:55:00-05:00');
    expect(await w.stores.cases.listEscalations(c.id)).toEqual([]);
    await w.run('sla-sweep', '2026-11-25T09:00:00-05:00');
    const [e] = await w.stores.cases.listEscalations(c.id);
    expect([e!.reason, e!.target, e!.urgent]).toEqual(['urgent_referral_delay', 'providers', true]);
    for (const at of everyMinutes('2026-11-25T09:05:00-05:00', '2026-11-25T12:00:00-05:00')) await w.run('sla-sweep', at);
    const posts = await w.outbox('escalation_post');
    expect(posts.map((p) => [p.ref, p.payload])).toEqual([
      [String(e!.id), null],
      [String(e!.id), { reraise: true }],
    ]);
    expect((await w.stores.cases.getEscalation(e!.id))!.reraisedAt!.toISOString()).toBe('2026-11-25T15:00:00.000Z');
    const reraised = (await w.stores.cases.listEvents(c.id)).filter((x) => x.action === 'escalation_reraised');
    expect(reraised).toHaveLength(1);
  });

  it('does not re-raise an urgent escalation that was acknowledged in time', async () => {
    w = await jobWorld(engine, '2026-11-23T09:00:00-05:00');
    const c = await w.openClaimed(OWNER, BACKUP, { trigger: 'new_referral', priority: 'urgent', at: '2026-11-23T09:00:00-05:00' });
    await w.cases.addNote(c.id, coordinator(OWNER), note({ targetDate: '2026-12-04' }));
    await w.run('sla-sweep', '2026-11-25T09:00:00-05:00');
    const [e] = await w.stores.cases.listEscalations(c.id);
    w.clock.set('2026-11-25T09:30:00-05:00');
    expect((await w.cases.acknowledge(e!.id, { userId: MANAGER, roles: new Set(['manager']) }, 'Call the specialist office today')).ok).toBe(true);
    for (const at of everyMinutes('2026-11-25T09:35:00-05:00', '2026-11-25T11:00:00-05:00')) await w.run('sla-sweep', at);
    expect((await w.outbox('escalation_post')).filter((p) => p.payload?.reraise)).toEqual([]);
  });

  it('a second sweep of the same 5-minute slot does nothing and says so', async () => {
    w = await jobWorld(engine, '2026-11-23T08:00:00-05:00');
    await w.open({ trigger: 'hospital_discharge', at: '2026-11-23T08:00:00-05:00' });
    const first = await w.run('sla-sweep', '2026-11-23T12:01:00-05:00');
    const again = await w.run('sla-sweep', '2026-11-23T12:04:59-05:00');
    expect(first).toMatchObject({ status: 'done', period: '2026-11-23T17:00Z' });
    expect(again).toEqual({ status: 'already_ran', job: 'sla-sweep', period: '2026-11-23T17:00Z' });
  });

  it('a sweep finding 1,000 breaches queues one channel summary and one DM per person, and escalates all of them at once', async () => {
    w = await jobWorld(engine, '2026-11-23T07:00:00-05:00');
    const owners = ['U0COORD01', 'U0COORD02', 'U0COORD03', 'U0COORD04'];
    const { newCaseFromEvent } = await import('../../src/domain/new-case');
    const { triggerEvent } = await import('../support/services');
    const unsaved = Array.from({ length: 1000 }, (_, i) => ({
      ...newCaseFromEvent(w.policy, triggerEvent({ trigger: 'hospital_discharge', occurredAt: new Date('2026-11-23T07:00:00-05:00') }), w.clock.now()),
      ...(i % 5 === 4 ? {} : { ownerId: owners[i % 4]!, state: 'active' as const }),
    }));
    for (let i = 0; i < unsaved.length; i += 200) await w.stores.cases.insertCases(unsaved.slice(i, i + 200));
    const outcome = await w.run('sla-sweep', '2026-11-23T12:00:00-05:00');
    expect(outcome).toMatchObject({ status: 'done', summary: '1000 new breach(es) alerted (4 DM(s), 1 channel summary); 0 reminder(s) before a due time; 1000 escalation(s) raised; 0 re-raised' });
    for (const at of ['2026-11-23T12:05:00-05:00', '2026-11-23T12:10:00-05:00']) {
      expect(await w.run('sla-sweep', at)).toMatchObject({ status: 'done', summary: '0 new breach(es) alerted (0 DM(s), 0 channel summary); 0 reminder(s) before a due time; 0 escalation(s) raised; 0 re-raised' });
    }
    const kinds = (await w.outbox()).reduce<Record<string, number>>((n, r) => ({ ...n, [r.kind]: (n[r.kind] ?? 0) + 1 }), {});
    // New channel messages: one breach summary and one escalation summary listing all 1,000;
    // card refreshes edit the cards already in the channel.
    expect({ summary: kinds.breach_summary, escalationSummary: kinds.escalation_summary, posts: kinds.escalation_post ?? 0, dms: kinds.breach_dm }).toEqual({ summary: 1, escalationSummary: 1, posts: 0, dms: 4 });
    expect((await w.outbox('escalation_summary'))[0]!.payload.raised).toHaveLength(1000);
    const raised = await w.db.knex('escalations').count<{ n: number }[]>('* as n');
    expect(Number(raised[0]!.n)).toBe(1000);
    expect(INDIVIDUAL_ESCALATION_POSTS_MAX).toBeLessThan(5);
  }, 60_000);
});

describe('sweep periods and hours', () => {
  it('names the 5-minute slot in UTC, so the repeated hour of a DST change is two slots', () => {
    expect(sweepPeriod(new Date('2026-11-01T01:32:00-04:00'))).toBe('2026-11-01T05:30Z');
    expect(sweepPeriod(new Date('2026-11-01T01:32:00-05:00'))).toBe('2026-11-01T06:30Z');
  });

  it('sweeps from opening to closing time inclusive, on business days only', () => {
    const cal = defaultPolicy().calendar;
    expect(isBusinessTime(cal, new Date('2026-11-23T07:55:00-05:00'))).toBe(false);
    expect(isBusinessTime(cal, new Date('2026-11-23T08:00:00-05:00'))).toBe(true);
    expect(isBusinessTime(cal, new Date('2026-11-23T17:00:00-05:00'))).toBe(true);
    expect(isBusinessTime(cal, new Date('2026-11-23T17:05:00-05:00'))).toBe(false);
    expect(isBusinessTime(cal, new Date('2026-11-21T12:00:00-05:00'))).toBe(false);
  });
});
