import type { Knex } from 'knex';

/**
 * When the patient was last reached (a patient attempt with result `reached`). Each run of
 * 3 failed attempts since then raises its own "repeated failed contact" escalation, so the
 * sweep's once-only claim for that escalation is keyed by the run (reopen epoch, last
 * reach, run number), not by the reopen epoch alone. Claims made before this migration
 * meant the first run since the case opened (or was reopened): they get that run's key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => t.bigInteger('last_reached_at'));
  await knex('breach_alerts')
    .where({ kind: 'escalation:repeated_failed_contact' })
    .update({ key: knex.raw(`key || ':0:1'`) });
}

export async function down(knex: Knex): Promise<void> {
  await knex('breach_alerts')
    .where({ kind: 'escalation:repeated_failed_contact' })
    .whereRaw(`key LIKE '%:0:1'`)
    .update({ key: knex.raw(`substr(key, 1, length(key) - 4)`) });
  await knex.schema.alterTable('cases', (t) => t.dropColumn('last_reached_at'));
}
