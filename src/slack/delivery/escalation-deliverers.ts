import { practiceDate } from '../../domain/calendar';
import type { Case, Escalation } from '../../domain/types';
import { ESCALATION_POST_KIND } from '../../services/outbox';
import { addedGuidanceDirectMessage, escalationPostMessage, guidanceDirectMessage } from '../blocks/escalation-post';
import type { DeliveryContext } from '../context';
import type { Deliverer } from './dispatcher';

/** SlackMessageStore kind of the DM that returns an acknowledged case to its owner (ref: escalation id). */
export const ACK_DM_KIND = 'escalation_ack_dm';

/**
 * Posts an escalation to the providers channel, or the managers channel for
 * operational reasons (escalation.target), and saves where it went. A second
 * delivery for the same escalation updates that post instead of posting twice; one
 * whose payload says `{ reraise: true }` (an urgent escalation still unacknowledged)
 * also replies in its thread, broadcast to the channel, so it is seen again.
 */
export function escalationPostDeliverer(ctx: DeliveryContext): Deliverer<'escalation_post'> {
  return async ({ escalationId, reraise }, item, client) => {
    const ref = String(escalationId);
    const found = await load(ctx, escalationId);
    if (!found) {
      ctx.logger.warn({ outboxId: item.id, escalationId }, 'escalation post for an escalation that does not exist; skipped');
      return;
    }
    const { e, c } = found;
    const message = escalationPostMessage(e, c, {
      calendar: ctx.policy.calendar,
      labelMode: ctx.config.PATIENT_LABEL,
      laneLabel: ctx.policy.lanes[c.lane].label,
      latestNote: await ctx.reads.latestNote(c.id),
    });
    const existing = await ctx.records.posted(ESCALATION_POST_KIND, ref);
    if (existing) {
      await client.chat.update({ channel: existing.channel, ts: existing.ts, ...message });
      if (reraise && !e.acknowledgedAt) {
        await client.chat.postMessage({
          channel: existing.channel,
          thread_ts: existing.ts,
          reply_broadcast: true,
          text: `Still unacknowledged: ${c.number} (${message.text}). Please acknowledge.`,
        });
      }
      return;
    }
    const channel = e.target === 'managers' ? ctx.config.SLACK_MANAGERS_CHANNEL : ctx.config.SLACK_PROVIDERS_CHANNEL;
    const posted = await client.chat.postMessage({ channel, ...message });
    await ctx.records.remember(ESCALATION_POST_KIND, ref, { channel: posted.channel ?? channel, ts: posted.ts! }, ctx.clock.now());
  };
}

/**
 * After an acknowledgement: updates the escalation post to say who acknowledged and
 * when (no button), then DMs the owner (or the backup while the owner is away) that
 * the case is back with them, with the guidance. The DM is remembered, so a retry
 * after a failed update never sends it twice.
 */
export function escalationAckDeliverer(ctx: DeliveryContext): Deliverer<'escalation_ack'> {
  return async ({ escalationId }, item, client) => {
    const ref = String(escalationId);
    const found = await load(ctx, escalationId);
    if (!found || !found.e.acknowledgedAt) {
      ctx.logger.warn({ outboxId: item.id, escalationId }, 'acknowledgement of an escalation that is missing or unacknowledged; skipped');
      return;
    }
    const { e, c } = found;
    const post = await ctx.records.posted(ESCALATION_POST_KIND, ref);
    if (post) {
      const message = escalationPostMessage(e, c, {
        calendar: ctx.policy.calendar,
        labelMode: ctx.config.PATIENT_LABEL,
        laneLabel: ctx.policy.lanes[c.lane].label,
        latestNote: await ctx.reads.latestNote(c.id),
      });
      await client.chat.update({ channel: post.channel, ts: post.ts, ...message });
    }
    const recipient = await recipientOf(ctx, c);
    if (!recipient || (await ctx.records.posted(ACK_DM_KIND, ref))) return;
    const dm = guidanceDirectMessage(e, c, { calendar: ctx.policy.calendar, labelMode: ctx.config.PATIENT_LABEL, laneLabel: ctx.policy.lanes[c.lane].label });
    // A user id as channel posts in the app's DM with that user (chat:write is enough).
    const sent = await client.chat.postMessage({ channel: recipient, ...dm });
    await ctx.records.remember(ACK_DM_KIND, ref, { channel: sent.channel ?? recipient, ts: sent.ts! }, ctx.clock.now());
  };
}

async function load(ctx: DeliveryContext, id: number): Promise<{ e: Escalation; c: Case } | null> {
  const e = await ctx.reads.getEscalation(id);
  const c = e ? await ctx.reads.getCase(e.caseId) : null;
  return e && c ? { e, c } : null;
}

/** The owner; the backup instead while the owner is away (SPEC §3); nobody for an unowned case. */
async function recipientOf(ctx: DeliveryContext, c: Case): Promise<string | null> {
  if (!c.ownerId) return null;
  const away = await ctx.reads.awayOn([c.ownerId], practiceDate(ctx.policy.calendar, ctx.clock.now()));
  return away.has(c.ownerId) && c.backupId ? c.backupId : c.ownerId;
}

/**
 * `guidance_dm` (ref: guidance id): the provider's added guidance to the case's owner and
 * backup by direct message, each once (remembered per recipient).
 */
export function guidanceDirectDeliverer(ctx: DeliveryContext): Deliverer<'guidance_dm'> {
  return async ({ guidanceId }, _item, client) => {
    const g = await ctx.reads.getGuidance(guidanceId);
    const found = g ? await load(ctx, g.escalationId) : null;
    if (!g || !found) return;
    const dm = addedGuidanceDirectMessage(g, found.e, found.c, { calendar: ctx.policy.calendar, labelMode: ctx.config.PATIENT_LABEL, laneLabel: ctx.policy.lanes[found.c.lane].label });
    for (const recipient of new Set([found.c.ownerId, found.c.backupId].filter((u): u is string => Boolean(u)))) {
      const key = `${guidanceId}:${recipient}`;
      if (await ctx.records.posted(GUIDANCE_DM_KIND, key)) continue;
      const sent = await client.chat.postMessage({ channel: recipient, ...dm });
      await ctx.records.remember(GUIDANCE_DM_KIND, key, { channel: sent.channel ?? recipient, ts: sent.ts! }, ctx.clock.now());
    }
  };
}

/** SlackMessageStore kind of the added-guidance DMs (ref: guidance id:recipient). */
const GUIDANCE_DM_KIND = 'guidance_dm';
