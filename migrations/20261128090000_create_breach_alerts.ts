import type { Knex } from 'knex';

/**
 * What the SLA sweep has already alerted about, so each breach alerts once however
 * often, and on however many instances, the sweep runs; plus partial indexes that
 * let the sweep read only breaching cases, never the whole (mostly closed) table.
 */
export async function up(knex: Knex): Promise<void> {
  // kind 'first_response' (key: the due instant) and 'next_action' (key: the target date) are
  // alerts; 'escalation:<reason>' (key: when the case was last reopened, 0 if never) guards each
  // automatic escalation, so two sweeps racing on two instances cannot raise it twice.
  await knex.schema.createTable('breach_alerts', (t) => {
    t.increments('id').primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('kind', 48).notNullable();
    t.string('key', 64).notNullable();
    t.bigInteger('alerted_at').notNullable();
    t.string('routed_to', 32);
    t.unique(['case_id', 'kind', 'key']);
    t.index(['alerted_at']);
  });
  // Same SQL on SQLite and PostgreSQL. The sweep's queries repeat these predicates with
  // literal constants (not bound parameters) so both planners can match them.
  await knex.raw(`CREATE INDEX cases_first_response_pending ON cases (first_response_due_at) WHERE first_response_at IS NULL AND state <> 'closed'`);
  await knex.raw(`CREATE INDEX cases_next_action_open ON cases (next_action_due) WHERE state <> 'closed'`);
  await knex.raw(`CREATE INDEX cases_failed_contact_open ON cases (consecutive_failed_attempts) WHERE consecutive_failed_attempts >= 3 AND state <> 'closed'`);
  await knex.raw(`CREATE INDEX cases_urgent_referral_open ON cases (resolution_due_at) WHERE lane = 'referral' AND tier = 'urgent' AND state <> 'closed'`);
  await knex.raw(`CREATE INDEX escalations_unanswered ON escalations (raised_at) WHERE acknowledged_at IS NULL AND reraised_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['escalations_unanswered', 'cases_urgent_referral_open', 'cases_failed_contact_open', 'cases_next_action_open', 'cases_first_response_pending']) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
  await knex.schema.dropTableIfExists('breach_alerts');
}
