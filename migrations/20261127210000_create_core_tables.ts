import type { Knex } from 'knex';

/**
 * The case engine's tables. Instants are epoch milliseconds (bigint) and practice
 * dates are 'YYYY-MM-DD' text, so the same SQL sorts and subtracts them on SQLite
 * and PostgreSQL alike.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cases', (t) => {
    t.increments('id').primary();
    t.string('external_id', 200).unique();
    t.string('lane', 32).notNullable();
    t.string('tier', 16).notNullable();
    t.string('state', 16).notNullable();
    t.string('trigger', 32).notNullable();
    t.bigInteger('occurred_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.string('patient_mrn', 64).notNullable();
    t.string('patient_name', 200).notNullable();
    t.string('patient_phone', 40);
    t.string('patient_dob', 10);
    t.text('details');
    t.string('location', 100);
    t.string('referring_office', 200);
    t.string('visit_type', 32);
    t.bigInteger('appointment_at');
    t.string('owner_id', 32);
    t.string('backup_id', 32);
    t.bigInteger('claimed_at');
    t.bigInteger('first_response_due_at').notNullable();
    t.bigInteger('resolution_due_at').notNullable();
    t.bigInteger('first_response_at');
    t.text('next_action');
    t.string('next_action_due', 10);
    t.integer('consecutive_failed_attempts').notNullable().defaultTo(0);
    t.bigInteger('closed_at');
    t.string('outcome', 32);
    t.text('close_reason');
    t.boolean('loop_closed');
    t.integer('version').notNullable().defaultTo(1);
    t.index(['state', 'lane']);
    t.index(['owner_id', 'state']);
    t.index(['backup_id', 'state']);
    t.index(['first_response_due_at']);
    t.index(['next_action_due']);
    t.index(['patient_mrn']);
    t.index(['closed_at']);
  });

  await knex.schema.createTable('case_events', (t) => {
    t.bigIncrements('id').primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('action', 32).notNullable();
    t.string('actor_id', 32).notNullable();
    t.bigInteger('at').notNullable();
    t.text('before');
    t.text('after');
    t.index(['case_id', 'at']);
    t.index(['action', 'at']);
    t.index(['at']);
  });

  await knex.schema.createTable('notes', (t) => {
    t.increments('id').primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('author_id', 32).notNullable();
    t.bigInteger('created_at').notNullable();
    t.string('contact_channel', 32);
    t.string('contact_result', 32);
    t.string('status', 32).notNullable();
    t.string('barrier', 32).notNullable();
    t.text('barrier_text');
    t.string('understanding', 32).notNullable();
    t.text('understanding_text');
    t.text('next_action');
    t.string('responsible_party', 32).notNullable();
    t.string('responsible_user_id', 32);
    t.string('target_date', 10);
    t.string('escalation_reason', 32);
    t.text('escalation_text');
    t.text('checklist');
    t.index(['case_id', 'created_at']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('escalations', (t) => {
    t.increments('id').primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('reason', 32).notNullable();
    t.text('text');
    t.string('target', 16).notNullable();
    t.boolean('urgent').notNullable();
    t.string('raised_by', 32).notNullable();
    t.bigInteger('raised_at').notNullable();
    t.string('acknowledged_by', 32);
    t.bigInteger('acknowledged_at');
    t.text('guidance');
    t.bigInteger('reraised_at');
    t.index(['case_id']);
    t.index(['acknowledged_at', 'urgent']);
    t.index(['raised_at']);
  });

  await knex.schema.createTable('away_periods', (t) => {
    t.increments('id').primary();
    t.string('user_id', 32).notNullable();
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['user_id', 'to_date']);
  });

  await knex.schema.createTable('job_runs', (t) => {
    t.increments('id').primary();
    t.string('job', 32).notNullable();
    t.string('period', 64).notNullable();
    t.bigInteger('started_at').notNullable();
    t.bigInteger('finished_at');
    t.unique(['job', 'period']);
  });

  // Messages to deliver to Slack, written in the same transaction as the change they
  // announce, so a Slack outage or a restart delays them but never loses them.
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id').primary();
    t.string('kind', 32).notNullable();
    t.string('ref', 100).notNullable();
    t.text('payload');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('next_attempt_at').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('delivered_at');
    t.text('last_error');
    t.boolean('failed').notNullable().defaultTo(false);
    t.index(['delivered_at', 'failed', 'next_attempt_at']);
    t.index(['kind', 'ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['outbox', 'job_runs', 'away_periods', 'escalations', 'notes', 'case_events', 'cases']) {
    await knex.schema.dropTableIfExists(table);
  }
}
