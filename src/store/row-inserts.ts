import type { Knex } from 'knex';
import { scrubDatabaseError } from '../db-errors';
import { chunks, insertRowsPerStatement } from './chunks';

type Row = Record<string, unknown>;

/** What the store uses of better-sqlite3's connection (knex holds the one connection). */
interface SqliteConnection {
  prepare(sql: string): { run(...values: unknown[]): { changes: number; lastInsertRowid: number | bigint } };
}

export interface InsertRowsOptions {
  /** A unique column: a row whose value is already there is skipped, not an error. */
  skipConflictOn?: string;
  /**
   * Return the rows inserted, each with its new `id` (the table's integer primary key);
   * skipped rows return nothing. On SQLite that is the row as given plus its id (asking
   * SQLite for `RETURNING *` costs five times the insert), on PostgreSQL the row as stored.
   */
  returning?: boolean;
}

/**
 * Inserts many rows of one shape (the columns of the first row) in one transaction.
 *
 * On SQLite, one `INSERT … VALUES (?, …)` is prepared once and run per row on the
 * transaction's connection: better-sqlite3 runs it in microseconds, while knex would
 * build one statement of every row (`INSERT … SELECT … UNION ALL …`, re-parsed each
 * time and capped by SQLite's bound-parameter limit). Errors are scrubbed of values as
 * knex's own are. On PostgreSQL, one multi-row `INSERT … VALUES (…), (…)` through
 * knex, a round trip for all rows (sliced under its 65,535 parameters, in one transaction).
 */
export async function insertRows(db: Knex | Knex.Transaction, table: string, rows: readonly Row[], options: InsertRowsOptions = {}): Promise<Row[]> {
  if (rows.length === 0) return [];
  if (db.client.config.client === 'better-sqlite3') {
    return db.isTransaction ? insertRowByRow(db as Knex.Transaction, table, rows, options) : db.transaction((trx) => insertRowByRow(trx, table, rows, options));
  }
  const parts = chunks(rows, insertRowsPerStatement(db, Object.keys(rows[0]!).length));
  const insertAll = async (trx: Knex | Knex.Transaction) => {
    const inserted: Row[] = [];
    for (const part of parts) {
      const query = trx(table).insert(part);
      if (options.skipConflictOn) query.onConflict(options.skipConflictOn).ignore();
      if (options.returning) inserted.push(...(await query.returning('*')));
      else await query;
    }
    return inserted;
  };
  return parts.length === 1 || db.isTransaction ? insertAll(db) : db.transaction(insertAll);
}

async function insertRowByRow(trx: Knex.Transaction, table: string, rows: readonly Row[], options: InsertRowsOptions): Promise<Row[]> {
  const columns = Object.keys(rows[0]!);
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const sql =
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})` +
    (options.skipConflictOn ? ` ON CONFLICT (${quote(options.skipConflictOn)}) DO NOTHING` : '');
  // Inside a transaction, knex hands out the transaction's own connection.
  const conn = (await trx.client.acquireConnection()) as SqliteConnection;
  try {
    const statement = conn.prepare(sql);
    const inserted: Row[] = [];
    for (const row of rows) {
      const { changes, lastInsertRowid } = statement.run(columns.map((c) => sqliteValue(row[c])));
      if (options.returning && changes === 1) inserted.push({ ...row, id: Number(lastInsertRowid) });
    }
    return inserted;
  } catch (error) {
    scrubDatabaseError(error, sql);
    throw error;
  } finally {
    await trx.client.releaseConnection(conn);
  }
}

/** As knex binds values for better-sqlite3: dates as epoch milliseconds, booleans as 0/1, nothing as NULL. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return Number(value);
  if (value instanceof Date) return value.getTime();
  return value;
}
