import { loadDatabaseUrl } from '../config';
import { migrate, openDatabase } from '../store/db';

/** `carebridge migrate`: needs only DATABASE_URL, so it can run before Slack is set up. */
export async function migrateCommand(_args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const db = openDatabase(loadDatabaseUrl(env));
  try {
    const applied = await migrate(db);
    console.log(applied.length === 0 ? 'Database schema is up to date; nothing to do.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    return 0;
  } finally {
    await db.close();
  }
}
