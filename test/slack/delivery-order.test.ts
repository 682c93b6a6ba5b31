/**
 * The outbox dispatcher over an in-memory outbox (no database, no Slack): messages to
 * different targets go out side by side, those to one target one after another in the
 * order queued, the most urgent first; a rate limit pauses everything.
 */
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock';
import { DatabaseHealth } from '../../src/database-health';
import { silentLogger } from '../../src/logger';
import { enqueue, type OutboxMessage } from '../../src/services/outbox';
import { DELIVERY_CONCURRENCY, DELIVERY_CONCURRENCY_BUSY, OutboxDispatcher, type Deliverer, type Deliverers } from '../../src/slack/delivery/dispatcher';
import { SlackHealth } from '../../src/slack/health';
import { MemoryOutbox } from '../support/memory-ports';

const AT = new Date('2026-11-23T13:00:00Z');

/** A deliverer per kind that records each start and finishes only when the test says so. */
function gatedDeliverers() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const gate: Deliverer = async (message, item) => {
    const name = `${message.kind}:${item.ref}`;
    started.push(name);
    await new Promise<void>((resolve) => finish.set(name, resolve));
  };
  const deliverers = Object.fromEntries(
    ['case_card', 'home_refresh', 'escalation_post', 'escalation_ack', 'guidance_dm', 'breach_dm', 'reminder_dm', 'breach_summary', 'escalation_summary', 'daily_digest', 'weekly_report'].map((k) => [k, gate]),
  ) as unknown as Deliverers;
  /** Lets every delivery started so far finish, then gives the dispatcher a turn. */
  const release = async (name?: string) => {
    for (const [n, done] of [...finish]) if (!name || n === name) (done(), finish.delete(n));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { deliverers, started, release, settle, waiting: () => [...finish.keys()] };
}

function dispatcherOver(outbox: MemoryOutbox, deliverers: Partial<Deliverers>, busy: boolean | (() => boolean) = false) {
  const clock = new FixedClock(AT);
  return new OutboxDispatcher({
    outbox,
    client: new WebClient('xoxb-unused'),
    clock,
    logger: silentLogger,
    health: new SlackHealth(),
    databaseHealth: new DatabaseHealth(silentLogger, clock),
    deliverers,
    busy: typeof busy === 'function' ? busy : () => busy,
  });
}

async function queue(outbox: MemoryOutbox, messages: OutboxMessage[]): Promise<void> {
  for (const m of messages) await enqueue({ outbox }, m, AT);
}

