import type { WebClient } from '@slack/web-api';
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { DatabaseHealth } from '../database-health';
import type { Policy } from '../domain/policy';
import type { Logger } from '../logger';
import type { CaseService } from '../services/case-service';
import type { Stores } from '../services/ports';
import type { OutboxDispatcher } from './delivery/dispatcher';
import type { RoleResolver } from './roles';

/** What the Slack listeners and deliverers may use: services, never SQL. */
export interface SlackContext {
  config: Config;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  stores: Stores;
  cases: CaseService;
  roles: RoleResolver;
  /** Where listeners report the database failing (and answer the user "try again"). */
  databaseHealth?: DatabaseHealth;
  /** Asks the outbox to deliver now (after a change), instead of at the next poll. */
  deliverSoon(): void;
  /** The database, for read-only reports that services compute over it (`/followup report`). */
  db?: Knex;
}

/** What the outbox deliverers need to render and send messages. */
export interface DeliveryContext {
  config: Config;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  stores: Stores;
  client?: WebClient;
  dispatcher?: OutboxDispatcher;
  /** Who holds which role (App Home shows managers the queue figures). */
  roles?: RoleResolver;
  /** The database, for deliverers that aggregate in SQL (the weekly report's metrics and chart). */
  db?: Knex;
}
