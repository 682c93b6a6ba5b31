import type { BenchDatabase } from './databases';

/**
 * How long after the load the app's outbox took to deliver everything it queued (every
 * card update and Home refresh the load caused), polled every 100 ms up to `capMs`;
 * `waiting` is how many were still to deliver when the load ended, `pending` how many still
 * were when it stopped looking (0: caught up).
 */
export async function deliveryCatchUp(db: BenchDatabase, loadEndedAt: number, capMs: number): Promise<{ seconds: number; pending: number; waiting: number }> {
  const pendingNow = async () => Number((await db.knex('outbox').whereNull('delivered_at').where('failed', false).count({ n: '*' }))[0]?.n ?? 0);
  let pending = await pendingNow();
  const deliveredSince = Number((await db.knex('outbox').where('delivered_at', '>=', loadEndedAt).count({ n: '*' }))[0]?.n ?? 0);
  const waiting = pending + deliveredSince;
  while (pending > 0 && Date.now() - loadEndedAt < capMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pending = await pendingNow();
  }
  return { seconds: (Date.now() - loadEndedAt) / 1000, pending, waiting };
}