/** Polls (without the wall clock) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

describe('outbox delivery', () => {
  it('sends to different targets side by side, most urgent first, and one target in order', async () => {
    const outbox = new MemoryOutbox();
    const g = gatedDeliverers();
    await queue(outbox, [
      { kind: 'weekly_report', week: '2026-W47' },
      { kind: 'home_refresh', caseId: 1 },
      { kind: 'breach_dm', userId: 'U0COORD01', period: 'p1', items: [] },
      { kind: 'breach_dm', userId: 'U0COORD01', period: 'p2', items: [] },
      { kind: 'case_card', caseId: 1 },
      { kind: 'escalation_post', escalationId: 9, reraise: false },
      { kind: 'escalation_ack', escalationId: 9 },
    ]);
    const drained = dispatcherOver(outbox, g.deliverers).kick();
    await until(() => g.started.length === 5);
    // One delivery per target at once, started most urgent first; the second DM to the same
    // person and the acknowledgement of the escalation post wait for the one before them.
    expect(g.started).toEqual(['escalation_post:9', 'case_card:1', 'breach_dm:U0COORD01', 'home_refresh:1', 'weekly_report:2026-W47']);
    await g.release('case_card:1');
    expect(g.started).toHaveLength(5);
    await g.release('escalation_post:9');
    await until(() => g.started.includes('escalation_ack:9'));
    const dmsStarted = () => g.started.filter((s) => s === 'breach_dm:U0COORD01').length;
    expect(dmsStarted()).toBe(1);
    await g.release('breach_dm:U0COORD01');
    await until(() => dmsStarted() === 2);
    while (g.waiting().length > 0) await g.release();
    expect(await drained).toBe(7);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it(`keeps at most ${DELIVERY_CONCURRENCY} deliveries in flight`, async () => {
    const outbox = new MemoryOutbox();
    const g = gatedDeliverers();
    await queue(outbox, Array.from({ length: 30 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    const drained = dispatcherOver(outbox, g.deliverers).kick();
    await until(() => g.started.length === DELIVERY_CONCURRENCY);
    await g.settle();
    expect(g.started).toHaveLength(DELIVERY_CONCURRENCY);
    while (g.waiting().length > 0) await g.release();
    expect(await drained).toBe(30);
  });

  it(`keeps to ${DELIVERY_CONCURRENCY_BUSY} at once while the process is busy answering requests`, async () => {
    const outbox = new MemoryOutbox();
    const g = gatedDeliverers();
    await queue(outbox, Array.from({ length: 10 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    const drained = dispatcherOver(outbox, g.deliverers, true).kick();
    await until(() => g.started.length === DELIVERY_CONCURRENCY_BUSY);
    await g.settle();
    expect(g.started).toHaveLength(DELIVERY_CONCURRENCY_BUSY);
    while (g.waiting().length > 0) await g.release();
    expect(await drained).toBe(10);
  });

  it('speeds up within a batch as soon as the burst of requests is over', async () => {
    const outbox = new MemoryOutbox();
    const g = gatedDeliverers();
    await queue(outbox, Array.from({ length: 30 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    let busy = true;
    const drained = dispatcherOver(outbox, g.deliverers, () => busy).kick();
    await until(() => g.started.length === DELIVERY_CONCURRENCY_BUSY);
    busy = false;
    await g.release('case_card:1');
    // One finished: the batch is not over, but the next deliveries start at the idle pace.
    await until(() => g.waiting().length === DELIVERY_CONCURRENCY);
    await g.settle();
    expect(g.waiting()).toHaveLength(DELIVERY_CONCURRENCY);
    busy = true;
    while (g.waiting().length > DELIVERY_CONCURRENCY_BUSY) await g.release(g.waiting()[0]);
    await g.settle();
    // Busy again: as deliveries finish, no more than the busy pace replaces them.
    expect(g.waiting()).toHaveLength(DELIVERY_CONCURRENCY_BUSY);
    while (g.waiting().length > 0) await g.release();
    expect(await drained).toBe(30);
  });

  it('stops sending when Slack rate-limits, and keeps the rest queued for after the pause', async () => {
    const outbox = new MemoryOutbox();
    const sent: string[] = [];
    const limited = Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 30 });
    let first = true;
    const card: Deliverer<'case_card'> = async ({ caseId }) => {
      if (first) {
        first = false;
        throw limited;
      }
      sent.push(String(caseId));
    };
    await queue(outbox, Array.from({ length: 20 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    expect(await dispatcherOver(outbox, { case_card: card }).kick()).toBeLessThan(DELIVERY_CONCURRENCY);
    expect(await outbox.pendingCount()).toBeGreaterThan(20 - DELIVERY_CONCURRENCY);
    expect(outbox.rows[0]).toMatchObject({ attempts: 1, nextAttemptAt: AT.getTime() + 30_000 });
    // Those not yet tried are not left leased: they are due again when the pause ends.
    expect(outbox.rows.filter((r) => r.deliveredAt === null && r.leasedBy !== null)).toEqual([]);
  });

  it('records deliveries in groups: those finishing while a record is being written go in the next write', async () => {
    const outbox = new MemoryOutbox();
    const g = gatedDeliverers();
    await queue(outbox, Array.from({ length: 8 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    const writes: number[][] = [];
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    const record = outbox.markDelivered.bind(outbox);
    outbox.markDelivered = async (ids, at) => {
      writes.push([...ids]);
      if (writes.length === 1) await blocked; // the database is slow to take the first record
      return record(ids, at);
    };
    const drained = dispatcherOver(outbox, g.deliverers).kick();
    await until(() => g.started.length === 8);
    await g.release('case_card:1');
    await until(() => writes.length === 1);
    while (g.waiting().length > 0) await g.release();
    unblock();
    expect(await drained).toBe(8);
    expect(writes).toEqual([[1], [2, 3, 4, 5, 6, 7, 8]]);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('leaves a target alone from the first message another instance took, so its order is kept', async () => {
    const outbox = new MemoryOutbox();
    const sent: string[] = [];
    await queue(outbox, [
      { kind: 'escalation_post', escalationId: 9, reraise: false },
      { kind: 'escalation_ack', escalationId: 9 },
      { kind: 'case_card', caseId: 1 },
    ]);
    const postDelivered = () => outbox.rows[0]!.deliveredAt !== null;
    const record: Deliverer = async (message, item) => void sent.push(`${message.kind}:${item.ref}${message.kind === 'escalation_ack' && !postDelivered() ? ' (before the post)' : ''}`);
    // Another instance takes the escalation post between this one reading the queue and
    // leasing it, and has posted it by the time this one reads the queue again.
    const due = outbox.due.bind(outbox);
    let reads = 0;
    outbox.due = async (at, limit) => {
      if (reads === 1) await outbox.markDelivered([1], AT);
      const items = await due(at, limit);
      if (reads++ === 0) await outbox.lease([1], AT, new Date(AT.getTime() + 15_000), 'other-instance');
      return items;
    };
    expect(await dispatcherOver(outbox, { escalation_post: record, escalation_ack: record, case_card: record } as Partial<Deliverers>).kick()).toBe(2);
    // The acknowledgement updates the post: it never overtakes it.
    expect(sent).toEqual(['case_card:1', 'escalation_ack:9']);
  });

  it('stops sending when Slack rate-limits, and keeps the rest queued for after the pause', async () => {
    const outbox = new MemoryOutbox();
    const sent: string[] = [];
    const limited = Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 30 });
    let first = true;
    const card: Deliverer<'case_card'> = async ({ caseId }) => {
      if (first) {
        first = false;
        throw limited;
      }
      sent.push(String(caseId));
    };
    await queue(outbox, Array.from({ length: 20 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    expect(await dispatcherOver(outbox, { case_card: card }).kick()).toBeLessThan(DELIVERY_CONCURRENCY);
    expect(await outbox.pendingCount()).toBeGreaterThan(20 - DELIVERY_CONCURRENCY);
    expect(outbox.rows[0]).toMatchObject({ attempts: 1, nextAttemptAt: AT.getTime() + 30_000 });
    // Those not yet tried are not left leased: they are due again when the pause ends.
    expect(outbox.rows.filter((r) => r.deliveredAt === null && r.leasedBy !== null)).toEqual([]);
  });

  it('records deliveries in groups: those finishing while a record is being written go in the next write', async () => {
    const outbox = new MemoryOutbox();
    const g = gatedDeliverers();
    await queue(outbox, Array.from({ length: 8 }, (_, i) => ({ kind: 'case_card', caseId: i + 1 }) as const));
    const writes: number[][] = [];
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    const record = outbox.markDelivered.bind(outbox);
    outbox.markDelivered = async (ids, at) => {
      writes.push([...ids]);
      if (writes.length === 1) await blocked; // the database is slow to take the first record
      return record(ids, at);
    };
    const drained = dispatcherOver(outbox, g.deliverers).kick();
    await until(() => g.started.length === 8);
    await g.release('case_card:1');
    await until(() => writes.length === 1);
    while (g.waiting().length > 0) await g.release();
    unblock();
    expect(await drained).toBe(8);
    expect(writes).toEqual([[1], [2, 3, 4, 5, 6, 7, 8]]);
    expect(await outbox.pendingCount()).toBe(0);
  });
});
