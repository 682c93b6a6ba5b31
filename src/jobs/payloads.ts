/**
 * What the SLA sweep puts in the outbox for the Slack layer to render. No patient data:
 * the deliverer reads each shown case's patient label from the database at delivery.
 */
import type { EscalationTarget, LaneKey, Tier } from '../domain/types';
import type { BreachItem, ReminderItem } from '../domain/alerts';

export type { BreachItem, ReminderItem };

/** A person's reminder DM: every case of theirs with a due time coming up, from one sweep. */
export interface ReminderDirectPayload {
  period: string;
  items: ReminderItem[];
}

/** A person's DM: every case of theirs (or covered for an away owner) that breached in one sweep. */
export interface BreachDirectPayload {
  period: string;
  items: BreachItem[];
}

/** Most breaches a summary payload carries; the message shows fewer and counts the rest. */
export const SUMMARY_ITEMS_MAX = 100;

/** The coordinators-channel summary of one sweep: the first breaches, most overdue first, and the total. */
export interface BreachSummaryPayload {
  period: string;
  total: number;
  items: BreachItem[];
}

/** Many automatic escalations (or re-raises) for one channel in one sweep, announced in one post. */
export interface EscalationSummaryPayload {
  target: EscalationTarget;
  period: string;
  /** Escalation ids raised by this sweep. */
  raised: number[];
  /** Urgent escalation ids re-raised by this sweep (unacknowledged after 1 business hour). */
  reraised: number[];
}
