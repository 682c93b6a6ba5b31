/**
 * The SLA sweep's use case: alerts once per new breach (a missed first response, next
 * step or re-attempt): a DM per person and one coordinators-channel summary per sweep;
 * reminds owners once before a due time nobody has worked; raises the automatic
 * escalations of SPEC §5 once each, every one earned in the sweep, however many; and
 * re-raises unacknowledged urgent escalations after 1 business hour, once. Everything is
 * written in the caller's transaction (the job run's) as sets, in a few multi-row
 * statements per step whatever the number of cases, and Slack hears of it through the outbox.
 */
import { alertKey, REMINDER, type BreachItem, type BreachKind, type ReminderItem } from '../domain/alerts';
import { routeAlert, type AlertRoute } from '../domain/breach-routing';
import { addCalendarDays, atLocalTime, practiceDate } from '../domain/calendar';
import { automaticEscalationKey, automaticEscalations, needsReraise, type AutomaticReason } from '../domain/escalation';
import { reminderDue, reminderHorizon } from '../domain/reattempt';
import { SYSTEM_ACTOR_ID, type Case, type Escalation, type EscalationTarget } from '../domain/types';
import { enqueueAll, SUMMARY_ITEMS_MAX, type OutboxMessage } from './outbox';
import type { EscalationClaim } from './ports';
import type { ServiceRun } from './service-run';

const AUTOMATIC: readonly AutomaticReason[] = ['urgent_referral_delay', 'repeated_failed_contact', 'response_window_missed'];
/** Up to this many escalations for one channel in one sweep get a post each; more share one summary post. */
export const INDIVIDUAL_ESCALATION_POSTS_MAX = 3;

/** Runs one sweep; returns a one-line summary for logs and the CLI. */
export async function sweepBreaches(run: ServiceRun): Promise<string> {
  const alerts = await alertBreaches(run);
  const reminded = await remindBeforeDue(run);
  const { raised, leftForNext } = await raiseEscalations(run);
  const reraised = await reraiseEscalations(run);
  await announceEscalations(run, raised, reraised);
  const later = leftForNext > 0 ? ` (${leftForNext} left to the next sweep: refused, or the case changed meanwhile)` : '';
  return `${alerts.alerted} new breach(es) alerted (${alerts.dms} DM(s), ${alerts.alerted > 0 ? 1 : 0} channel summary); ${reminded} reminder(s) before a due time; ${raised.length} escalation(s) raised${later}; ${reraised.length} re-raised`;
}

async function alertBreaches(run: ServiceRun): Promise<{ alerted: number; dms: number }> {
  const { tx, now, period, policy } = run;
  const cal = policy.calendar;
  const today = practiceDate(cal, now);
  const found: { c: Case; kind: BreachKind; key: string; due: string; since: number }[] = [
    ...(await tx.breaches.newFirstResponseBreaches(now)).map((c) => {
      const due = c.firstResponseDueAt;
      return { c, kind: 'first_response' as const, key: String(due.getTime()), due: due.toISOString(), since: due.getTime() };
    }),
    ...(await tx.breaches.newNextActionBreaches(today)).map((c) => {
      const date = c.nextActionDue!;
      return { c, kind: 'next_action' as const, key: date, due: date, since: atLocalTime(cal, addCalendarDays(date, 1), '00:00').getTime() };
    }),
    ...(await tx.breaches.newReattemptBreaches(now)).map((c) => {
      const due = c.nextAttemptDueAt!;
      return { c, kind: 'reattempt' as const, key: String(due.getTime()), due: due.toISOString(), since: due.getTime() };
    }),
  ];
  if (found.length === 0) return { alerted: 0, dms: 0 };
  // Most overdue first.
  const fresh = (await routeAndRecordOnce(run, found.map((f) => ({ ...f, recordedAs: f.kind })))).sort((a, b) => a.since - b.since || a.c.id - b.c.id);
  if (fresh.length === 0) return { alerted: 0, dms: 0 };
  const items: BreachItem[] = fresh.map(({ c, kind, due, route }) => ({ caseId: c.id, number: c.number, lane: c.lane, tier: c.tier, kind, due, ownerId: c.ownerId, route }));
  await tx.cases.appendEventsOfCases(
    items.map((i) => ({ caseId: i.caseId, event: { action: 'breach_alerted' as const, actorId: SYSTEM_ACTOR_ID, at: now, before: null, after: { kind: i.kind, due: i.due, dmTo: i.route.dmTo } } })),
  );
  const dms = byPerson(items, (i) => i.route.dmTo);
  await enqueueAll(tx, [
    ...[...dms].map(([person, list]): OutboxMessage => ({ kind: 'breach_dm', userId: person, period, items: list })),
    { kind: 'breach_summary', period, total: items.length, items: items.slice(0, SUMMARY_ITEMS_MAX) },
  ], now);
  return { alerted: items.length, dms: dms.size };
}

