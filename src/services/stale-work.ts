/**
 * Stale work as a list: open cases nobody has moved for the policy's `staleAfterDays`
 * (a note, attempt, claim, reassignment, escalation or its acknowledgement; not
 * CareBridge's own alerts), longest first, with where each case's card is.
 */
import { daysWithoutMovement } from '../domain/metrics';
import type { Policy } from '../domain/policy';
import type { LaneKey } from '../domain/types';
import { OUTBOX } from './outbox-kinds';
import type { Stores } from './ports';

export interface StaleCase {
  caseId: number;
  number: string;
  lane: LaneKey;
  ownerId: string | null;
  days: number;
  /** The case card, when it has been posted. */
  card: { channel: string; ts: string } | null;
}

export interface StaleList {
  afterDays: number;
  /** Every stale case, of which `cases` are the longest without movement. */
  total: number;
  cases: StaleCase[];
}

export async function loadStaleList(stores: Stores, policy: Policy, now: Date, limit: number): Promise<StaleList> {
  const afterDays = policy.staleAfterDays;
  const { cases, total } = await stores.cases.staleCases(new Date(now.getTime() - afterDays * 86_400_000), limit);
  const cards = await stores.slackMessages.getMany(OUTBOX.caseCard, cases.map((c) => String(c.id)));
  return {
    afterDays,
    total,
    cases: cases.map((c) => ({ caseId: c.id, number: c.number, lane: c.lane, ownerId: c.ownerId, days: daysWithoutMovement(c, now), card: cards.get(String(c.id)) ?? null })),
  };
}
