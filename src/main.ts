import type { Server } from 'node:http';
import { systemClock, type Clock } from './clock';
import { ConfigError, type Config } from './config';
import type { Policy } from './domain/policy';
import { DatabaseHealth } from './database-health';
import { SlackHealth } from './slack/health';
import { healthRoute } from './health-route';
import { JobScheduler } from './jobs/scheduler';
import { createIntakeHandler } from './intake/intake-handler';
import { createLogger, type Logger } from './logger';
import { loadPolicy } from './policy-file';
import type { CaseService } from './services/case-service';
import { createServices } from './services/services';
import { closeChartPool } from './reports/chart-pool';
import { createSlackApp, type Route, type SlackApp } from './slack/app';
import { boltLogger } from './slack/bolt-logger';
import type { SlackContext } from './slack/context';
import { createDeliverers } from './slack/delivery/deliverers';
import { OutboxDispatcher } from './slack/delivery/dispatcher';
import { registerListeners } from './slack/listeners';
import { RoleResolver } from './slack/roles';
import { checkSlackSetup } from './slack/startup-check';
import { describeFailure } from './slack/slack-errors';
import { migrate, openDatabase, type Database } from './store/db';
import { createStores, type Stores } from './store/stores';

/** Every part of a running CareBridge, wired once. */
export interface CareBridge {
  config: Config;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  db: Database;
  stores: Stores;
  cases: CaseService;
  health: SlackHealth;
  databaseHealth: DatabaseHealth;
  slack: SlackApp;
  roles: RoleResolver;
  dispatcher: OutboxDispatcher;
  context: SlackContext;
}

export interface BuildOptions {
  clock?: Clock;
  logger?: Logger;
  /** An already-open, migrated database (tests); otherwise DATABASE_URL is opened and migrated. */
  db?: Database;
  /** From the start-up auth.test, so Bolt need not ask again. */
  botUserId?: string;
  botId?: string;
  /** Overrides PORT (tests listen on 0, any free port). */
  port?: number;
}

/**
 * The composition root: config → database → stores → services → Slack app → jobs.
 * Builds everything without touching the network; `startCareBridge` then runs it.
 */
export async function createCareBridge(config: Config, options: BuildOptions = {}): Promise<CareBridge> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const policy = loadPolicy(config.POLICY_FILE, config.PRACTICE_TIMEZONE);
  const db =
    options.db ??
    openDatabase(config.DATABASE_URL, {
      logger: logger.child({ component: 'database' }),
      timeouts: { connectMs: config.DATABASE_CONNECT_TIMEOUT_MS, acquireMs: config.DATABASE_ACQUIRE_TIMEOUT_MS, statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS },
    });
  const stores = createStores(db.knex, policy.calendar);
  if (!options.db) {
    const applied = await migrate(db);
    // Cases opened before the queue keys existed get theirs, as part of bringing the
    // database up to date, before anyone is served (the keys need the practice calendar).
    const keyed = await stores.cases.fillQueueKeys();
    logger.info({ engine: db.engine, applied, ...(keyed > 0 ? { queueKeysFilled: keyed } : {}) }, 'database ready');
  }
  const readers = db.reader === db.knex ? stores : createStores(db.reader, policy.calendar);
  const services = createServices(stores, clock, policy, { providers: config.SLACK_PROVIDERS_CHANNEL, managers: config.SLACK_MANAGERS_CHANNEL }, readers);
  const { cases } = services;
  const health = new SlackHealth();
  const databaseHealth = new DatabaseHealth(logger, clock);
  const routes: Route[] = [
    healthRoute({ db, stores, health, databaseHealth }),
    { path: '/intake/events', methods: ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'], handler: createIntakeHandler({ cases, clock, intakeToken: config.INTAKE_TOKEN, logger, databaseHealth }) },
  ];
  const slack = createSlackApp({ config, logger, routes, botUserId: options.botUserId, botId: options.botId });
  const roles = new RoleResolver(
    { coordinators: config.COORDINATORS, providers: config.PROVIDERS, managers: config.MANAGERS },
    slack.client,
    clock,
    logger,
  );
  const dispatcher = new OutboxDispatcher({
    outbox: stores.outbox,
    client: slack.deliveryClient,
    clock,
    logger,
    health,
    databaseHealth,
    deliverers: createDeliverers({ config, policy, clock, logger, reads: services.reads, records: services.records, reports: services.reports, roles }),
  });
  const context: SlackContext = { config, policy, clock, logger, ...services, roles, databaseHealth, deliverSoon: () => void dispatcher.kick() };
  registerListeners(slack.app, context);
  return { config, clock, logger, policy, db, stores, cases, health, databaseHealth, slack, roles, dispatcher, context };
}

