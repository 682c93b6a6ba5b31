import type { Knex } from 'knex';

/**
 * One row that `/healthz` writes on every check: readiness means the database accepts
 * writes (a read-only or full database answers `select 1` but saves nothing).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('heartbeat', (t) => {
    t.integer('id').primary();
    t.bigInteger('at').notNullable();
  });
  await knex('heartbeat').insert({ id: 1, at: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('heartbeat');
}
