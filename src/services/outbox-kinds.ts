/**
 * The kinds of Slack message the services ask to be delivered. The outbox row's
 * `ref` is the id named in each comment; the Slack layer renders from the database,
 * so a message delivered late always shows the case as it is then.
 */
export const OUTBOX = {
  /** Post or update the case's living card in the coordinators channel (ref: case id). */
  caseCard: 'case_card',
  /** Post an escalation to the providers or managers channel (ref: escalation id). */
  escalationPost: 'escalation_post',
  /** Update the escalation post and DM the owner the guidance (ref: escalation id). */
  escalationAcknowledged: 'escalation_ack',
  /** DM a provider's added guidance to the case's owner and backup (ref: guidance id). */
  guidanceDirect: 'guidance_dm',
  /** Republish App Home for the case's owner and backup (ref: case id). */
  homeRefresh: 'home_refresh',
  /** SLA sweep: one DM listing a person's newly breached cases (ref: user id; payload: BreachDirectPayload). */
  breachDirect: 'breach_dm',
  /** SLA sweep: one DM reminding a person of due times coming up that nothing was logged toward (ref: user id; payload: ReminderDirectPayload). */
  reminderDirect: 'reminder_dm',
  /** SLA sweep: one coordinators-channel summary of the sweep's new breaches (ref: sweep period; payload: BreachSummaryPayload). */
  breachSummary: 'breach_summary',
  /** SLA sweep: many automatic escalations or re-raises for one channel, in one post (ref: target:period; payload: EscalationSummaryPayload). */
  escalationSummary: 'escalation_summary',
  /** The daily digest for the coordinators channel (ref: practice date; payload: DailyDigest). */
  dailyDigest: 'daily_digest',
  /** The weekly metrics report and chart for the managers channel (ref: ISO week). */
  weeklyReport: 'weekly_report',
} as const;

export type OutboxKind = (typeof OUTBOX)[keyof typeof OUTBOX];
