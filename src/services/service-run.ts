import type { Policy } from '../domain/policy';
import type { Logger } from '../logger';
import type { CaseService } from './case-service';
import type { Stores } from './ports';

/**
 * A scheduled use case while it runs (the SLA sweep, the digest, the weekly report): the
 * ports and a case service bound to the run's transaction, its instant and its period.
 */
export interface ServiceRun {
  tx: Stores;
  cases: CaseService;
  policy: Policy;
  logger: Logger;
  now: Date;
  period: string;
}