/**
 * One DM per person listing their cases whose first response or next step is due within
 * the policy's reminder time and has nothing logged toward it; each due time once. The
 * backup hears while the owner is away; nobody when both are (the breach alert follows).
 */
async function remindBeforeDue(run: ServiceRun): Promise<number> {
  const { tx, now, period, policy } = run;
  const minutes = policy.reminderBeforeDueMinutes;
  if (minutes === null) return 0;
  const cal = policy.calendar;
  const today = practiceDate(cal, now);
  const { dueBy, targetDateBy } = reminderHorizon(cal, now, minutes);
  const found = [
    ...(await tx.breaches.firstResponsesDueSoon(now, dueBy))
      .filter((c) => reminderDue(cal, 'first_response', c, minutes, now))
      .map((c) => ({ c, kind: 'first_response' as const, key: String(c.firstResponseDueAt.getTime()), due: c.firstResponseDueAt.toISOString() })),
    ...(await tx.breaches.nextStepsDueSoon(today, targetDateBy))
      .filter((c) => reminderDue(cal, 'next_action', c, minutes, now))
      .map((c) => ({ c, kind: 'next_action' as const, key: c.nextActionDue!, due: c.nextActionDue! })),
  ];
  if (found.length === 0) return 0;
  const fresh = await routeAndRecordOnce(run, found.map((f) => ({ ...f, recordedAs: REMINDER[f.kind] })));
  const reminders = fresh.map(({ c, kind, due, route }) => ({ to: route.dmTo, item: { caseId: c.id, number: c.number, lane: c.lane, tier: c.tier, kind, due, coveringFor: route.coveringFor } satisfies ReminderItem }));
  const dms = byPerson(reminders, (r) => r.to);
  await enqueueAll(tx, [...dms].map(([person, list]): OutboxMessage => ({ kind: 'reminder_dm', userId: person, period, items: list.map((r) => r.item) })), now);
  return [...dms.values()].reduce((sent, list) => sent + list.length, 0);
}

/**
 * Routes each alert or reminder (the owner; the backup while the owner is away; nobody by
 * DM when neither can take it) and records it once under its kind and key; returns those
 * recorded now, in the order given. One a racing sweep recorded first is that sweep's to send.
 */
async function routeAndRecordOnce<T extends { c: Case; recordedAs: string; key: string }>(run: ServiceRun, found: T[]): Promise<(T & { route: AlertRoute })[]> {
  const { tx, now, policy } = run;
  const people = found.flatMap(({ c }) => [c.ownerId, c.backupId]).filter((u): u is string => Boolean(u));
  const away = await tx.away.awayOn(people, practiceDate(policy.calendar, now));
  const routed = found.map((f) => ({ ...f, route: routeAlert(f.c, away) }));
  const recorded = await tx.breaches.recordAlerts(routed.map((r) => ({ caseId: r.c.id, kind: r.recordedAs, key: r.key, routedTo: r.route.dmTo })), now);
  return routed.filter((r) => recorded.has(alertKey({ caseId: r.c.id, kind: r.recordedAs, key: r.key })));
}

/** Items grouped by the person each is sent to, in order; items for nobody are left out. */
function byPerson<T>(items: readonly T[], personOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const person = personOf(item);
    if (person) groups.set(person, [...(groups.get(person) ?? []), item]);
  }
  return groups;
}

/**
 * Raises each automatic escalation a case has earned and not had since it was last
 * reopened, for every case that earned one: claims them, then raises them together
 * (`CaseService.escalateAutomatically`). A claim whose escalation was not raised (refused,
 * or the case changed while the sweep ran) is given back, so the next sweep tries again.
 */
