/**
 * The messages the services ask the Slack layer to deliver, as one typed union. Each is
 * written to the outbox in the transaction of the change it announces (a row: kind, ref,
 * payload), read back and validated before delivery, and rendered from the database then,
 * so a message delivered late shows the case as it is. No patient data: the deliverer reads
 * each case's label at delivery.
 */
import { z } from 'zod';
import type { BreachItem, ReminderItem } from '../domain/alerts';
import type { DailyDigest } from '../domain/digest';
import { isIsoWeek } from '../domain/iso-week';
import { LANES, TIERS, type EscalationTarget } from '../domain/types';
import type { Stores } from './ports';

export type OutboxMessage =
  /** Post or update the case's living card in the coordinators channel. */
  | { kind: 'case_card'; caseId: number }
  /** Post an escalation to the providers or managers channel; `reraise`: an urgent one unacknowledged for 1 business hour. */
  | { kind: 'escalation_post'; escalationId: number; reraise: boolean }
  /** Update the escalation post and DM the owner the guidance. */
  | { kind: 'escalation_ack'; escalationId: number }
  /** DM a provider's added guidance to the case's owner and backup. */
  | { kind: 'guidance_dm'; guidanceId: number }
  /** Republish one person's App Home (one waiting per person: the newest state wins). */
  | { kind: 'home_publish'; userId: string }
  /** Republish every provider's App Home (their list of escalations changed). */
  | { kind: 'providers_home' }
  /** Republish App Home for a case's people (queued per case by earlier versions; still delivered). */
  | { kind: 'home_refresh'; caseId: number }
  /** SLA sweep: one DM listing a person's newly breached cases. */
  | { kind: 'breach_dm'; userId: string; period: string; items: BreachItem[] }
  /** SLA sweep: one DM reminding a person of due times coming up that nothing was logged toward. */
  | { kind: 'reminder_dm'; userId: string; period: string; items: ReminderItem[] }
  /** SLA sweep: one coordinators-channel summary of the sweep's new breaches (the first of `total`). */
  | { kind: 'breach_summary'; period: string; total: number; items: BreachItem[] }
  /** SLA sweep: many automatic escalations or re-raises for one channel, in one post. */
  | { kind: 'escalation_summary'; target: EscalationTarget; period: string; raised: number[]; reraised: number[] }
  /** The daily digest for the coordinators channel (`date`: the practice date). */
  | { kind: 'daily_digest'; date: string; digest: DailyDigest }
  /** The weekly metrics report and chart for the managers channel (`week`: the ISO week reported). */
  | { kind: 'weekly_report'; week: string };

export type OutboxKind = OutboxMessage['kind'];
export type OutboxMessageOf<K extends OutboxKind> = Extract<OutboxMessage, { kind: K }>;

/** The living messages' kinds where the Slack layer remembers them (the card and the escalation post are updated in place). */
export const CASE_CARD_KIND = 'case_card' satisfies OutboxKind;
export const ESCALATION_POST_KIND = 'escalation_post' satisfies OutboxKind;

/** Most breaches a summary message carries; the post shows fewer and counts the rest. */
export const SUMMARY_ITEMS_MAX = 100;

/** Kinds where one waiting message covers any number of changes (the newest state is rendered at delivery). */
const COALESCED: ReadonlySet<OutboxKind> = new Set(['case_card', 'home_refresh', 'home_publish', 'providers_home']);

/**
 * What goes first when many messages wait (lower first): clinical escalations and their
 * guidance, then the living case cards, then people's DMs and the sweep's summary, then
 * App Home, then the digest and the weekly report.
 */
export const OUTBOX_PRIORITY: Record<OutboxKind, number> = {
  escalation_post: 0,
  escalation_ack: 0,
  guidance_dm: 0,
  escalation_summary: 0,
  case_card: 1,
  breach_dm: 2,
  reminder_dm: 2,
  breach_summary: 2,
  home_publish: 3,
  providers_home: 3,
  home_refresh: 3,
  daily_digest: 4,
  weekly_report: 5,
};

