import type { Knex } from 'knex';
import type { Engine } from '../../src/store/db';

type Row = Record<string, unknown>;

/** What the benchmark uses of better-sqlite3's connection (knex holds the one connection). */
interface SqliteConnection {
  prepare(sql: string): { run(...values: unknown[]): unknown };
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
}

/** Rows per PostgreSQL statement: one JSON parameter each, a few MB. */
const PG_ROWS_PER_STATEMENT = 10_000;

/**
 * Inserts rows as fast as each engine allows, in one transaction: on SQLite one prepared
 * statement run per row on knex's own connection (better-sqlite3 runs it in microseconds;
 * knex's multi-row form is capped at 500 rows and costs more to build than to run), on
 * PostgreSQL one JSON array per 10,000 rows expanded by json_populate_recordset (a
 * statement with one parameter per value is slower to build in knex than to run).
 * Booleans are stored as SQLite stores them (0/1). This is also the intake figure's floor.
 */
export async function bulkInsert(knex: Knex, engine: Engine, table: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (engine === 'postgres') {
    const list = columns.map(() => '??').join(', ');
    const sql = `INSERT INTO ?? (${list}) SELECT ${list} FROM json_populate_recordset(NULL::??, ?::json)`;
    await knex.transaction(async (trx) => {
      for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
        await trx.raw(sql, [table, ...columns, ...columns, table, JSON.stringify(rows.slice(i, i + PG_ROWS_PER_STATEMENT))]);
      }
    });
    return;
  }
  const conn = (await knex.client.acquireConnection()) as SqliteConnection;
  try {
    const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const insert = conn.prepare(sql);
    const values = (row: Row) => columns.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : (row[c] ?? null)));
    conn.transaction((list: readonly Row[]) => {
      for (const row of list) insert.run(values(row));
    })(rows);
  } finally {
    knex.client.releaseConnection(conn);
  }
}

/** Several tables in order (parents first), each with `bulkInsert`. */
export async function bulkInsertAll(knex: Knex, engine: Engine, tables: [table: string, rows: readonly Row[]][]): Promise<void> {
  for (const [table, rows] of tables) await bulkInsert(knex, engine, table, rows);
}
