import type { DeliveryContext } from '../context';
import type { Deliverer } from './dispatcher';
import { caseCardDeliverer } from './case-card-deliverer';
import { escalationAckDeliverer, escalationPostDeliverer, guidanceDirectDeliverer } from './escalation-deliverers';
import { homeRefreshDeliverer } from './home-refresh';
import { breachDirectDeliverer, breachSummaryDeliverer, dailyDigestDeliverer, escalationSummaryDeliverer, reminderDirectDeliverer } from './job-deliverers';
import { weeklyReportDeliverer } from './weekly-report-deliverer';
import { OUTBOX } from '../../services/outbox-kinds';

/** The deliverer of each outbox kind (see services/outbox-kinds.ts). */
export function createDeliverers(ctx: DeliveryContext): Record<string, Deliverer> {
  return {
    [OUTBOX.caseCard]: caseCardDeliverer(ctx),
    [OUTBOX.escalationPost]: escalationPostDeliverer(ctx),
    [OUTBOX.escalationAcknowledged]: escalationAckDeliverer(ctx),
    [OUTBOX.guidanceDirect]: guidanceDirectDeliverer(ctx),
    [OUTBOX.homeRefresh]: homeRefreshDeliverer(ctx),
    [OUTBOX.breachDirect]: breachDirectDeliverer(ctx),
    [OUTBOX.breachSummary]: breachSummaryDeliverer(ctx),
    [OUTBOX.reminderDirect]: reminderDirectDeliverer(ctx),
    [OUTBOX.escalationSummary]: escalationSummaryDeliverer(ctx),
    [OUTBOX.dailyDigest]: dailyDigestDeliverer(ctx),
    [OUTBOX.weeklyReport]: weeklyReportDeliverer(ctx),
  };
}
