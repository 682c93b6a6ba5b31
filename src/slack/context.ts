import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { DatabaseHealth } from '../database-health';
import type { Policy } from '../domain/policy';
import type { Logger } from '../logger';
import type { CaseReads } from '../services/case-reads';
import type { CaseService } from '../services/case-service';
import type { ReportService } from '../services/metrics-service';
import type { SlackRecords } from '../services/slack-records';
import type { OutboxDispatcher } from './delivery/dispatcher';
import type { RoleResolver } from './roles';

/** What the Slack listeners may use: services, never a store or SQL. */
export interface SlackContext {
  config: Config;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  /** Every change to a case. */
  cases: CaseService;
  /** What people look at: cases, lists, Home rows. */
  reads: CaseReads;
  /** Where Slack messages were posted, and the requests already handled. */
  records: SlackRecords;
  /** The weekly report's figures (`/followup report`). */
  reports: ReportService;
  roles: RoleResolver;
  /** Where listeners report the database failing (and answer the user "try again"). */
  databaseHealth?: DatabaseHealth;
  /** Asks the outbox to deliver now (after a change), instead of at the next poll. */
  deliverSoon(): void;
}

/** What the outbox deliverers need to render and send messages. */
export interface DeliveryContext {
  config: Config;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  reads: CaseReads;
  records: SlackRecords;
  reports: ReportService;
  client?: WebClient;
  dispatcher?: OutboxDispatcher;
  /** Who holds which role (App Home shows managers the queue figures). */
  roles?: RoleResolver;
}
