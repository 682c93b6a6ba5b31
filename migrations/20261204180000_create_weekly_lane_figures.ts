import type { Knex } from 'knex';

/**
 * The weekly report's per-week, per-lane figures, stored once a week is over so the
 * comparison week and the 8-week trend read a handful of rows instead of recounting a
 * year of history (src/store/metrics-store.ts). One row per ISO week, lane and practice
 * calendar (`calendar_key`, a digest of the calendar the business-time figures were
 * computed with; another calendar gets rows of its own).
 *
 * The counts are the week's activity (first-response windows, contact attempts, closes,
 * resolution targets, escalations); `open` … `ages` are the week-end backlog snapshot
 * (cases unresolved at the week's end, by lane). `barriers`, `ages` and `samples` are JSON:
 * barriers and age buckets by key, and the business-time samples the medians and 90th
 * percentiles are taken from.
 *
 * It also widens two indexes so the one week a report still counts (the week it reports)
 * reads its backlog from indexes alone: `cases (closed_at)` becomes `cases (closed_at,
 * created_at, lane, occurred_at, resolution_due_at)`, the cases open at a week's end, and
 * `case_events (case_id, at)` becomes `case_events (case_id, at, action, actor_id)`, each
 * case's history and movement. Same leading columns, so every query that used the old index
 * can use the new one. (npm run bench, metrics, SQLite: the week's backlog query from about
 * 240 to 130 ms of CPU.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('weekly_lane_figures', (t) => {
    t.string('week', 8).notNullable();
    t.string('lane', 32).notNullable();
    t.string('calendar_key', 64).notNullable();
    t.bigInteger('week_start').notNullable();
    t.bigInteger('week_end').notNullable();
    for (const column of [
      'windows_due', 'windows_met', 'attempts', 'reached', 'closed', 'completed', 'loop_asked', 'loop_told',
      'targets_due', 'targets_met', 'escalations_raised', 'escalations_acknowledged', 'escalations_pending',
      'open', 'waiting_on_patient', 'overdue', 'no_movement_7d',
    ]) {
      t.integer(column).notNullable();
    }
    t.text('ages').notNullable();
    t.text('barriers').notNullable();
    t.text('samples').notNullable();
    t.bigInteger('computed_at').notNullable();
    t.primary(['week', 'calendar_key', 'lane']);
  });
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex(['closed_at']);
    t.index(['closed_at', 'created_at', 'lane', 'occurred_at', 'resolution_due_at'], 'cases_backlog_at');
  });
  await knex.schema.alterTable('case_events', (t) => {
    t.dropIndex(['case_id', 'at']);
    t.index(['case_id', 'at', 'action', 'actor_id'], 'case_events_history');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_events', (t) => {
    t.dropIndex([], 'case_events_history');
    t.index(['case_id', 'at']);
  });
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex([], 'cases_backlog_at');
    t.index(['closed_at']);
  });
  await knex.schema.dropTable('weekly_lane_figures');
}
