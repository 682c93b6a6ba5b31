import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { migrate, openDatabase, type Database, type Engine } from '../../src/store/db';

/** A migrated database that belongs to one benchmark and is removed by `destroy`. */
export interface BenchDatabase extends Database {
  /** The DATABASE_URL a child process (the running app) opens to reach the same data. */
  url: string;
  /** Closes the connections and removes the data (SQLite files, or the PostgreSQL schema). */
  destroy(): Promise<void>;
}

let root: string | null = null;

/** The run's scratch folder under the system temp folder; removed by `removeScratch`. */
export function scratchDir(): string {
  root ??= mkdtempSync(join(tmpdir(), 'carebridge-bench-'));
  return root;
}

/** Removes the scratch folder and everything left in it (also after a failed figure). */
export function removeScratch(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
}

let seq = 0;
/** Databases not destroyed yet, so an interrupted run can still drop its PostgreSQL schemas. */
const live = new Set<BenchDatabase>();

/** Destroys every database still open (Ctrl-C, or a figure that failed before its own cleanup). */
export async function destroyAllDatabases(): Promise<void> {
  await Promise.allSettled([...live].map((db) => db.destroy()));
}

function tracked(db: BenchDatabase): BenchDatabase {
  const destroy = db.destroy;
  const entry: BenchDatabase = { ...db, destroy: async () => {
    if (!live.delete(entry)) return;
    await destroy();
  } };
  live.add(entry);
  return entry;
}

/** A fresh SQLite file in the scratch folder, migrated, opened as the app opens it (WAL, one connection). */
export async function tempSqlite(name: string): Promise<BenchDatabase> {
  const path = join(scratchDir(), `${name}-${++seq}.sqlite`);
  const url = `sqlite:${path}`;
  const db = openDatabase(url);
  await migrate(db);
  return tracked({
    ...db,
    url,
    destroy: async () => {
      await db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    },
  });
}

/** A PostgreSQL schema of its own on TEST_DATABASE_URL, migrated; `destroy` drops it. */
export async function tempPostgres(name: string): Promise<BenchDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `cb_bench_${name.replace(/\W/g, '_')}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  await admin.raw('CREATE SCHEMA ??', [schema]);
  const db = openDatabase(base, { schema });
  await migrate(db);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return tracked({
    ...db,
    url: url.toString(),
    destroy: async () => {
      await db.close();
      await admin.raw('DROP SCHEMA ?? CASCADE', [schema]);
      await admin.destroy();
    },
  });
}

/** A fresh database of the engine asked for. */
export function tempDatabase(engine: Engine, name: string): Promise<BenchDatabase> {
  return engine === 'sqlite' ? tempSqlite(name) : tempPostgres(name);
}

/**
 * Brings freshly loaded data to a steady state: on PostgreSQL, VACUUM ANALYZE, as autovacuum
 * would soon after a load (planner statistics, and the visibility map index-only scans need).
 * SQLite is left as the app leaves it (CareBridge never runs ANALYZE there).
 */
export async function settle(db: BenchDatabase): Promise<void> {
  if (db.engine === 'postgres') await db.knex.raw('VACUUM ANALYZE');
}

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (figure 7). */
export function benchEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Runs `fn` with `db`, then destroys it whatever happens. */
export async function withDatabase<T>(db: BenchDatabase, fn: (db: BenchDatabase) => Promise<T>): Promise<T> {
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}
