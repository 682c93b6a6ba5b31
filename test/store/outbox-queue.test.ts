/**
 * The outbox store's queue rules on each engine, straight on the store (outbox-store.test.ts
 * covers renewal, coalescing and the dispatcher): what `due` offers and in what order, that
 * concurrent leasers split the queue without overlap, a lease's exact end, attempts and the
 * dispatcher's backoff, delivery, permanent failures and the pending count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/slack/delivery/dispatcher';
import { defaultCalendar } from '../../src/domain/calendar';
import { createStores, type Stores } from '../../src/store/stores';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

/** Wednesday 2026-11-25 08:00 New York. */
const T = new Date('2026-11-25T13:00:00.000Z');
const at = (ms: number) => new Date(T.getTime() + ms);

describe.each(ENGINES)('outbox queue on %s', (engine) => {
  let db: TestDatabase;
  let outbox: Stores['outbox'];
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    outbox = createStores(db.knex, defaultCalendar()).outbox;
  });
  afterEach(async () => {
    await db.destroy();
  });

  /** Enqueues one message per ref at `when`; returns their ids in order. */
  async function enqueue(refs: string[], when = T): Promise<number[]> {
    for (const ref of refs) await outbox.enqueue('test_kind', ref, { ref }, when);
    const rows = await db.knex('outbox').whereIn('ref', refs).orderBy('id').select('id', 'ref');
    return refs.map((ref) => Number(rows.find((r) => r.ref === ref)!.id));
  }
  const refsDue = async (when: Date, limit?: number) => (await outbox.due(when, limit)).map((d) => d.ref);
  const row = async (id: number) => db.knex('outbox').where({ id }).first();
  /** Leases one message: whether this holder got it. */
  const leaseOne = async (id: number, when: Date, until: Date, holder: string) => (await outbox.lease([id], when, until, holder)).length === 1;

  it('offers only undelivered, unfailed, unleased messages whose time has come, by id, up to the limit', async () => {
    const [delivered, failed, leased, retrying] = await enqueue(['delivered', 'failed', 'leased', 'retrying', 'waiting']);
    await enqueue(['future'], at(10_000));
    await enqueue(['backdated'], at(-60_000)); // created earlier, enqueued last: order is by id, not creation time
    await outbox.markDelivered([delivered!], T);
    await outbox.markFailed(failed!, 'channel_not_found', null);
    expect(await leaseOne(leased!, T, at(30_000), 'one')).toBe(true);
    await outbox.markFailed(retrying!, 'slack failed (http_503)', at(20_000));

    expect(await refsDue(T)).toEqual(['waiting', 'backdated']);
    expect(await refsDue(at(10_000))).toEqual(['waiting', 'future', 'backdated']);
    expect(await refsDue(at(20_000))).toEqual(['retrying', 'waiting', 'future', 'backdated']);
    // A lease ending at 30 s still holds at 30 s, and is over a millisecond later.
    expect(await refsDue(at(30_000))).toEqual(['retrying', 'waiting', 'future', 'backdated']);
    expect(await refsDue(at(30_001))).toEqual(['leased', 'retrying', 'waiting', 'future', 'backdated']);
    expect(await refsDue(at(30_001), 2)).toEqual(['leased', 'retrying']);

    const items = await outbox.due(at(30_001));
    const byRef = new Map(items.map((i) => [i.ref, i]));
    expect(byRef.get('leased')).toMatchObject({ attempts: 0, uncertain: true, payload: { ref: 'leased' }, createdAt: T });
    expect(byRef.get('retrying')).toMatchObject({ attempts: 1, uncertain: true });
    expect(byRef.get('waiting')).toMatchObject({ attempts: 0, uncertain: false });
    expect(byRef.get('future')!.createdAt.toISOString()).toBe('2026-11-25T13:00:10.000Z');
    expect(byRef.get('backdated')!.createdAt.toISOString()).toBe('2026-11-25T12:59:00.000Z');
  });

  it('reads a null payload back as null, and enqueues one message per ref with enqueueMany', async () => {
    await outbox.enqueue('card', 'none', undefined, T);
    await outbox.enqueueMany('home', ['U1', 'U2', 'U1'], T);
    await outbox.enqueueMany('home', [], T);
    const due = await outbox.due(T);
    expect(due.map((d) => [d.kind, d.ref, d.payload])).toEqual([
      ['card', 'none', null],
      ['home', 'U1', null],
      ['home', 'U2', null],
      ['home', 'U1', null],
    ]);
    expect(await outbox.pendingCount()).toBe(4);
  });

  it('splits the queue between two instances draining at once: every message to exactly one of them', async () => {
    const ids = await enqueue(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    const drain = async (holder: string) => {
      const got: number[] = [];
      for (const item of await outbox.due(T)) if (await leaseOne(item.id, T, at(15_000), holder)) got.push(item.id);
      return got;
    };
    const [a, b] = await Promise.all([drain('instance-a'), drain('instance-b')]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(ids);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    const holders = await db.knex('outbox').orderBy('id').select('id', 'leased_by', 'leased_until');
    for (const h of holders) {
      expect(h.leased_by).toBe(a.includes(Number(h.id)) ? 'instance-a' : 'instance-b');
      expect(Number(h.leased_until)).toBe(at(15_000).getTime());
    }
    expect(await outbox.due(T)).toEqual([]);
  });

  it('lets exactly one of several concurrent leasers win a message, and another take it only after the lease ends', async () => {
    const [id] = await enqueue(['contested']);
    const holders = ['h1', 'h2', 'h3', 'h4'];
    const results = await Promise.all(holders.map((h) => leaseOne(id!, T, at(15_000), h)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = holders[results.indexOf(true)]!;
    expect((await row(id!)).leased_by).toBe(winner);
    // At the lease's last instant it is still the winner's.
    expect(await leaseOne(id!, at(15_000), at(30_000), 'late')).toBe(false);
    expect(await leaseOne(id!, at(15_001), at(30_000), 'late')).toBe(true);
    expect(await row(id!)).toMatchObject({ leased_by: 'late' });
    expect(Number((await row(id!)).leased_until)).toBe(at(30_000).getTime());
    expect(await outbox.renewLeases([id!], winner, at(45_000))).toBe(0);
  });

  it('refuses a lease on a message not yet due, delivered, or given up', async () => {
    const [notYet] = await enqueue(['not-yet'], at(5_000));
    const [delivered, failed] = await enqueue(['delivered', 'failed']);
    await outbox.markDelivered([delivered!], T);
    await outbox.markFailed(failed!, 'invalid_blocks', null);
    expect(await leaseOne(notYet!, T, at(15_000), 'x')).toBe(false);
    expect(await leaseOne(delivered!, T, at(15_000), 'x')).toBe(false);
    expect(await leaseOne(failed!, at(60_000), at(75_000), 'x')).toBe(false);
    expect(await leaseOne(notYet!, at(5_000), at(20_000), 'x')).toBe(true);
  });

  it('counts attempts and waits the dispatcher’s backoff between them, the lease released at each failure', async () => {
    const [id] = await enqueue(['flaky']);
    let now = T;
    const waits: number[] = [];
    for (let n = 1; n <= 4; n++) {
      const [item] = await outbox.due(now);
      expect(item).toMatchObject({ id, attempts: n - 1 });
      expect(await leaseOne(id!, now, new Date(now.getTime() + 15_000), `try-${n}`)).toBe(true);
      const retryAt = new Date(now.getTime() + retryDelayMs(item!.attempts));
      await outbox.markFailed(id!, `slack failed (attempt ${n})`, retryAt);
      expect(await row(id!)).toMatchObject({ leased_by: null, leased_until: null, last_error: `slack failed (attempt ${n})` });
      expect(Number((await row(id!)).attempts)).toBe(n);
      // Not a millisecond early; due at its time even though the failed lease would have run longer.
      expect(await outbox.due(new Date(retryAt.getTime() - 1))).toEqual([]);
      waits.push(retryAt.getTime() - now.getTime());
      now = retryAt;
    }
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(await outbox.due(now)).toEqual([expect.objectContaining({ id, attempts: 4, uncertain: true })]);
    expect(await outbox.pendingCount()).toBe(1);
    expect(await outbox.failures()).toEqual([]);
  });

  it('keeps the first 500 characters of an error', async () => {
    const [id] = await enqueue(['long-error']);
    await outbox.markFailed(id!, 'e'.repeat(499) + 'XYZ', null);
    const [failure] = await outbox.failures();
    expect(failure!.error).toHaveLength(500);
    expect(failure!.error.endsWith('eX')).toBe(true);
  });

  it('takes a delivered message out of the queue for good, clearing its lease and error', async () => {
    const [id, other] = await enqueue(['sent', 'other']);
    await outbox.markFailed(id!, 'slack failed (http_503)', at(5_000));
    expect(await leaseOne(id!, at(5_000), at(20_000), 'one')).toBe(true);
    await outbox.markDelivered([id!], at(6_000));
    expect(await row(id!)).toMatchObject({ leased_by: null, leased_until: null, last_error: null });
    expect(Number((await row(id!)).delivered_at)).toBe(at(6_000).getTime());
    expect(Number((await row(id!)).attempts)).toBe(1);
    expect(await outbox.renewLeases([id!], 'one', at(30_000))).toBe(0);
    expect(await leaseOne(id!, at(60_000), at(75_000), 'two')).toBe(false);
    expect((await outbox.due(at(60_000))).map((d) => d.id)).toEqual([other]);
    expect(await outbox.pendingCount()).toBe(1);
    expect(await outbox.failures()).toEqual([]);
  });

  it('lists permanent failures newest first, up to the limit, and never a retry still scheduled', async () => {
    const ids = await enqueue(['f1', 'f2', 'f3', 'retry']);
    await outbox.markFailed(ids[0]!, 'channel_not_found', null);
    await outbox.markFailed(ids[2]!, 'invalid_blocks', null);
    await outbox.markFailed(ids[1]!, 'not_in_channel', null);
    await outbox.markFailed(ids[3]!, 'slack failed (http_503)', at(5_000));
    expect(await outbox.failures()).toEqual([
      { kind: 'test_kind', ref: 'f3', error: 'invalid_blocks' },
      { kind: 'test_kind', ref: 'f2', error: 'not_in_channel' },
      { kind: 'test_kind', ref: 'f1', error: 'channel_not_found' },
    ]);
    expect((await outbox.failures(2)).map((f) => f.ref)).toEqual(['f3', 'f2']);
    expect(Number((await row(ids[0]!)).attempts)).toBe(1);
  });

  it('counts as pending what is waiting, leased or scheduled for a retry; not what was delivered or given up', async () => {
    expect(await outbox.pendingCount()).toBe(0);
    const [waiting, leased, retrying, delivered, failed] = await enqueue(['waiting', 'leased', 'retrying', 'delivered', 'failed']);
    await enqueue(['future'], at(60_000));
    expect(waiting).toBeDefined();
    await leaseOne(leased!, T, at(15_000), 'one');
    await outbox.markFailed(retrying!, 'slack failed', at(5_000));
    await outbox.markDelivered([delivered!], T);
    await outbox.markFailed(failed!, 'channel_not_found', null);
    expect(await outbox.pendingCount()).toBe(4);
    expect(await refsDue(T)).toEqual(['waiting']);
  });
});
