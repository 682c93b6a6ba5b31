import type { Knex } from 'knex';
import { BreachStore } from './breach-store';
import { CaseStore } from './case-store';
import { DigestStore } from './digest-store';
import { ProcessedRequestStore, SlackMessageStore } from './slack-stores';
import { AwayStore, HeartbeatStore, JobRunStore, OutboxStore } from './support-stores';

/** Every store over one connection or transaction. */
export interface Stores {
  cases: CaseStore;
  away: AwayStore;
  outbox: OutboxStore;
  jobRuns: JobRunStore;
  slackMessages: SlackMessageStore;
  processed: ProcessedRequestStore;
  breaches: BreachStore;
  digest: DigestStore;
  heartbeat: HeartbeatStore;
  /** Runs `fn` with stores bound to one transaction: all of it commits, or none. */
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
}

export function createStores(db: Knex | Knex.Transaction): Stores {
  return {
    cases: new CaseStore(db),
    away: new AwayStore(db),
    outbox: new OutboxStore(db),
    jobRuns: new JobRunStore(db),
    slackMessages: new SlackMessageStore(db),
    processed: new ProcessedRequestStore(db),
    breaches: new BreachStore(db),
    digest: new DigestStore(db),
    heartbeat: new HeartbeatStore(db),
    transaction: (fn) => (db.isTransaction ? fn(createStores(db)) : db.transaction((trx) => fn(createStores(trx)))),
  };
}