/**
 * The Slack target a message changes, whose messages must go out one after another in
 * the order they were queued: a case's card, an escalation's post (posted, then updated
 * when acknowledged), one person's DMs, one channel's posts.
 */
export function deliveryTarget(m: OutboxMessage): string {
  switch (m.kind) {
    case 'case_card':
    case 'home_refresh':
      return `${m.kind}:${m.caseId}`;
    case 'home_publish':
      return `home:${m.userId}`;
    case 'providers_home':
      return 'home:providers';
    case 'escalation_post':
    case 'escalation_ack':
      return `escalation:${m.escalationId}`;
    case 'guidance_dm':
      return `guidance:${m.guidanceId}`;
    case 'breach_dm':
    case 'reminder_dm':
      return `dm:${m.userId}`;
    case 'breach_summary':
    case 'daily_digest':
      return 'channel:coordinators';
    case 'escalation_summary':
      return `channel:${m.target}`;
    case 'weekly_report':
      return 'channel:managers';
  }
}

/** A message as an outbox row. */
export function outboxRow(m: OutboxMessage): { kind: OutboxKind; ref: string; payload: unknown } {
  switch (m.kind) {
    case 'case_card':
    case 'home_refresh':
      return { kind: m.kind, ref: String(m.caseId), payload: null };
    case 'home_publish':
      return { kind: m.kind, ref: m.userId, payload: null };
    case 'providers_home':
      return { kind: m.kind, ref: 'providers', payload: null };
    case 'escalation_post':
      return { kind: m.kind, ref: String(m.escalationId), payload: m.reraise ? { reraise: true } : null };
    case 'escalation_ack':
      return { kind: m.kind, ref: String(m.escalationId), payload: null };
    case 'guidance_dm':
      return { kind: m.kind, ref: String(m.guidanceId), payload: null };
    case 'breach_dm':
    case 'reminder_dm':
      return { kind: m.kind, ref: m.userId, payload: { period: m.period, items: m.items } };
    case 'breach_summary':
      return { kind: m.kind, ref: m.period, payload: { period: m.period, total: m.total, items: m.items } };
    case 'escalation_summary':
      return { kind: m.kind, ref: `${m.target}:${m.period}`, payload: { target: m.target, period: m.period, raised: m.raised, reraised: m.reraised } };
    case 'daily_digest':
      return { kind: m.kind, ref: m.date, payload: m.digest };
    case 'weekly_report':
      return { kind: m.kind, ref: m.week, payload: { week: m.week } };
  }
}

/** Queues a message in the caller's transaction. */
export async function enqueue(stores: Pick<Stores, 'outbox'>, m: OutboxMessage, at: Date): Promise<void> {
  const row = outboxRow(m);
  await stores.outbox.enqueue(row.kind, row.ref, row.payload, at, COALESCED.has(m.kind));
}

/** Queues many messages in the caller's transaction in few statements, as `enqueue` would one after another. */
export async function enqueueAll(stores: Pick<Stores, 'outbox'>, messages: readonly OutboxMessage[], at: Date): Promise<void> {
  if (messages.length === 0) return;
  await stores.outbox.enqueueAll(messages.map((m) => ({ ...outboxRow(m), coalesce: COALESCED.has(m.kind) })), at);
}

/** Queues a card for each of many cases created in the caller's transaction (none can have one waiting yet). */
export async function enqueueCaseCards(stores: Pick<Stores, 'outbox'>, caseIds: number[], at: Date): Promise<void> {
  await stores.outbox.enqueueMany('case_card', caseIds.map(String), at);
}

// ---- reading a row back ------------------------------------------------------

