/**
 * Deliverers for what the scheduled jobs queue: breach DMs and channel summaries,
 * escalation summaries and the daily digest. Each renders from its payload plus the
 * patient labels of the cases it shows, read now, so the outbox holds no patient data.
 */
import type { Case, Escalation } from '../../domain/types';
import { BREACH_LINES_MAX, breachDirectMessage, breachSummaryMessage, reminderDirectMessage } from '../blocks/breach-alerts';
import { dailyDigestMessage } from '../blocks/daily-digest';
import { escalationSummaryMessage } from '../blocks/escalation-summary';
import { patientLabel } from '../blocks/patient-label';
import type { DeliveryContext } from '../context';
import type { Deliverer } from './dispatcher';

/** Most escalations an escalation summary can show (each line has a button: one block each). */
const ESCALATIONS_SHOWN_MAX = 45;

/** The patient label of each case, for the few a message shows. */
async function labelsOf(ctx: DeliveryContext, caseIds: number[]): Promise<Map<number, string>> {
  const labels = new Map<number, string>();
  for (const id of new Set(caseIds)) {
    const c = await ctx.reads.getCase(id);
    if (c) labels.set(id, patientLabel(c.patient, ctx.config.PATIENT_LABEL));
  }
  return labels;
}

/** A DM to one person (ref: their user id) listing their newly breached cases. */
export function breachDirectDeliverer(ctx: DeliveryContext): Deliverer<'breach_dm'> {
  return async (p, _item, client) => {
    const labels = await labelsOf(ctx, p.items.slice(0, BREACH_LINES_MAX).map((i) => i.caseId));
    // A user id as channel posts in the app's DM with that user.
    await client.chat.postMessage({ channel: p.userId, ...breachDirectMessage(p.items, { policy: ctx.policy, labels }) });
  };
}

/** A DM to one person (ref: their user id) reminding them of due times coming up. */
export function reminderDirectDeliverer(ctx: DeliveryContext): Deliverer<'reminder_dm'> {
  return async (p, _item, client) => {
    const labels = await labelsOf(ctx, p.items.slice(0, BREACH_LINES_MAX).map((i) => i.caseId));
    await client.chat.postMessage({ channel: p.userId, ...reminderDirectMessage(p.items, { policy: ctx.policy, labels }) });
  };
}

/** The sweep's one summary in the coordinators channel. */
export function breachSummaryDeliverer(ctx: DeliveryContext): Deliverer<'breach_summary'> {
  return async (p, _item, client) => {
    const labels = await labelsOf(ctx, p.items.slice(0, BREACH_LINES_MAX).map((i) => i.caseId));
    await client.chat.postMessage({ channel: ctx.config.SLACK_COORDINATORS_CHANNEL, ...breachSummaryMessage(p, { policy: ctx.policy, labels }) });
  };
}

/** Many automatic escalations (or re-raises) of one sweep in one post to the providers or managers channel. */
export function escalationSummaryDeliverer(ctx: DeliveryContext): Deliverer<'escalation_summary'> {
  return async (p, _item, client) => {
    const load = async (ids: number[]) => {
      const out: { e: Escalation; c: Case }[] = [];
      for (const id of ids.slice(0, ESCALATIONS_SHOWN_MAX)) {
        const e = await ctx.reads.getEscalation(id);
        const c = e ? await ctx.reads.getCase(e.caseId) : null;
        if (e && c) out.push({ e, c });
      }
      return out;
    };
    const reraised = await load(p.reraised);
    const raised = await load(p.raised.slice(0, Math.max(0, ESCALATIONS_SHOWN_MAX - reraised.length)));
    const labels = new Map([...reraised, ...raised].map(({ c }) => [c.id, patientLabel(c.patient, ctx.config.PATIENT_LABEL)]));
    const channel = p.target === 'managers' ? ctx.config.SLACK_MANAGERS_CHANNEL : ctx.config.SLACK_PROVIDERS_CHANNEL;
    const message = escalationSummaryMessage(
      { target: p.target, raised, reraised, raisedTotal: p.raised.length, reraisedTotal: p.reraised.length },
      { policy: ctx.policy, labels },
    );
    await client.chat.postMessage({ channel, ...message });
  };
}

/** The daily digest in the coordinators channel (ref: the practice date). */
export function dailyDigestDeliverer(ctx: DeliveryContext): Deliverer<'daily_digest'> {
  return async ({ digest: d }, _item, client) => {
    const labels = await labelsOf(ctx, d.groups.flatMap((g) => g.mostOverdue.map((c) => c.caseId)));
    await client.chat.postMessage({ channel: ctx.config.SLACK_COORDINATORS_CHANNEL, ...dailyDigestMessage(d, { policy: ctx.policy, labels }) });
  };
}
