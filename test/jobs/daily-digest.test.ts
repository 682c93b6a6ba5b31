import { afterEach, describe, expect, it } from 'vitest';
import { atLocalTime } from '../../src/domain/calendar';
import { newCaseFromEvent } from '../../src/domain/new-case';
import { defaultPolicy } from '../../src/domain/policy';
import { laneFigures } from '../../src/domain/queue';
import type { Case } from '../../src/domain/types';
import type { DailyDigest } from '../../src/domain/digest';
import { computeDigest } from '../../src/services/digest-service';
import { dailyDigestMessage } from '../../src/slack/blocks/daily-digest';
import { ACTIONS } from '../../src/slack/ids';
import { messageProblems } from '../support/block-limits';
import { COORDINATOR, coordinator, note, triggerEvent } from '../support/services';
import { ENGINES } from '../support/test-db';
import { jobWorld, type JobWorld } from './job-world';

const WEDNESDAY_8AM = '2026-11-25T08:00:00-05:00';

describe.each(ENGINES)('daily digest on %s', (engine) => {
  let w: JobWorld;
  afterEach(async () => {
    await w?.destroy();
  });

  /** Inserts `n` cases built from trigger events, in slices (bulk, like an import). */
  async function insertMany(n: number, make: (i: number) => Partial<Case> & { occurredAt?: Date; trigger?: Case['trigger'] }): Promise<void> {
    const rows = Array.from({ length: n }, (_, i) => {
      const { occurredAt, trigger, ...fields } = make(i);
      return { ...newCaseFromEvent(w.policy, triggerEvent({ ...(occurredAt ? { occurredAt } : {}), ...(trigger ? { trigger } : {}) }), w.clock.now()), ...fields };
    });
    for (let i = 0; i < rows.length; i += 200) await w.stores.cases.insertCases(rows.slice(i, i + 200));
  }

  it('counts open, unclaimed, due today and overdue per lane in SQL exactly as the queue figures do', async () => {
    w = await jobWorld(engine, '2026-11-20T09:00:00-05:00');
    const owned = (c: Case) => w.cases.claim(c.id, coordinator(COORDINATOR));
    // Overdue first response (Friday's urgent discharge), one due today, one due later, a closed one.
    await owned(await w.open({ trigger: 'hospital_discharge', at: '2026-11-20T09:00:00-05:00' }));
    await w.open({ trigger: 'hospital_discharge', at: '2026-11-20T09:00:00-05:00' });
    w.clock.set('2026-11-24T10:00:00-05:00');
    await w.open({ trigger: 'new_referral', at: '2026-11-24T10:00:00-05:00' }); // first response due Wed 10:00: today
    await w.open({ trigger: 'recall_due', at: '2026-11-24T10:00:00-05:00' }); // low: due next week
    const noted = await w.open({ trigger: 'consult_completed', at: '2026-11-24T09:00:00-05:00' });
    await owned(noted);
    await w.cases.addNote(noted.id, coordinator(COORDINATOR), note({ targetDate: '2026-11-24' })); // next action overdue by Wednesday
    const today = await w.open({ trigger: 'consult_completed', at: '2026-11-24T09:00:00-05:00' });
    await owned(today);
    await w.cases.addNote(today.id, coordinator(COORDINATOR), note({ targetDate: '2026-11-25' })); // next action due today
    const closed = await w.open({ trigger: 'recall_due', at: '2026-11-24T09:00:00-05:00' });
    await owned(closed);
    await w.cases.close(closed.id, coordinator(COORDINATOR), { outcome: 'not_needed', reason: 'Duplicate' });
    const referral = await w.open({ trigger: 'new_referral', priority: 'urgent', at: '2026-11-20T09:00:00-05:00' });
    await owned(referral);
    await w.cases.addNote(referral.id, coordinator(COORDINATOR), note({ targetDate: '2026-12-01' })); // resolution target passed
    const now = new Date(WEDNESDAY_8AM);
    const digest = await computeDigest(w.stores, w.policy, now);
    const all = await w.stores.cases.listCases();
    const expected = laneFigures(w.policy.calendar, all, now).filter((f) => f.open > 0);
    expect(digest.groups).toHaveLength(1);
    expect(digest.groups[0]!.lanes).toEqual(expected);
    expect(digest.totals).toEqual({ open: 7, unclaimed: 3, dueToday: 2, overdue: 4 });
    // Most overdue first: Friday's discharge windows (due Fri 13:00), then the referral target, then Tuesday's next action.
    expect(digest.groups[0]!.mostOverdue.map((c) => c.kind)).toEqual(['first_response', 'first_response', 'resolution', 'next_action']);
    expect(digest.grouped).toBe(false);
  });

  it('groups by location when open cases sit at more than one, busiest first', async () => {
    w = await jobWorld(engine, WEDNESDAY_8AM);
    await insertMany(9, (i) => ({ location: i < 5 ? 'Main Street' : i < 8 ? 'Oak Avenue' : null, occurredAt: new Date('2026-11-20T09:00:00-05:00') }));
    const digest = await computeDigest(w.stores, w.policy, new Date(WEDNESDAY_8AM));
    expect(digest.grouped).toBe(true);
    expect(digest.groups.map((g) => [g.location, g.totals.open, g.totals.overdue, g.mostOverdue.length])).toEqual([
      ['Main Street', 5, 5, 5],
      ['Oak Avenue', 3, 3, 3],
      [null, 1, 1, 1],
    ]);
    const message = dailyDigestMessage(digest, { policy: w.policy, labels: new Map() });
    expect(messageProblems(message)).toEqual([]);
    const texts = JSON.stringify(message.blocks);
    expect(texts).toContain('Main Street');
    expect(texts).toContain('No location');
  });

  it('posts nothing on a weekend or a holiday, and says why', async () => {
    const policy = defaultPolicy();
    policy.calendar.holidays = ['2026-11-26'];
    w = await jobWorld(engine, WEDNESDAY_8AM, policy);
    expect(await w.run('daily-digest', '2026-11-26T08:00:00-05:00')).toEqual({ status: 'skipped', job: 'daily-digest', reason: '2026-11-26 is not a business day (weekend or holiday)' });
    expect((await w.run('daily-digest', '2026-11-28T08:00:00-05:00')).status).toBe('skipped');
    expect(await w.outbox('daily_digest')).toEqual([]);
    expect(await w.stores.jobRuns.get('daily-digest', '2026-11-26')).toBeNull();
    expect(await w.run('daily-digest', '2026-11-27T08:00:00-05:00')).toMatchObject({ status: 'done', period: '2026-11-27' });
  });

  it('stays within Block Kit limits with 5,000 open cases at 30 locations, counting what it leaves out', async () => {
    w = await jobWorld(engine, WEDNESDAY_8AM);
    const triggers: Case['trigger'][] = ['new_referral', 'hospital_discharge', 'recall_due', 'readings_missed', 'missed_appointment'];
    await insertMany(5000, (i) => ({
      trigger: triggers[i % triggers.length],
      occurredAt: new Date(Date.parse('2026-10-01T13:00:00Z') + i * 17 * 60_000),
      location: `Location ${String(i % 30).padStart(2, '0')} with a fairly long name, Suite ${i % 30}`,
      ...(i % 3 === 0 ? { ownerId: 'U0COORD01', state: 'active' as const } : {}),
    }));
    const digest = await computeDigest(w.stores, w.policy, new Date(WEDNESDAY_8AM));
    expect(digest.totals.open).toBe(5000);
    expect(digest.groups).toHaveLength(30);
    const message = dailyDigestMessage(digest, { policy: w.policy, labels: new Map(digest.groups.flatMap((g) => g.mostOverdue.map((c) => [c.caseId, 'AL ·2345']))) });
    expect(messageProblems(message)).toEqual([]);
    const last = JSON.stringify(message.blocks.at(-1));
    expect(last).toMatch(/and \d+ more locations? — open App Home/);
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more overdue here — open App Home/);
  }, 60_000);

  it('lists the most overdue with owner or a Claim button, and stays within limits for one huge location', async () => {
    w = await jobWorld(engine, WEDNESDAY_8AM);
    await insertMany(5000, (i) => ({
      occurredAt: new Date(Date.parse('2026-09-01T13:00:00Z') + i * 11 * 60_000),
      ...(i % 2 === 0 ? { ownerId: 'U0COORD02', state: 'active' as const } : {}),
    }));
    const digest: DailyDigest = await computeDigest(w.stores, w.policy, new Date(WEDNESDAY_8AM));
    expect(digest.grouped).toBe(false);
    const list = digest.groups[0]!.mostOverdue;
    expect(list).toHaveLength(10);
    expect(list.map((c) => c.caseId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const message = dailyDigestMessage(digest, { policy: w.policy, labels: new Map() });
    expect(messageProblems(message)).toEqual([]);
    const sections = message.blocks.filter((b) => b.type === 'section' && JSON.stringify(b).includes('FU-'));
    expect(sections).toHaveLength(10);
    const claims = sections.filter((b) => (b as { accessory?: { action_id: string } }).accessory?.action_id === ACTIONS.caseClaim);
    expect(claims.map((b) => (b as unknown as { accessory: { value: string } }).accessory.value)).toEqual(['2', '4', '6', '8', '10']);
    expect(JSON.stringify(sections[0])).toContain('owner <@U0COORD02>');
    expect(JSON.stringify(message.blocks)).toContain(`…and ${digest.totals.overdue - 10} more overdue — open App Home.`);
    expect(atLocalTime(w.policy.calendar, '2026-11-25', '08:00').toISOString()).toBe(digest.at);
  }, 60_000);
});