const id = z.string().regex(/^[1-9]\d{0,15}$/, { error: 'must be an id' }).transform(Number);
const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user ID' });
const lane = z.enum(LANES);
const tier = z.enum(TIERS);
const route = z.object({
  dmTo: z.string().nullable(),
  coveringFor: z.string().nullable(),
  channelOnly: z.enum(['unclaimed', 'owner_away']).nullable(),
});
const breachItem = z.object({
  caseId: z.number().int(),
  number: z.string(),
  lane,
  tier,
  kind: z.enum(['first_response', 'next_action', 'reattempt']),
  due: z.string(),
  ownerId: z.string().nullable(),
  route,
});
const reminderItem = z.object({
  caseId: z.number().int(),
  number: z.string(),
  lane,
  tier,
  kind: z.enum(['first_response', 'next_action']),
  due: z.string(),
  coveringFor: z.string().nullable(),
});
const target = z.enum(['providers', 'managers']);
const ids = z.array(z.number().int());
const queueCounts = z.object({ open: z.number(), unclaimed: z.number(), dueToday: z.number(), overdue: z.number() });

/** How each kind's row reads back into its message: the ref and the payload, validated. */
const READERS: { [K in OutboxKind]: (ref: string, payload: unknown) => OutboxMessageOf<K> } = {
  case_card: (ref) => ({ kind: 'case_card', caseId: id.parse(ref) }),
  home_refresh: (ref) => ({ kind: 'home_refresh', caseId: id.parse(ref) }),
  home_publish: (ref) => ({ kind: 'home_publish', userId: userId.parse(ref) }),
  providers_home: () => ({ kind: 'providers_home' }),
  escalation_post: (ref, payload) => ({
    kind: 'escalation_post',
    escalationId: id.parse(ref),
    reraise: z.object({ reraise: z.boolean().optional() }).nullable().parse(payload)?.reraise === true,
  }),
  escalation_ack: (ref) => ({ kind: 'escalation_ack', escalationId: id.parse(ref) }),
  guidance_dm: (ref) => ({ kind: 'guidance_dm', guidanceId: id.parse(ref) }),
  breach_dm: (ref, payload) => ({ kind: 'breach_dm', userId: userId.parse(ref), ...z.object({ period: z.string(), items: z.array(breachItem) }).parse(payload) }),
  reminder_dm: (ref, payload) => ({ kind: 'reminder_dm', userId: userId.parse(ref), ...z.object({ period: z.string(), items: z.array(reminderItem) }).parse(payload) }),
  breach_summary: (_ref, payload) => ({ kind: 'breach_summary', ...z.object({ period: z.string(), total: z.number().int(), items: z.array(breachItem) }).parse(payload) }),
  escalation_summary: (_ref, payload) => ({ kind: 'escalation_summary', ...z.object({ target, period: z.string(), raised: ids, reraised: ids }).parse(payload) }),
  daily_digest: (ref, payload) => {
    // The digest's own shape is checked at its top: its figures and groups (the blocks read every field).
    z.object({ date: z.string(), at: z.string(), grouped: z.boolean(), totals: queueCounts, groups: z.array(z.object({ totals: queueCounts })) }).parse(payload);
    return { kind: 'daily_digest', date: ref, digest: payload as DailyDigest };
  },
  weekly_report: (ref) => ({ kind: 'weekly_report', week: z.string().refine(isIsoWeek, { error: 'must be an ISO week YYYY-Www that exists' }).parse(ref) }),
};

function isOutboxKind(kind: string): kind is OutboxKind {
  return Object.hasOwn(READERS, kind);
}

/** A stored row as its message, or why it cannot be one (an unknown kind, a ref or payload that does not fit it). */
export function readOutboxMessage(row: { kind: string; ref: string; payload: unknown }): { ok: true; message: OutboxMessage } | { ok: false; error: string } {
  if (!isOutboxKind(row.kind)) return { ok: false, error: `no message of kind ${row.kind}` };
  try {
    return { ok: true, message: READERS[row.kind](row.ref, row.payload) };
  } catch (error) {
    const issues = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ') : String(error);
    return { ok: false, error: `a ${row.kind} message that does not fit its kind (${issues})` };
  }
}
