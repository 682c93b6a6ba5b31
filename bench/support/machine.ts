import knexFactory from 'knex';
import { openDatabase } from '../../src/store/db';

/** "SQLite 3.x" and, when TEST_DATABASE_URL is set, "PostgreSQL 15.x": the engines the figures ran on. */
export async function databaseVersions(): Promise<string> {
  const sqlite = openDatabase('sqlite::memory:');
  try {
    const [row] = (await sqlite.knex.raw('SELECT sqlite_version() AS v')) as { v: string }[];
    const versions = [`SQLite ${row?.v ?? '?'}`];
    const url = process.env.TEST_DATABASE_URL;
    if (url) {
      const pg = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      try {
        const result = (await pg.raw('SHOW server_version')) as { rows: { server_version: string }[] };
        versions.push(`PostgreSQL ${result.rows[0]?.server_version.split(' ')[0] ?? '?'}`);
      } catch (error) {
        versions.push(`PostgreSQL unreachable (${(error as { code?: string }).code ?? 'error'})`);
      } finally {
        await pg.destroy();
      }
    }
    return versions.join(', ');
  } finally {
    await sqlite.close();
  }
}
