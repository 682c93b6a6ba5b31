import type { Knex } from 'knex';
import type { PracticeCalendar } from '../domain/calendar';
import type { Stores } from '../services/ports';
import { BreachStore } from './breach-store';
import { CaseStore } from './case-store';
import { DigestStore } from './digest-store';
import { MetricsStore } from './metrics-store';
import { ProcessedRequestStore, SlackMessageStore } from './slack-stores';
import { AwayStore, HeartbeatStore, JobRunStore, OutboxStore } from './support-stores';

export type { Stores };

/**
 * Every store over one connection or transaction: the knex implementation of the services'
 * ports. `cal`, the practice calendar, dates the queue keys the case store writes.
 */
export function createStores(db: Knex | Knex.Transaction, cal: PracticeCalendar): Stores {
  return {
    cases: new CaseStore(db, cal),
    away: new AwayStore(db),
    outbox: new OutboxStore(db),
    jobRuns: new JobRunStore(db),
    slackMessages: new SlackMessageStore(db),
    processed: new ProcessedRequestStore(db),
    breaches: new BreachStore(db),
    digest: new DigestStore(db),
    heartbeat: new HeartbeatStore(db),
    metrics: new MetricsStore(db),
    transaction: (fn) => (db.isTransaction ? fn(createStores(db, cal)) : db.transaction((trx) => fn(createStores(trx, cal)))),
  };
}
