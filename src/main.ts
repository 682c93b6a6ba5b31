import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { loadPolicy } from './policy-file';
import { CaseService } from './services/case-service';
import { migrate, openDatabase, type Database } from './store/db';
import { createStores } from './store/stores';

export interface RunningCareBridge {
  stop(): Promise<void>;
}

/**
 * The composition root: config → database → stores → services → Slack app → jobs.
 * Nothing else in CareBridge wires dependencies together.
 */
export async function startCareBridge(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Promise<RunningCareBridge> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const policy = loadPolicy(config.POLICY_FILE, config.PRACTICE_TIMEZONE);
  const db: Database = openDatabase(config.DATABASE_URL);
  const applied = await migrate(db);
  logger.info({ engine: db.engine, applied }, 'database ready');
  const stores = createStores(db.knex);
  const cases = new CaseService({ stores, clock, policy });
  void cases;
  return {
    stop: async () => {
      await db.close();
    },
  };
}
