/**
 * Stale work as a list: open cases nobody has moved for the policy's `staleAfterDays`
 * (a note, attempt, claim, reassignment, escalation or its acknowledgement; not
 * CareBridge's own alerts), longest first, with where each case's card is.
 */
import { daysWithoutMovement } from '../domain/metrics';
import type { Policy } from '../domain/policy';
import type { StaleList } from '../domain/digest';
import { CASE_CARD_KIND } from './outbox';
import type { Stores } from './ports';

export async function loadStaleList(stores: Stores, policy: Policy, now: Date, limit: number): Promise<StaleList> {
  const afterDays = policy.staleAfterDays;
  const { cases, total } = await stores.cases.staleCases(new Date(now.getTime() - afterDays * 86_400_000), limit);
  const cards = await stores.slackMessages.getMany(CASE_CARD_KIND, cases.map((c) => String(c.id)));
  return {
    afterDays,
    total,
    cases: cases.map((c) => ({ caseId: c.id, number: c.number, lane: c.lane, ownerId: c.ownerId, days: daysWithoutMovement(c, now), card: cards.get(String(c.id)) ?? null })),
  };
}
