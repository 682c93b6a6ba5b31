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
  /** Republish App Home for the case's owner and backup (ref: case id). */
  homeRefresh: 'home_refresh',
} as const;

export type OutboxKind = (typeof OUTBOX)[keyof typeof OUTBOX];
