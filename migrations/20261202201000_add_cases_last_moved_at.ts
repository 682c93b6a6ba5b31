import type { Knex } from 'knex';

/**
 * When a person last moved each case (a note, attempt, claim, reassignment, escalation or
 * its acknowledgement, reopening; its opening counts), so "no movement in 7 days" is a list
 * read through an index, not a scan of the audit trail. Back-filled from that trail; the
 * escalations CareBridge raises itself are not movement.
 */
const MOVEMENT = ['opened', 'claimed', 'noted', 'escalated', 'escalation_acknowledged', 'reopened', 'reassigned', 'closed'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => t.bigInteger('last_moved_at'));
  await knex.raw(
    `UPDATE cases SET last_moved_at = COALESCE(
       (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id
          AND e.action IN (${MOVEMENT.map(() => '?').join(', ')})
          AND NOT (e.action = 'escalated' AND e.actor_id = 'carebridge')),
       cases.created_at)`,
    MOVEMENT,
  );
  // The predicate names last_moved_at, so only a query on it (the stale list) is served by this
  // index; the sweep's queries keep their own, narrower partial indexes.
  await knex.raw(`CREATE INDEX cases_last_moved_open ON cases (last_moved_at) WHERE last_moved_at IS NOT NULL AND state <> 'closed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS cases_last_moved_open');
  await knex.schema.alterTable('cases', (t) => t.dropColumn('last_moved_at'));
}