export interface RunningCareBridge {
  careBridge: CareBridge;
  server: Server;
  scheduler: JobScheduler;
  stop(): Promise<void>;
}

/** How often a start-up check that found Slack unreachable is tried again. */
const RECHECK_MS = 30_000;

/**
 * Starts CareBridge: checks the Slack setup (a setup mistake stops start-up with
 * the fix; Slack being unreachable does not), serves HTTP, connects, delivers.
 */
export async function startCareBridge(config: Config, options: BuildOptions = {}): Promise<RunningCareBridge> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const { WebClient } = await import('@slack/web-api');
  const probe = new WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: config.SLACK_API_URL,
    retryConfig: { retries: 1 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLogger(logger),
  });
  const channels = [
    { setting: 'SLACK_COORDINATORS_CHANNEL', channel: config.SLACK_COORDINATORS_CHANNEL },
    { setting: 'SLACK_PROVIDERS_CHANNEL', channel: config.SLACK_PROVIDERS_CHANNEL },
    { setting: 'SLACK_MANAGERS_CHANNEL', channel: config.SLACK_MANAGERS_CHANNEL },
  ];
  const check = await checkSlackSetup(probe, channels);
  if (!check.ok && check.fatal) throw new ConfigError(check.problems);
  const careBridge = await createCareBridge(config, {
    ...options,
    logger,
    ...(check.ok ? { botUserId: check.botUserId, botId: check.botId } : {}),
  });
  const { slack, dispatcher, health } = careBridge;
  let recheck: NodeJS.Timeout | undefined;
  if (check.ok) {
    health.recordHealthyCheck();
  } else {
    const description = describeFailure(check.failure, 'start-up check');
    health.recordFailure(check.failure, description);
    logger.warn(description);
    recheck = setInterval(() => {
      void checkSlackSetup(probe, channels)
        .then((again) => {
          if (again.ok) {
            health.recordHealthyCheck();
            clearInterval(recheck);
            logger.info('Slack is reachable again');
          } else if (again.fatal) {
            for (const problem of again.problems) logger.error(problem);
          }
        })
        .catch((error: unknown) => logger.warn({ errorName: (error as Error)?.name }, 'the Slack setup check failed; trying again later'));
    }, RECHECK_MS);
    recheck.unref();
  }
  const server = await slack.listen(options.port ?? config.PORT);
  logger.info({ port: config.PORT, mode: config.SLACK_APP_TOKEN ? 'socket' : 'http' }, 'CareBridge is listening');
  if (config.SLACK_APP_TOKEN) {
    slack.connect().catch((error) => logger.warn({ err: (error as Error).message }, 'Socket Mode connection failed; the client keeps retrying'));
  }
  dispatcher.start();
  void dispatcher.kick();
  // The jobs of SPEC §8 on their schedules, and whatever came due while CareBridge was down.
  const scheduler = new JobScheduler({ ...careBridge, deliverSoon: () => void dispatcher.kick() });
  scheduler.start();
  void scheduler.track(scheduler.catchUp());
  return {
    careBridge,
    server,
    scheduler,
    stop: async () => {
      clearInterval(recheck);
      await scheduler.stop();
      await dispatcher.stop();
      await closeChartPool();
      await slack.stop();
      await careBridge.db.close();
    },
  };
}
