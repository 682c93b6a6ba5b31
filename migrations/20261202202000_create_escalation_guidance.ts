import type { Knex } from 'knex';

/**
 * Guidance a provider adds to an escalation after acknowledging it. Its text may hold
 * clinical detail: it is shown only in View details and sent only by direct message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('escalation_guidance', (t) => {
    t.increments('id').primary();
    t.integer('escalation_id').notNullable().references('escalations.id');
    t.integer('case_id').notNullable().references('cases.id');
    t.string('author_id', 32).notNullable();
    t.text('text').notNullable();
    t.bigInteger('added_at').notNullable();
    t.index(['case_id', 'added_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('escalation_guidance');
}
