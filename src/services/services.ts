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

export function createServices(stores: Stores, clock: Clock, policy: Policy, escalationChannels?: Partial<Record<EscalationTarget, string>>): Services {
  return {
    cases: new CaseService({ stores, clock, policy, ...(escalationChannels ? { escalationChannels } : {}) }),
    reads: new CaseReads(stores, policy),
    records: new SlackRecords(stores),
    reports: new ReportService(stores.metrics, policy, clock),
  };
}