async function raiseEscalations(run: ServiceRun): Promise<{ raised: Escalation[]; leftForNext: number }> {
  const { tx, cases, now, logger } = run;
  const candidates = new Map<number, { c: Case; reasons: Set<AutomaticReason> }>();
  for (const reason of AUTOMATIC) {
    for (const c of await tx.breaches.escalationCandidates(reason, now)) {
      const entry = candidates.get(c.id) ?? { c, reasons: new Set<AutomaticReason>() };
      entry.reasons.add(reason);
      candidates.set(c.id, entry);
    }
  }
  if (candidates.size === 0) return { raised: [], leftForNext: 0 };
  const ids = [...candidates.keys()].sort((a, b) => a - b);
  const reopened = await tx.breaches.reopenedAt(ids);
  const history = new Map<number, Escalation[]>();
  for (const e of await tx.breaches.escalationsOf(ids)) history.set(e.caseId, [...(history.get(e.caseId) ?? []), e]);
  const claims: EscalationClaim[] = [];
  const earned: { c: Case; claims: EscalationClaim[] }[] = [];
  for (const { c, reasons } of ids.map((id) => candidates.get(id)!)) {
    const since = reopened.get(c.id) ?? null;
    const claim = (reason: AutomaticReason): EscalationClaim => ({ caseId: c.id, reason, key: automaticEscalationKey(reason, c, since) });
    // Each new run of failed attempts earns its own escalation: its claim key tells the runs apart.
    const already = (history.get(c.id) ?? [])
      .filter((e) => (!since || e.raisedAt >= since) && e.reason !== 'repeated_failed_contact')
      .map((e) => e.reason);
    // Raised before (e.g. before this table existed): claim it, so the case stops being a candidate.
    for (const reason of reasons) if (already.includes(reason)) claims.push(claim(reason));
    // The domain decides (in SPEC §5 order); the store's query only narrowed which cases to ask about.
    const wanted = automaticEscalations({ c, now, raised: already })
      .filter((r): r is AutomaticReason => reasons.has(r as AutomaticReason))
      .map(claim);
    claims.push(...wanted);
    if (wanted.length > 0) earned.push({ c, claims: wanted });
  }
  // A sweep on another instance that claimed one first raises it; this one moves on.
  const claimed = await tx.breaches.claimEscalations(claims, now);
  const isClaimed = (k: EscalationClaim) => claimed.has(alertKey({ caseId: k.caseId, kind: `escalation:${k.reason}`, key: k.key }));
  const toRaise = earned.map(({ c, claims: mine }) => ({ c, claims: mine.filter(isClaimed) })).filter((e) => e.claims.length > 0);
  const { raised, notRaised } = await cases.escalateAutomatically(toRaise.map(({ c, claims: mine }) => ({ c, reasons: mine.map((k) => k.reason) })));
  if (notRaised.length > 0) {
    const keyOf = new Map(toRaise.flatMap((e) => e.claims).map((k) => [`${k.caseId}:${k.reason}`, k]));
    await tx.breaches.releaseEscalations(notRaised.map((n) => keyOf.get(`${n.caseId}:${n.reason}`)!));
    for (const n of notRaised) {
      if (n.code === 'conflict') logger.info({ caseId: n.caseId, reason: n.reason }, 'case changed while the sweep ran; the next sweep raises its escalation');
      else logger.warn({ caseId: n.caseId, reason: n.reason, code: n.code }, 'automatic escalation refused; the next sweep tries again');
    }
  }
  return { raised, leftForNext: notRaised.length };
}

/** Marks each urgent escalation unacknowledged for 1 business hour re-raised (once) and audits it. */
async function reraiseEscalations(run: ServiceRun): Promise<Escalation[]> {
  const { tx, now, policy } = run;
  const due = (await tx.breaches.unansweredUrgentEscalations()).filter((e) => needsReraise(e, policy.calendar, now));
  if (due.length === 0) return [];
  const marked = await tx.cases.markAllReraised(due.map((e) => e.id), now);
  const reraised = due.filter((e) => marked.has(e.id));
  await tx.cases.appendEventsOfCases(
    reraised.map((e) => ({ caseId: e.caseId, event: { action: 'escalation_reraised', actorId: SYSTEM_ACTOR_ID, at: now, before: null, after: { escalationId: e.id, reason: e.reason } } })),
  );
  return reraised;
}

/** A post per escalation when a channel has a few; one summary post when it has more. */
async function announceEscalations(run: ServiceRun, raised: Escalation[], reraised: Escalation[]): Promise<void> {
  const { tx, now, period } = run;
  const messages: OutboxMessage[] = [];
  for (const target of ['providers', 'managers'] as EscalationTarget[]) {
    const r = raised.filter((e) => e.target === target);
    const rr = reraised.filter((e) => e.target === target);
    if (r.length + rr.length === 0) continue;
    if (r.length + rr.length <= INDIVIDUAL_ESCALATION_POSTS_MAX) {
      messages.push(...r.map((e): OutboxMessage => ({ kind: 'escalation_post', escalationId: e.id, reraise: false })));
      messages.push(...rr.map((e): OutboxMessage => ({ kind: 'escalation_post', escalationId: e.id, reraise: true })));
      continue;
    }
    messages.push({ kind: 'escalation_summary', target, period, raised: r.map((e) => e.id), reraised: rr.map((e) => e.id) });
  }
  await enqueueAll(tx, messages, now);
}
