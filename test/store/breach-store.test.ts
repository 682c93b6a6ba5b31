import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/test-db';
import { automaticEscalationKey } from '../../src/domain/escalation';
import { MANAGER, coordinator, manager, note } from '../support/services';
import { jobWorld, type JobWorld } from '../jobs/job-world';

const NOW = new Date('2026-11-25T12:00:00-05:00');

describe.each(ENGINES)('breach store on %s', (engine) => {
  let w: JobWorld;
  beforeAll(async () => {
    w = await jobWorld(engine, '2026-11-25T08:00:00-05:00');
  });
  afterAll(async () => {
    await w.destroy();
  });

  /** The SQL a store call runs, captured from knex. */
  async function sqlOf(call: () => Promise<unknown>): Promise<{ sql: string; bindings: readonly unknown[] }[]> {
    const seen: { sql: string; bindings: readonly unknown[] }[] = [];
    const listen = (q: { sql: string; bindings?: readonly unknown[] }) => void seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
    w.db.knex.on('query', listen);
    try {
      await call();
    } finally {
      w.db.knex.removeListener('query', listen);
    }
    return seen;
  }

  async function plan(q: { sql: string; bindings: readonly unknown[] }): Promise<string> {
    if (engine === 'sqlite') {
      const rows = await w.db.knex.raw(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings as Knex.RawBinding[]);
      return JSON.stringify(rows);
    }
    const result = await w.db.knex.raw(`EXPLAIN ${q.sql.replace(/\$\d+/g, '?')}`, q.bindings as Knex.RawBinding[]);
    return JSON.stringify(result.rows);
  }

  /** The plan reads cases through one of the partial indexes over open cases, never by scanning the table. */
  const OPEN_CASE_INDEX = /cases_(first_response_pending|next_action_open|failed_contact_open|urgent_referral_open)/;
  const TABLE_SCAN = /"SCAN cases"|Seq Scan on cases/;

  it('reads breaching cases through the partial indexes, never the whole cases table', async () => {
    // A practice's history: thousands of closed cases, a few open ones; statistics gathered.
    const { newCaseFromEvent } = await import('../../src/domain/new-case');
    const { triggerEvent } = await import('../support/services');
    const history = Array.from({ length: 3000 }, (_, i) => ({
      ...newCaseFromEvent(w.policy, triggerEvent({ occurredAt: new Date(Date.parse('2026-01-05T14:00:00Z') + i * 3_600_000) }), NOW),
      ...(i % 100 === 0 ? {} : { state: 'closed' as const, firstResponseAt: NOW, nextActionDue: '2026-06-01', consecutiveFailedAttempts: i % 5 }),
    }));
    for (let i = 0; i < history.length; i += 200) await w.stores.cases.insertCases(history.slice(i, i + 200));
    await w.db.knex.raw('ANALYZE');
    const queries = [
      ...(await sqlOf(() => w.stores.breaches.newFirstResponseBreaches(NOW))),
      ...(await sqlOf(() => w.stores.breaches.newNextActionBreaches('2026-11-25'))),
      ...(await sqlOf(() => w.stores.breaches.escalationCandidates('response_window_missed', NOW))),
      ...(await sqlOf(() => w.stores.breaches.escalationCandidates('repeated_failed_contact', NOW))),
      ...(await sqlOf(() => w.stores.breaches.escalationCandidates('urgent_referral_delay', NOW))),
    ];
    expect(queries).toHaveLength(5);
    for (const q of queries) {
      const p = await plan(q);
      expect(p).toMatch(OPEN_CASE_INDEX);
      expect(p).not.toMatch(TABLE_SCAN);
    }
    expect(await plan(queries[0]!)).toContain('cases_first_response_pending');
    // The re-attempt cadence and the reminders: indexed too.
    const [reattempts] = await sqlOf(() => w.stores.breaches.newReattemptBreaches(NOW));
    expect(await plan(reattempts!)).toContain('cases_next_attempt_due_open');
    const [firstResponses] = await sqlOf(() => w.stores.breaches.firstResponsesDueSoon(NOW, new Date(NOW.getTime() + 3_600_000)));
    const [nextSteps] = await sqlOf(() => w.stores.breaches.nextStepsDueSoon('2026-11-25', '2026-11-26'));
    for (const q of [firstResponses!, nextSteps!]) expect(await plan(q)).not.toMatch(TABLE_SCAN);
  });

  it('finds a missed re-attempt once, and reminders only for claimed cases not yet reminded of that due time', async () => {
    const failing = await w.open({ trigger: 'hospital_discharge', at: '2026-11-25T08:00:00-05:00' });
    await w.stores.cases.updateCase({ ...failing, nextAttemptDueAt: new Date(NOW.getTime() - 60_000), version: failing.version + 1 }, failing.version);
    expect((await w.stores.breaches.newReattemptBreaches(NOW)).map((x) => x.id)).toContain(failing.id);
    expect((await w.stores.breaches.newReattemptBreaches(new Date(NOW.getTime() - 120_000))).map((x) => x.id)).not.toContain(failing.id);
    await w.stores.breaches.recordAlerts([{ caseId: failing.id, kind: 'reattempt', key: String(NOW.getTime() - 60_000), routedTo: null }], NOW);
    expect((await w.stores.breaches.newReattemptBreaches(NOW)).map((x) => x.id)).not.toContain(failing.id);

    const soon = await w.openClaimed('U0COORD01', null, { trigger: 'hospital_discharge', at: '2026-11-25T09:30:00-05:00' }); // due 13:30
    const unclaimed = await w.open({ trigger: 'hospital_discharge', at: '2026-11-25T09:30:00-05:00' });
    const within = (await w.stores.breaches.firstResponsesDueSoon(NOW, new Date('2026-11-25T13:30:00-05:00'))).map((x) => x.id);
    expect(within).toContain(soon.id);
    expect(within).not.toContain(unclaimed.id);
    expect((await w.stores.breaches.firstResponsesDueSoon(NOW, new Date('2026-11-25T13:29:00-05:00'))).map((x) => x.id)).not.toContain(soon.id);
    await w.stores.breaches.recordAlerts([{ caseId: soon.id, kind: 'reminder:first_response', key: String(soon.firstResponseDueAt.getTime()), routedTo: 'U0COORD01' }], NOW);
    expect((await w.stores.breaches.firstResponsesDueSoon(NOW, new Date('2026-11-25T13:30:00-05:00'))).map((x) => x.id)).not.toContain(soon.id);

    const step = await w.openClaimed('U0COORD01', null, { trigger: 'new_referral', at: '2026-11-25T09:30:00-05:00' });
    await w.stores.cases.updateCase({ ...step, nextActionDue: '2026-11-26', version: step.version + 1 }, step.version);
    expect((await w.stores.breaches.nextStepsDueSoon('2026-11-25', '2026-11-26')).map((x) => x.id)).toContain(step.id);
    expect((await w.stores.breaches.nextStepsDueSoon('2026-11-25', '2026-11-25')).map((x) => x.id)).not.toContain(step.id);
    const worked = (await w.stores.cases.getCase(step.id))!;
    await w.stores.cases.updateCase({ ...worked, nextActionAttemptedAt: NOW, version: worked.version + 1 }, worked.version);
    expect((await w.stores.breaches.nextStepsDueSoon('2026-11-25', '2026-11-26')).map((x) => x.id)).not.toContain(step.id);
  });

  it('leaves out a breach once alerted, and records each alert once', async () => {
    const c = await w.open({ trigger: 'hospital_discharge', at: '2026-11-25T08:00:00-05:00' });
    expect((await w.stores.breaches.newFirstResponseBreaches(NOW)).map((x) => x.id)).toContain(c.id);
    const alert = { caseId: c.id, kind: 'first_response' as const, key: String(c.firstResponseDueAt.getTime()), routedTo: null };
    expect([...(await w.stores.breaches.recordAlerts([alert], NOW))]).toEqual([`${c.id}:first_response:${alert.key}`]);
    expect([...(await w.stores.breaches.recordAlerts([alert], NOW))]).toEqual([]);
    expect((await w.stores.breaches.newFirstResponseBreaches(NOW)).map((x) => x.id)).not.toContain(c.id);
    expect(await w.stores.breaches.countAlerts(c.id, 'first_response')).toBe(1);
  });

  it('claims an automatic escalation once per reopening of the case', async () => {
    const c = await w.openClaimed('U0COORD01', null, { trigger: 'hospital_discharge', at: '2026-11-25T08:00:00-05:00' });
    expect((await w.stores.breaches.escalationCandidates('response_window_missed', NOW)).map((x) => x.id)).toContain(c.id);
    expect(await w.stores.breaches.claimEscalation(c.id, 'response_window_missed', '0', NOW)).toBe(true);
    expect(await w.stores.breaches.claimEscalation(c.id, 'response_window_missed', '0', NOW)).toBe(false);
    expect((await w.stores.breaches.escalationCandidates('response_window_missed', NOW)).map((x) => x.id)).not.toContain(c.id);
    // Closed and reopened: a new epoch, so the case may earn the escalation again.
    w.clock.set('2026-11-25T12:30:00-05:00');
    expect((await w.cases.close(c.id, coordinator('U0COORD01'), { outcome: 'not_needed', reason: 'Seen elsewhere' })).ok).toBe(true);
    w.clock.set('2026-11-25T13:00:00-05:00');
    expect((await w.cases.reopen(c.id, manager(MANAGER))).ok).toBe(true);
    const later = new Date('2026-11-25T13:05:00-05:00');
    expect((await w.stores.breaches.escalationCandidates('response_window_missed', later)).map((x) => x.id)).toContain(c.id);
    const reopened = (await w.stores.breaches.reopenedAt([c.id])).get(c.id)!;
    expect(reopened.toISOString()).toBe('2026-11-25T18:00:00.000Z');
    expect(await w.stores.breaches.claimEscalation(c.id, 'response_window_missed', String(reopened.getTime()), later)).toBe(true);
    await w.stores.breaches.releaseEscalation(c.id, 'response_window_missed', String(reopened.getTime()));
    expect(await w.stores.breaches.claimEscalation(c.id, 'response_window_missed', String(reopened.getTime()), later)).toBe(true);
  });

  it('keys "repeated failed contact" by the run of failures, as the domain does: a new run after a reach is a candidate again', async () => {
    const c = await w.openClaimed('U0COORD01', null, { trigger: 'consult_completed', at: '2026-11-25T08:00:00-05:00' });
    const as = coordinator('U0COORD01');
    const attempt = async (result: 'no_answer' | 'reached') => {
      w.clock.advance(60_000);
      expect((await w.cases.addNote(c.id, as, note({ contact: { channel: 'phone', result }, understanding: result === 'reached' ? 'understands' : 'not_reached' }))).ok).toBe(true);
    };
    const candidate = async () => (await w.stores.breaches.escalationCandidates('repeated_failed_contact', w.clock.now())).some((x) => x.id === c.id);
    const claimAsTheDomainKeysIt = async () => {
      const now = (await w.stores.cases.getCase(c.id))!;
      return w.stores.breaches.claimEscalation(c.id, 'repeated_failed_contact', automaticEscalationKey('repeated_failed_contact', now, null), w.clock.now());
    };
    for (let i = 0; i < 3; i++) await attempt('no_answer');
    expect(await candidate()).toBe(true);
    expect(await claimAsTheDomainKeysIt()).toBe(true);
    expect(await candidate()).toBe(false);
    await attempt('no_answer'); // the 4th failure is still the first run
    expect(await candidate()).toBe(false);
    await attempt('reached');
    for (let i = 0; i < 3; i++) await attempt('no_answer');
    expect(await candidate()).toBe(true);
    expect(await claimAsTheDomainKeysIt()).toBe(true);
    expect(await claimAsTheDomainKeysIt()).toBe(false);
    expect(await candidate()).toBe(false);
  });
});
