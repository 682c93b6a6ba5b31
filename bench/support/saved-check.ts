import type { BenchDatabase } from './databases';
import type { SeededQueue } from './open-queue';
import { count } from './count';

/**
 * Waits (up to 30 s) until every claim the app acknowledged is saved, then reports how many
 * claims and notes reached the database: a latency measured on requests that did nothing
 * would be worthless. Claims are saved after their acknowledgement; notes before theirs.
 */
export async function savedInteractions(db: BenchDatabase, queue: SeededQueue): Promise<string> {
  const deadline = Date.now() + 30_000;
  const claimed = async () => Number((await db.knex('cases').whereIn('id', queue.toClaim).whereNotNull('owner_id').count({ n: '*' }))[0]?.n ?? 0);
  let claims = await claimed();
  while (claims < queue.toClaim.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    claims = await claimed();
  }
  const notes = Number((await db.knex('notes').count({ n: '*' }))[0]?.n ?? 0);
  return `saved ${count(claims)}/${count(queue.toClaim.length)} claims, ${count(notes)}/${count(queue.toNote.length)} notes`;
}
