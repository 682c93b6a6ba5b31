import type { Knex } from 'knex';
import * as createCoreTables from './20261127210000_create_core_tables';
import * as createSlackTables from './20261127213000_create_slack_tables';
import * as createBreachAlerts from './20261128090000_create_breach_alerts';
import * as indexCasesForWeeklyMetrics from './20261128100000_index_cases_for_weekly_metrics';
import * as firstResponseIndexPartial from './20261128110000_first_response_index_partial';
import * as addCasesLastReachedAt from './20261202190000_add_cases_last_reached_at';
import * as createHeartbeat from './20261202193000_create_heartbeat';
import * as addOutboxLease from './20261202200000_add_outbox_lease';
import * as addCasesLastMovedAt from './20261202201000_add_cases_last_moved_at';
import * as createEscalationGuidance from './20261202202000_create_escalation_guidance';
import * as addReattemptCadence from './20261204100000_add_reattempt_cadence';
import * as createWeeklyLaneFigures from './20261204180000_create_weekly_lane_figures';
import * as addCaseQueueKeys from './20261204182000_add_case_queue_keys';

/**
 * Every migration, in order. Listed here rather than read from the folder so the
 * same code runs under tsx, vitest and the benchmark without a loader for knex.
 * Never edit a migration once it has landed: add a new one.
 */
const MIGRATIONS: Record<string, Knex.Migration> = {
  '20261127210000_create_core_tables': createCoreTables,
  '20261127213000_create_slack_tables': createSlackTables,
  '20261128090000_create_breach_alerts': createBreachAlerts,
  '20261128100000_index_cases_for_weekly_metrics': indexCasesForWeeklyMetrics,
  '20261128110000_first_response_index_partial': firstResponseIndexPartial,
  '20261202190000_add_cases_last_reached_at': addCasesLastReachedAt,
  '20261202193000_create_heartbeat': createHeartbeat,
  '20261202200000_add_outbox_lease': addOutboxLease,
  '20261202201000_add_cases_last_moved_at': addCasesLastMovedAt,
  '20261202202000_create_escalation_guidance': createEscalationGuidance,
  '20261204100000_add_reattempt_cadence': addReattemptCadence,
  '20261204180000_create_weekly_lane_figures': createWeeklyLaneFigures,
  '20261204182000_add_case_queue_keys': addCaseQueueKeys,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = MIGRATIONS[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return migration;
  },
};
