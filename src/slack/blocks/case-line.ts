/**
 * How a line about one case reads in channel posts and DMs (breach alerts, reminders,
 * the digest, escalation summaries): "*FU-1042* · `AL ·3456` · Referral follow-up · High",
 * then what it is about. Only what SPEC §6 allows in a channel.
 */
import type { BreachKind } from '../../domain/alerts';
import { TIER_LABELS, type Policy } from '../../domain/policy';
import type { DueKind } from '../../domain/queue';
import type { LaneKey, Tier } from '../../domain/types';
import { escapeMrkdwn, formatPracticeDate, formatPracticeTime } from './format';

/** Case number, patient label (when there is one), the practice's lane label and the tier. */
export function caseLineParts(c: { number: string; lane: LaneKey; tier: Tier }, label: string | undefined, policy: Pick<Policy, 'lanes'>): string[] {
  return [`*${c.number}*`, ...(label ? [`\`${escapeMrkdwn(label)}\``] : []), escapeMrkdwn(policy.lanes[c.lane].label), TIER_LABELS[c.tier]];
}

const MISSED: Record<BreachKind | DueKind, string> = {
  first_response: 'first response was due',
  next_action: 'next action was due',
  reattempt: 'next attempt was due',
  resolution: 'resolution target was',
};

/** "first response was due Mon Nov 30, 11:30 AM" / "next action was due Mon Nov 30" (a date) / "next attempt was due …". */
export function missedWhat(m: { kind: BreachKind | DueKind; due: string }, policy: Pick<Policy, 'calendar'>): string {
  const when = m.kind === 'next_action' ? formatPracticeDate(m.due) : formatPracticeTime(new Date(m.due), policy.calendar);
  return `${MISSED[m.kind]} ${when}`;
}
