/**
 * The outbox as a queue on each engine: due order, leases (one holder, renewed by it,
 * taken over when it runs out), retries and permanent failures, and coalescing that never
 * folds a change into a delivery already under way.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseHealth } from '../../src/database-health';
import { SlackHealth } from '../../src/slack/health';
import { silentLogger } from '../../src/logger';
import { LEASE_MS, OutboxDispatcher, type Deliverer, type Deliverers } from '../../src/slack/delivery/dispatcher';
import { captureLogs } from '../support/log-capture';
import { coordinator } from '../support/services';
import { ENGINES } from '../support/test-db';
import { jobWorld, type JobWorld } from '../jobs/job-world';

describe.each(ENGINES)('outbox store on %s', (engine) => {
  let w: JobWorld;
  beforeAll(async () => {
    w = await jobWorld(engine, '2026-11-25T08:00:00-05:00');
  });
  afterAll(async () => {
    await w.destroy();
  });
  beforeEach(async () => {
    await w.clearOutbox();
  });

  const later = (ms: number) => new Date(w.clock.now().getTime() + ms);
  /** A dispatcher over the world's outbox with the deliverers given (no Slack is called). */
  const dispatcherWith = (deliverers: Partial<Deliverers>) =>
    new OutboxDispatcher({
      outbox: w.stores.outbox,
      client: new WebClient('xoxb-unused'),
      clock: w.clock,
      logger: silentLogger,
      health: new SlackHealth(),
      databaseHealth: new DatabaseHealth(silentLogger, w.clock),
      deliverers,
    });

  it('hands out due messages oldest first, each to one lease holder at a time', async () => {
    for (const ref of ['a', 'b', 'c']) await w.stores.outbox.enqueue('test_kind', ref, { ref }, w.clock.now());
    const due = await w.stores.outbox.due(w.clock.now(), 10);
    expect(due.map((d) => d.ref)).toEqual(['a', 'b', 'c']);
    expect(due[0]!.payload).toEqual({ ref: 'a' });
    expect(await w.stores.outbox.lease([due[0]!.id], w.clock.now(), later(LEASE_MS), 'one')).toEqual([due[0]!.id]);
    // A batch: the one already taken is left out, the others are this holder's.
    expect(await w.stores.outbox.lease(due.map((d) => d.id), w.clock.now(), later(LEASE_MS), 'two')).toEqual([due[1]!.id, due[2]!.id]);
    expect(await w.stores.outbox.due(w.clock.now(), 10)).toEqual([]);
  });

  it('records many deliveries at once, and gives back leases that were not used', async () => {
    for (const ref of ['a', 'b', 'c']) await w.stores.outbox.enqueue('test_kind', ref, null, w.clock.now());
    const ids = (await w.stores.outbox.due(w.clock.now(), 10)).map((d) => d.id);
    expect(await w.stores.outbox.lease(ids, w.clock.now(), later(LEASE_MS), 'one')).toEqual(ids);
    await w.stores.outbox.markDelivered(ids.slice(0, 2), w.clock.now());
    // Another holder cannot give back what it does not hold; the holder can, and only what is undelivered.
    await w.stores.outbox.releaseLeases(ids, 'two');
    expect(await w.stores.outbox.due(w.clock.now(), 10)).toEqual([]);
    await w.stores.outbox.releaseLeases(ids, 'one');
    expect((await w.stores.outbox.due(w.clock.now(), 10)).map((d) => d.ref)).toEqual(['c']);
    expect(await w.stores.outbox.pendingCount()).toBe(1);
  });

  it('lets only the holder renew its lease, and another instance take it over once it runs out', async () => {
    await w.stores.outbox.enqueue('test_kind', 'x', null, w.clock.now());
    const [item] = await w.stores.outbox.due(w.clock.now());
    expect(await w.stores.outbox.lease([item!.id], w.clock.now(), later(LEASE_MS), 'crashed')).toEqual([item!.id]);
    expect(await w.stores.outbox.renewLeases([item!.id], 'someone-else', later(LEASE_MS))).toBe(0);
    w.clock.advance(LEASE_MS + 1);
    expect((await w.stores.outbox.due(w.clock.now())).map((d) => d.id)).toEqual([item!.id]);
    expect(await w.stores.outbox.lease([item!.id], w.clock.now(), later(LEASE_MS), 'survivor')).toEqual([item!.id]);
    expect(await w.stores.outbox.renewLeases([item!.id], 'crashed', later(LEASE_MS))).toBe(0);
    expect(await w.stores.outbox.renewLeases([item!.id], 'survivor', later(LEASE_MS))).toBe(1);
  });

  it('retries a failed message at its time, and keeps a permanent failure out of the queue', async () => {
    await w.stores.outbox.enqueue('test_kind', 'retry', null, w.clock.now());
    await w.stores.outbox.enqueue('test_kind', 'give-up', null, w.clock.now());
    const [retry, giveUp] = await w.stores.outbox.due(w.clock.now());
    await w.stores.outbox.lease([retry!.id], w.clock.now(), later(LEASE_MS), 'one');
    await w.stores.outbox.markFailed(retry!.id, 'slack failed (http_503)', later(5_000));
    await w.stores.outbox.markFailed(giveUp!.id, 'channel_not_found', null);
    expect(await w.stores.outbox.due(w.clock.now())).toEqual([]);
    w.clock.advance(5_000);
    expect(await w.stores.outbox.due(w.clock.now())).toEqual([expect.objectContaining({ id: retry!.id, attempts: 1 })]);
    expect(await w.stores.outbox.failures()).toEqual([{ kind: 'test_kind', ref: 'give-up', error: 'channel_not_found' }]);
  });

  it('coalesces a change into a refresh still waiting, never into one being sent', async () => {
    await w.stores.outbox.enqueue('case_card', '7', null, w.clock.now(), true);
    await w.stores.outbox.enqueue('case_card', '7', null, w.clock.now(), true);
    const [waiting] = await w.stores.outbox.due(w.clock.now());
    expect(await w.outbox('case_card')).toHaveLength(1);
    await w.stores.outbox.lease([waiting!.id], w.clock.now(), later(LEASE_MS), 'one');
    await w.stores.outbox.enqueue('case_card', '7', null, w.clock.now(), true);
    expect(await w.outbox('case_card')).toHaveLength(2);
  });

  it('delivers once more when the case changes while its card is being delivered', async () => {
    const c = await w.open();
    await w.clearOutbox();
    await w.stores.outbox.enqueue('case_card', String(c.id), null, w.clock.now(), true);
    const rendered: string[] = [];
    const card: Deliverer<'case_card'> = async ({ caseId }) => {
      const now = (await w.stores.cases.getCase(caseId))!;
      rendered.push(now.state);
      // Someone claims the case while this card (read as open) is on its way to Slack.
      if (rendered.length === 1) expect((await w.cases.claim(c.id, coordinator('U0COORD01'))).ok).toBe(true);
    };
    const dispatcher = dispatcherWith({ ['case_card']: card, ['home_refresh']: async () => undefined });
    await dispatcher.kick();
    expect(rendered).toEqual(['open', 'active']);
  });

  it('delivers a crashed instance’s leased message within one lease, not minutes later', async () => {
    await w.stores.outbox.enqueue('weekly_report', '2026-W47', { week: '2026-W47' }, w.clock.now());
    const [item] = await w.stores.outbox.due(w.clock.now());
    await w.stores.outbox.lease([item!.id], w.clock.now(), later(LEASE_MS), 'killed-mid-delivery');
    const sent: string[] = [];
    const dispatcher = dispatcherWith({ weekly_report: async ({ week }) => void sent.push(week) });
    expect(await dispatcher.kick()).toBe(0);
    w.clock.advance(LEASE_MS + 1);
    expect(await dispatcher.kick()).toBe(1);
    expect(sent).toEqual(['2026-W47']);
  });

  it('reports a database failure during delivery as the database’s, never as Slack’s, and keeps the message', async () => {
    await w.stores.outbox.enqueue('weekly_report', '2026-W47', { week: '2026-W47' }, w.clock.now());
    const { logger, lines } = captureLogs('info');
    const slack = new SlackHealth();
    const database = new DatabaseHealth(logger, w.clock);
    const dbDown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const outbox = Object.assign(Object.create(w.stores.outbox), { markDelivered: () => Promise.reject(dbDown) });
    const dispatcher = new OutboxDispatcher({ outbox, client: new WebClient('xoxb-unused'), clock: w.clock, logger, health: slack, databaseHealth: database, deliverers: { weekly_report: async () => undefined } });
    expect(await dispatcher.kick()).toBe(0);
    expect(slack.snapshot()).toMatchObject({ ok: true });
    expect(database.snapshot()).toMatchObject({ ok: false, error: '57P01' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the database is failing');
    expect(lines[0]).not.toContain("slackError");
    w.clock.advance(LEASE_MS + 1);
    expect((await w.stores.outbox.due(w.clock.now())).map((d) => d.ref)).toContain('2026-W47');
  });
});
