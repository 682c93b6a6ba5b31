/** Every service over one set of ports: what the Slack layer, jobs and intake are handed. */
import type { Clock } from '../clock';
import type { Policy } from '../domain/policy';
import type { EscalationTarget } from '../domain/types';
import { CaseReads } from './case-reads';
import { CaseService } from './case-service';
import { ReportService } from './metrics-service';
import type { Stores } from './ports';
import { SlackRecords } from './slack-records';

export interface Services {
  cases: CaseService;
  reads: CaseReads;
  records: SlackRecords;
  reports: ReportService;
}

/**
 * `readers`: the same ports over a connection that reads without waiting behind writes
 * (`Database.reader`), for what people look at and the reports; every write, and every
 * read inside a use case, goes through `stores`.
 */
export function createServices(
  stores: Stores,
  clock: Clock,
  policy: Policy,
  escalationChannels?: Partial<Record<EscalationTarget, string>>,
  readers: Stores = stores,
): Services {
  return {
    cases: new CaseService({ stores, clock, policy, ...(escalationChannels ? { escalationChannels } : {}) }),
    reads: new CaseReads(readers, policy),
    records: new SlackRecords(stores, readers),
    // The report stores the figures of finished weeks as it counts them: it needs the writer.
    reports: new ReportService(stores.metrics, policy, clock),
  };
}
