import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { migrate, openDatabase, type Database, type Engine } from '../../src/store/db';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends Database {
  /** Drops what the test created (its PostgreSQL schema) and closes the connections. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: SQLite in memory, or a PostgreSQL
 * schema of its own (dropped afterwards), so test files can run in parallel.
 */
export async function createTestDatabase(engine: Engine, options: { poolMax?: number } = {}): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const db = openDatabase('sqlite::memory:');
    await migrate(db);
    return { ...db, destroy: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `cb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw('CREATE SCHEMA ??', [schema]);
  const db = openDatabase(url, { schema, poolMax: options.poolMax });
  await migrate(db);
  return {
    ...db,
    destroy: async () => {
      await db.close();
      await admin.raw('DROP SCHEMA ?? CASCADE', [schema]);
      await admin.destroy();
    },
  };
}
