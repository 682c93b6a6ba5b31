import type { Knex } from 'knex';

/**
 * Replaces the plain index on `cases.first_response_at` (20261128100000) with one over
 * logged first responses only. The plain index also matched `first_response_at IS NULL`,
 * and SQLite's planner then preferred it to the SLA sweep's partial index
 * `cases_first_response_pending`: the sweep read every unanswered case instead of the
 * breaching ones (npm run bench: the breaching-ids query went from 1 ms to 27 ms over
 * 100,000 open cases). The weekly metrics' range `first_response_at >= ? AND < ?` implies
 * IS NOT NULL, so it still uses this index, on SQLite and PostgreSQL alike.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => t.dropIndex(['first_response_at']));
  await knex.raw('CREATE INDEX cases_first_response_logged ON cases (first_response_at) WHERE first_response_at IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS cases_first_response_logged');
  await knex.schema.alterTable('cases', (t) => t.index(['first_response_at']));
}
