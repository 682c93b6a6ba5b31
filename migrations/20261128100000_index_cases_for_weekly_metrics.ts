import type { Knex } from 'knex';

/**
 * The weekly metrics read the week's first responses (`first_response_at` in the week) and
 * the week's resolution targets (`resolution_due_at` in the week). Without these indexes both
 * reads scan every case ever opened: a year of a large practice is ~190,000 rows scanned
 * twice per report, for a few thousand that match (EXPLAIN QUERY PLAN: SCAN cases; see
 * npm run bench, weekly metrics).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.index(['first_response_at']);
    t.index(['resolution_due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex(['first_response_at']);
    t.dropIndex(['resolution_due_at']);
  });
}
