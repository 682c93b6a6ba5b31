import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/domain/policy';
import { JobScheduler, lastScheduledBetween } from '../../src/jobs/scheduler';
import { ENGINES } from '../support/test-db';
import { jobWorld, type JobWorld } from './job-world';

const cal = defaultPolicy().calendar;
const at = (iso: string) => new Date(iso);

describe('the last scheduled time in a window', () => {
  it('finds this morning\'s 08:00 digest once it has passed, and not before', () => {
    const midnight = at('2026-11-25T00:00:00-05:00');
    expect(lastScheduledBetween('0 8 * * 1-5', cal, midnight, at('2026-11-25T07:59:00-05:00'))).toBeNull();
    expect(lastScheduledBetween('0 8 * * 1-5', cal, midnight, at('2026-11-25T08:00:00-05:00'))).toEqual(at('2026-11-25T08:00:00-05:00'));
    expect(lastScheduledBetween('0 8 * * 1-5', cal, midnight, at('2026-11-25T16:00:00-05:00'))).toEqual(at('2026-11-25T08:00:00-05:00'));
    expect(lastScheduledBetween('0 8 * * 1-5', cal, at('2026-11-28T00:00:00-05:00'), at('2026-11-28T16:00:00-05:00'))).toBeNull();
  });

  it('finds Monday\'s report from later in the week, in the practice zone across a DST change', () => {
    expect(lastScheduledBetween('0 8 * * 1', cal, at('2026-11-23T00:00:00-05:00'), at('2026-11-27T12:00:00-05:00'))).toEqual(at('2026-11-23T08:00:00-05:00'));
    // The week DST ends: Monday 08:00 is EST (13:00Z), Sunday was EDT.
    expect(lastScheduledBetween('0 8 * * 1', cal, at('2026-11-02T00:00:00-05:00'), at('2026-11-03T12:00:00-05:00'))).toEqual(at('2026-11-02T13:00:00Z'));
    expect(lastScheduledBetween('*/5 * * * *', cal, at('2026-11-25T00:00:00-05:00'), at('2026-11-25T10:07:30-05:00'))).toEqual(at('2026-11-25T10:05:00-05:00'));
  });
});

describe.each(ENGINES)('catch-up at start-up on %s', (engine) => {
  let w: JobWorld;
  let kicks = 0;
  afterEach(async () => {
    await w?.destroy();
  });
  const scheduler = () => new JobScheduler({ ...w.env, deliverSoon: () => void (kicks += 1) });
  const ran = (outcomes: { status: string; job: string }[]) => outcomes.filter((o) => o.status === 'done').map((o) => o.job);

  it('after downtime over Monday morning, posts the missed digest and last week\'s report on coming back, once', async () => {
    w = await jobWorld(engine, '2026-11-23T10:30:00-05:00');
    await w.open({ trigger: 'new_referral', at: '2026-11-20T09:00:00-05:00' });
    kicks = 0;
    const s = scheduler();
    expect(ran(await s.catchUp())).toEqual(['sla-sweep', 'daily-digest', 'weekly-report']);
    expect(kicks).toBe(3);
    expect((await w.outbox('daily_digest')).map((r) => r.ref)).toEqual(['2026-11-23']);
    expect((await w.outbox('weekly_report')).map((r) => r.ref)).toEqual(['2026-W47']);
    // A restart in the same 5-minute slot runs nothing; a later one only a new sweep.
    w.clock.set('2026-11-23T10:33:00-05:00');
    expect(ran(await scheduler().catchUp())).toEqual([]);
    w.clock.set('2026-11-23T10:36:00-05:00');
    expect(ran(await scheduler().catchUp())).toEqual(['sla-sweep']);
    expect(await w.outbox('daily_digest')).toHaveLength(1);
  });

  it('does not post a digest before its time, on a holiday, or a day late', async () => {
    const policy = defaultPolicy();
    policy.calendar.holidays = ['2026-11-26'];
    w = await jobWorld(engine, '2026-11-24T07:30:00-05:00', policy);
    await w.stores.jobRuns.claim('weekly-report', '2026-W47', w.clock.now());
    expect(ran(await scheduler().catchUp())).toEqual([]); // before 08:00 (and before opening: no sweep)
    w.clock.set('2026-11-26T11:00:00-05:00');
    expect(ran(await scheduler().catchUp())).toEqual([]); // Thanksgiving
    // Down all of Friday: Saturday's start-up does not post Friday's digest.
    w.clock.set('2026-11-28T09:00:00-05:00');
    expect(ran(await scheduler().catchUp())).toEqual([]);
    expect(await w.outbox('daily_digest')).toEqual([]);
  });

  it('back on Wednesday, posts Monday\'s missed report (still this week) but not Monday\'s digest', async () => {
    w = await jobWorld(engine, '2026-11-25T09:00:00-05:00');
    expect(ran(await scheduler().catchUp())).toEqual(['sla-sweep', 'daily-digest', 'weekly-report']);
    expect((await w.outbox('daily_digest')).map((r) => r.ref)).toEqual(['2026-11-25']);
    expect((await w.outbox('weekly_report')).map((r) => r.payload)).toEqual([{ week: '2026-W47' }]);
  });

  it('runs a cron tick in the tick\'s period even when the clock reads a hair early', async () => {
    w = await jobWorld(engine, '2026-11-25T09:59:59.998-05:00');
    const outcome = await scheduler().fire('sla-sweep', at('2026-11-25T10:00:00-05:00'));
    expect(outcome).toMatchObject({ status: 'done', period: '2026-11-25T15:00Z' });
  });

  it('schedules every job on node-cron in the practice zone and removes them on stop', async () => {
    w = await jobWorld(engine, '2026-11-25T09:00:00-05:00');
    const s = scheduler();
    s.start();
    const names = () => [...cron.getTasks().values()].map((t) => t.name).filter((n) => n?.startsWith('carebridge-')).sort();
    expect(names()).toEqual(['carebridge-daily-digest', 'carebridge-sla-sweep', 'carebridge-weekly-report']);
    const digest = [...cron.getTasks().values()].find((t) => t.name === 'carebridge-daily-digest')!;
    expect(digest.match(at('2026-11-25T08:00:00-05:00'))).toBe(true);
    expect(digest.match(at('2026-11-25T08:00:00Z'))).toBe(false);
    await s.stop();
    expect(names()).toEqual([]);
  });
});
