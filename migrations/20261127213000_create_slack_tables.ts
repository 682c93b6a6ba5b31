import type { Knex } from 'knex';

/** Slack bookkeeping: where each living message is, and which requests were already handled. */
export async function up(knex: Knex): Promise<void> {
  // One row per living Slack message (a case's card, an escalation post), so changes update it in place.
  await knex.schema.createTable('slack_messages', (t) => {
    t.string('kind', 32).notNullable();
    t.string('ref', 100).notNullable();
    t.string('channel', 32).notNullable();
    t.string('ts', 32).notNullable();
    t.bigInteger('posted_at').notNullable();
    t.primary(['kind', 'ref']);
  });
  // Keys of requests already handled (Events API event_id, modal submissions), so a retry has no second effect.
  await knex.schema.createTable('processed_requests', (t) => {
    t.string('key', 200).primary();
    t.bigInteger('at').notNullable();
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('processed_requests');
  await knex.schema.dropTableIfExists('slack_messages');
}
