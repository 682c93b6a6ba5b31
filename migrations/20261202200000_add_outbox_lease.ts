import type { Knex } from 'knex';

/**
 * A delivery's lease in columns of its own: who holds the message and until when. The
 * lease used to be written into `next_attempt_at`, so a message being sent looked like one
 * waiting for a retry: a change made meanwhile was folded into the delivery already under
 * way (and lost), and a crashed instance's messages waited out a 2-minute lease. Leases are
 * now short and renewed while a delivery runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.bigInteger('leased_until');
    t.string('leased_by', 64);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('leased_until');
    t.dropColumn('leased_by');
  });
}
