import { practiceDate } from '../../domain/calendar';
import type { Case } from '../../domain/types';
import { CASE_CARD_KIND } from '../../services/outbox';
import { caseCardMessage } from '../blocks/case-card';
import type { SlackMessage } from '../blocks/kit';
import type { DeliveryContext } from '../context';
import type { Deliverer } from './dispatcher';
import { slackErrorCode } from './slack-error-code';

/** What rendering a card needs: what people look at, the policy, the settings and the time. */
export type CaseCardDeps = Pick<DeliveryContext, 'reads' | 'policy' | 'config' | 'clock'>;

/**
 * The case card as it should look now: the owner's away status today and who is
 * responsible for the next step (from the latest note) are read from the database.
 * Exported for every surface that shows a card (`/followup case`, digests).
 */
export async function loadCaseCard(deps: CaseCardDeps, c: Case): Promise<SlackMessage> {
  const now = deps.clock.now();
  const [away, latest, pending, earlierNoShows, [guidance]] = await Promise.all([
    c.ownerId ? deps.reads.awayOn([c.ownerId], practiceDate(deps.policy.calendar, now)) : Promise.resolve(new Set<string>()),
    deps.reads.latestNote(c.id),
    c.state === 'closed' ? Promise.resolve([]) : deps.reads.pendingEscalations(c.id),
    deps.reads.earlierNoShows(c),
    deps.reads.listGuidance(c.id, 1),
  ]);
  return caseCardMessage(c, {
    now,
    calendar: deps.policy.calendar,
    labelMode: deps.config.PATIENT_LABEL,
    laneLabel: deps.policy.lanes[c.lane].label,
    ownerAway: c.ownerId !== null && away.has(c.ownerId),
    latestNextAction: latest,
    pendingEscalations: pending,
    earlierNoShows,
    latestGuidance: guidance ?? null,
    maxAttempts: deps.policy.lanes[c.lane].maxAttempts,
  });
}

/**
 * Keeps one living card per case in the coordinators channel: posted the first time
 * (its channel and ts saved), updated in place afterwards. A card someone deleted in
 * Slack is posted again rather than lost. Rendered at delivery time, so a card
 * delivered after an outage shows the case as it is then.
 */
export function caseCardDeliverer(ctx: DeliveryContext): Deliverer<'case_card'> {
  return async ({ caseId }, item, client) => {
    const c = await ctx.reads.getCase(caseId);
    if (!c) {
      ctx.logger.warn({ outboxId: item.id, caseId }, 'case card for a case that does not exist; skipped');
      return;
    }
    const message = await loadCaseCard(ctx, c);
    const existing = await ctx.records.posted(CASE_CARD_KIND, String(caseId));
    if (existing) {
      try {
        await client.chat.update({ channel: existing.channel, ts: existing.ts, ...message });
        return;
      } catch (error) {
        if (slackErrorCode(error) !== 'message_not_found') throw error;
        ctx.logger.warn({ caseId: c.id }, 'the case card was deleted in Slack; posting it again');
      }
    }
    const channel = ctx.config.SLACK_COORDINATORS_CHANNEL;
    const posted = await client.chat.postMessage({ channel, ...message });
    await ctx.records.remember(CASE_CARD_KIND, String(caseId), { channel: posted.channel ?? channel, ts: posted.ts! }, ctx.clock.now());
  };
}
