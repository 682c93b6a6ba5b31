import type { Knex } from 'knex';

/**
 * The re-attempt cadence and the pre-due reminder. `next_attempt_due_at`: after a failed
 * patient attempt, when the next attempt is due (the sweep alerts once when it passes).
 * `next_action_attempted_at`: when an attempt was logged toward the current next step, so
 * the reminder before a next step's due time goes only to steps nobody has worked yet.
 * Both start empty: the cadence applies to attempts logged from now on.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.bigInteger('next_attempt_due_at');
    t.bigInteger('next_action_attempted_at');
  });
  // Written with literal constants, exactly as the sweep's query, so both engines use it.
  await knex.raw(`CREATE INDEX cases_next_attempt_due_open ON cases (next_attempt_due_at) WHERE next_attempt_due_at IS NOT NULL AND state <> 'closed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS cases_next_attempt_due_open');
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('next_action_attempted_at');
    t.dropColumn('next_attempt_due_at');
  });
}
