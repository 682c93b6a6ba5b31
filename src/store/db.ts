import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../migrations/index';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from '../database-timeouts';
import { scrubDatabaseError } from '../db-errors';

export { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts };

export type Engine = 'sqlite' | 'postgres';

// Epoch-millisecond columns are bigint; they fit a JS number exactly, so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface Database {
  knex: Knex;
  /**
   * For reads that need not wait their turn behind writes (rendering what Slack is sent,
   * App Home): on an SQLite file, a second, read-only connection, which WAL lets read the
   * last committed state while the writer writes; otherwise `knex` itself (PostgreSQL's
   * pool already reads side by side; an in-memory SQLite database has one connection).
   */
  reader: Knex;
  engine: Engine;
  close(): Promise<void>;
}


export interface OpenOptions {
  /** PostgreSQL schema to use (tests and benchmarks run in a schema of their own). */
  schema?: string;
  /** Largest PostgreSQL pool; SQLite always uses one connection. */
  poolMax?: number;
  timeouts?: Partial<DatabaseTimeouts>;
  /** Where knex's own warnings go (e.g. a failed connection attempt); they name no values. */
  logger?: { warn(msg: string): void; error(msg: string): void; debug(msg: string): void };
}

/** Opens `sqlite:<path>` (creating its folder; WAL, busy timeout) or `postgres://…`. */
export function openDatabase(url: string, options: OpenOptions = {}): Database {
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
  const log = knexLog(options.logger);
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const filename = path === ':memory:' ? ':memory:' : resolve(path);
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const sqlite = (readonly: boolean) =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename, options: { readonly } },
        useNullAsDefault: true,
        compileSqlOnError: false,
        acquireConnectionTimeout: timeouts.acquireMs,
        log,
        // better-sqlite3 is synchronous: one connection serialises writers, WAL lets readers through.
        pool: {
          // The reader opens on its first read, after the writer has created the file and turned WAL on.
          min: readonly ? 0 : 1,
          max: 1,
          afterCreate: (conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
            if (!readonly) conn.pragma('journal_mode = WAL');
            conn.pragma('busy_timeout = 5000');
            conn.pragma('foreign_keys = ON');
            if (!readonly) conn.pragma('synchronous = NORMAL');
            done(null, conn);
          },
        },
      });
    const knex = withoutValuesInErrors(sqlite(false));
    const reader = filename === ':memory:' ? knex : withoutValuesInErrors(sqlite(true));
    return {
      knex,
      reader,
      engine: 'sqlite',
      close: async () => {
        if (reader !== knex) await reader.destroy();
        await knex.destroy();
      },
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const knex = knexFactory({
      client: 'pg',
      // A server that accepts connections but never answers must not hang a request: every wait is bounded.
      connection: {
        connectionString: url,
        connectionTimeoutMillis: timeouts.connectMs,
        statement_timeout: timeouts.statementMs,
        query_timeout: timeouts.statementMs + 1_000,
      },
      acquireConnectionTimeout: timeouts.acquireMs,
      log,
      compileSqlOnError: false,
      searchPath: options.schema ? [options.schema] : undefined,
      pool: { min: 0, max: options.poolMax ?? 10 },
    });
    return { knex: withoutValuesInErrors(knex), reader: knex, engine: 'postgres', close: () => knex.destroy() };
  }
  throw new Error('DATABASE_URL must be sqlite:<path> or postgres://…');
}

/** knex's own log lines (not queries) into CareBridge's log, or nowhere; never the console. */
function knexLog(logger: OpenOptions['logger']): Knex.Config['log'] {
  const text = (m: unknown) => (m instanceof Error ? `${m.name}: ${m.message}` : String(m));
  return {
    warn: (m: unknown) => logger?.warn(text(m)),
    error: (m: unknown) => logger?.error(text(m)),
    debug: (m: unknown) => logger?.debug(text(m)),
    deprecate: (m: unknown) => logger?.debug(text(m)),
  };
}

/**
 * Every failed query's error is scrubbed of bound values before anyone sees it (knex
 * emits `query-error` before the error reaches the caller), so no code path can log
 * patient data from a database error. `compileSqlOnError: false` keeps knex from
 * writing the values into the message in the first place.
 */
function withoutValuesInErrors(knex: Knex): Knex {
  knex.on('query-error', (error: unknown, query: { sql?: string }) => scrubDatabaseError(error, query?.sql));
  return knex;
}

/** Brings the schema up to date; returns the names of the migrations applied now. */
export async function migrate(db: Database): Promise<string[]> {
  const latest = async () => ((await db.knex.migrate.latest({ migrationSource })) as [number, string[]])[1];
  if (db.engine !== 'postgres') return latest();
  // Instances starting together on one PostgreSQL database take turns: knex's own lock
  // table cannot guard the creation of its tables. The lock is held by a transaction on
  // a connection of its own (per schema), and ends with it.
  return db.knex.transaction(async (trx) => {
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('carebridge.migrations.' || current_schema()))`);
    return latest();
  });
}
