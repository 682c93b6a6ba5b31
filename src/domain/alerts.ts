/**
 * What the SLA sweep tells people: a breach (a missed first response, next step or
 * re-attempt) or a reminder before a due time, each recorded once under a key that
 * names the due time, so no sweep sends it twice. Pure data.
 */
import type { AlertRoute } from './breach-routing';
import type { ReminderKind } from './reattempt';
import type { LaneKey, Tier } from './types';

/** The breaches the SLA sweep alerts about (SPEC §8), and a missed re-attempt of the cadence. */
export type BreachKind = 'first_response' | 'next_action' | 'reattempt';

/** The recorded kind of each reminder: recorded like an alert, so each is sent once. */
export const REMINDER: Record<ReminderKind, string> = {
  first_response: 'reminder:first_response',
  next_action: 'reminder:next_action',
};

/** The identity of an alert: `caseId:kind:key`. */
export function alertKey(a: { caseId: number; kind: string; key: string }): string {
  return `${a.caseId}:${a.kind}:${a.key}`;
}

/** One breach the sweep alerts about. No patient data: the patient label is read at delivery. */
export interface BreachItem {
  caseId: number;
  number: string;
  lane: LaneKey;
  tier: Tier;
  kind: BreachKind;
  /** First response and re-attempt: the ISO instant it was due; next action: the target date `YYYY-MM-DD`. */
  due: string;
  ownerId: string | null;
  route: AlertRoute;
}

/** One due time a person is reminded of before it passes. */
export interface ReminderItem {
  caseId: number;
  number: string;
  lane: LaneKey;
  tier: Tier;
  kind: ReminderKind;
  /** First response: the ISO instant it is due; next step: its target date `YYYY-MM-DD`. */
  due: string;
  /** The away owner the backup is covering for, when the reminder goes to the backup. */
  coveringFor: string | null;
}
