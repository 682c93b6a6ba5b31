import type { Knex } from 'knex';

/** Bound parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766), PostgreSQL's protocol limit (65,535). */
const PARAMETERS_MAX = { sqlite: 32_766, pg: 65_535 } as const;
/**
 * knex writes a multi-row insert on SQLite as `SELECT … UNION ALL SELECT …`, and SQLite
 * takes at most 500 terms in one compound SELECT (SQLITE_MAX_COMPOUND_SELECT).
 */
const SQLITE_INSERT_ROWS_MAX = 500;

function isPostgres(db: Knex | Knex.Transaction): boolean {
  return db.client.config.client === 'pg';
}

/** Rows of `parametersPerRow` bound values each that fit in one statement (`reserved`: the statement's other parameters). */
export function rowsPerStatement(db: Knex | Knex.Transaction, parametersPerRow: number, reserved = 0): number {
  return Math.max(1, Math.floor((PARAMETERS_MAX[isPostgres(db) ? 'pg' : 'sqlite'] - reserved) / parametersPerRow));
}

/** Rows of `columns` columns that fit in one knex multi-row insert on this engine. */
export function insertRowsPerStatement(db: Knex | Knex.Transaction, columns: number): number {
  const byParameters = rowsPerStatement(db, columns);
  return isPostgres(db) ? byParameters : Math.min(byParameters, SQLITE_INSERT_ROWS_MAX);
}

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
