import type { DeliveryContext } from '../context';
import type { Deliverers } from './dispatcher';
import { caseCardDeliverer } from './case-card-deliverer';
import { escalationAckDeliverer, escalationPostDeliverer, guidanceDirectDeliverer } from './escalation-deliverers';
import { homePublishDeliverer, homeRefreshDeliverer, providersHomeDeliverer } from './home-refresh';
import { breachDirectDeliverer, breachSummaryDeliverer, dailyDigestDeliverer, escalationSummaryDeliverer, reminderDirectDeliverer } from './job-deliverers';
import { weeklyReportDeliverer } from './weekly-report-deliverer';

/** The deliverer of each kind of outbox message (services/outbox.ts). */
export function createDeliverers(ctx: DeliveryContext): Deliverers {
  return {
    case_card: caseCardDeliverer(ctx),
    escalation_post: escalationPostDeliverer(ctx),
    escalation_ack: escalationAckDeliverer(ctx),
    guidance_dm: guidanceDirectDeliverer(ctx),
    home_refresh: homeRefreshDeliverer(ctx),
    home_publish: homePublishDeliverer(ctx),
    providers_home: providersHomeDeliverer(ctx),
    breach_dm: breachDirectDeliverer(ctx),
    breach_summary: breachSummaryDeliverer(ctx),
    reminder_dm: reminderDirectDeliverer(ctx),
    escalation_summary: escalationSummaryDeliverer(ctx),
    daily_digest: dailyDigestDeliverer(ctx),
    weekly_report: weeklyReportDeliverer(ctx),
  };
}
