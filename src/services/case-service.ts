import type { Clock } from '../clock';
import { addCalendarDays, isValidLocalDate, practiceDate } from '../domain/calendar';
import {
  acknowledgeEscalation,
  addGuidance,
  applyNote,
  canAct,
  claimCase,
  closeCase,
  escalateCase,
  reassignCase,
  reopenCase,
  type Transition,
} from '../domain/case';
import { escalationTarget, isUrgentEscalation, type AutomaticReason } from '../domain/escalation';
import { isMovement } from '../domain/metrics';
import { validateNote } from '../domain/notes';
import { newCaseFromEvent, openedEvent } from '../domain/new-case';
import type { Policy } from '../domain/policy';
import type { TriggerEvent } from '../domain/trigger-event';
import type { Actor, Case, CaseEvent, Escalation, EscalationReason, EscalationTarget, NoteInput, Outcome, Refusal } from '../domain/types';
import { SYSTEM_ACTOR_ID } from '../domain/types';
import type { Stores } from './ports';
import { enqueue, enqueueAll, enqueueCaseCards, type OutboxMessage } from './outbox';

export type CaseResult = { ok: true; case: Case } | Refusal;

/** An automatic escalation `escalateAutomatically` did not raise: the domain refused it, or the case changed meanwhile (`conflict`). */
export interface NotRaised {
  caseId: number;
  reason: AutomaticReason;
  code: Refusal['code'];
}

/** A case opened from a trigger event; `created` is false when its externalId was seen before. */
export interface OpenedCase {
  case: Case;
  created: boolean;
}

const NOT_FOUND: Refusal = { ok: false, code: 'not_found', message: 'That case does not exist.' };
const FORBIDDEN = (what: string): Refusal => ({ ok: false, code: 'forbidden', message: `You are not allowed to ${what}.` });
/** Optimistic writes retry this often before reporting a conflict (only under heavy contention). */
const MAX_ATTEMPTS = 8;

/** What changes the providers' Homes (their escalations, pending and recently acknowledged, of open cases). */
const PROVIDER_HOME_ACTIONS: ReadonlySet<CaseEvent['action']> = new Set(['escalated', 'escalation_acknowledged', 'guidance_added', 'closed', 'reopened']);

/** Thrown inside a transaction to roll it back and try again with fresh data. */
class LostRace extends Error {}

export interface CaseServiceDeps {
  stores: Stores;
  clock: Clock;
  policy: Policy;
  /** Where each escalation target's posts go (Slack channel ids), so refusals can point there. */
  escalationChannels?: Partial<Record<EscalationTarget, string>>;
}

/**
 * The use cases of a case's life: each runs in one transaction that writes the
 * change, its audit events and the Slack messages to deliver about it.
 */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  private get stores(): Stores {
    return this.deps.stores;
  }

  /** Opens a case from a trigger; a repeated externalId returns the existing case. */
  async openCase(event: TriggerEvent, actorId: string = SYSTEM_ACTOR_ID): Promise<OpenedCase> {
    const now = this.deps.clock.now();
    if (event.externalId) {
      const existing = await this.stores.cases.getCaseByExternalId(event.externalId);
      if (existing) return { case: existing, created: false };
    }
    const unsaved = newCaseFromEvent(this.deps.policy, event, now);
    return this.stores.transaction(async (tx) => {
      const inserted = await tx.cases.insertCase(unsaved);
      if (!inserted) {
        // A concurrent duplicate won the unique externalId: answer with that case.
        const existing = await tx.cases.getCaseByExternalId(event.externalId!);
        return { case: existing!, created: false };
      }
      await tx.cases.appendEvents(inserted.id, [openedEvent(inserted, actorId, now)]);
      await this.announce(tx, inserted, null, []);
      return { case: inserted, created: true };
    });
  }

  /**
   * Opens many cases in one transaction (CSV import, intake batches): the same cases,
   * audit entries and card messages as `openCase`, written in a few statements.
   * Every event needs an externalId. Answers in the order of `events`; an externalId
   * seen before, or earlier in `events`, answers with the existing case, not created.
   */
  async openCases(events: readonly TriggerEvent[], actorId: string = SYSTEM_ACTOR_ID): Promise<OpenedCase[]> {
    if (events.length === 0) return [];
    const now = this.deps.clock.now();
    const firsts = new Map<string, TriggerEvent>();
    for (const event of events) {
      if (!event.externalId) throw new Error('openCases: every event needs an externalId');
      if (!firsts.has(event.externalId)) firsts.set(event.externalId, event);
    }
    // Sorted, so two overlapping imports take the unique-index locks in one order and never deadlock.
    const ids = [...firsts.keys()].sort();
    const unsaved = ids.map((id) => newCaseFromEvent(this.deps.policy, firsts.get(id)!, now));
    return this.stores.transaction(async (tx) => {
      const inserted = await tx.cases.insertCases(unsaved);
      const byId = new Map(inserted.map((c) => [c.externalId!, c]));
      const created = new Set(byId.keys());
      await tx.cases.appendEventsOfCases(inserted.map((c) => ({ caseId: c.id, event: openedEvent(c, actorId, now) })));
      await enqueueCaseCards(tx, inserted.map((c) => c.id), now);
      for (const c of await tx.cases.getCasesByExternalIds(ids.filter((id) => !byId.has(id)))) byId.set(c.externalId!, c);
      return events.map((event) => {
        const id = event.externalId!;
        // Only the first event of an externalId counts as the one that created the case.
        const first = created.delete(id);
        return { case: byId.get(id)!, created: first };
      });
    });
  }

  async claim(caseId: number, actor: Actor, backupId: string | null = null): Promise<CaseResult> {
    return this.mutate(caseId, (c) => {
      const laneBackup = this.deps.policy.lanes[c.lane].defaultBackup;
      const backup = backupId ?? (laneBackup && laneBackup !== actor.userId ? laneBackup : null);
      return claimCase(c, actor, { backupId: backup, now: this.deps.clock.now() });
    });
  }

  /**
   * Validates and saves a structured note; a note asking for escalation also raises it.
   * `requestKey` (e.g. the modal's view id) makes a repeated submission a no-op.
   */
  async addNote(caseId: number, actor: Actor, input: Partial<NoteInput>, requestKey?: string): Promise<CaseResult> {
    if (!canAct(actor, 'note')) return FORBIDDEN('add notes');
    let saved: NoteInput | null = null;
    const result = await this.mutate(caseId, async (c, tx) => {
      const now = this.deps.clock.now();
      const checked = validateNote(input, { lane: c.lane, today: practiceDate(this.deps.policy.calendar, now), closing: false });
      if (!checked.ok) return { ok: false, code: 'invalid', message: 'Some fields need fixing.', errors: checked.errors };
      saved = checked.value;
      const noted = applyNote(c, actor, checked.value, now, this.deps.policy);
      if (!noted.ok || !checked.value.escalation) return noted;
      const escalated = escalateCase(noted.case, actor, { reason: checked.value.escalation.reason, text: checked.value.escalation.text, now });
      if (!escalated.ok) return escalated;
      return { ok: true, case: escalated.case, events: [...noted.events, ...escalated.events] };
    }, async (tx, updated) => {
      const now = this.deps.clock.now();
      await tx.cases.insertNote(caseId, actor.userId, now, saved!);
      if (saved!.escalation) await this.recordEscalation(tx, updated, saved!.escalation.reason, saved!.escalation.text, actor.userId, now);
    }, requestKey);
    return result;
  }

  /**
   * Raises an escalation. `post: false` (the SLA sweep, when it raises many at once) leaves
   * the escalation post to the caller, who announces them together in one message.
   * `requestKey` (e.g. the modal's view id) makes a repeated submission a no-op.
   */
  async escalate(caseId: number, actor: Actor | 'system', reason: EscalationReason, text: string | null, options: { post?: boolean; requestKey?: string } = {}): Promise<CaseResult & { escalation?: Escalation }> {
    const actorId = actor === 'system' ? SYSTEM_ACTOR_ID : actor.userId;
    let raised: Escalation | undefined;
    const result = await this.mutate(
      caseId,
      (c) => escalateCase(c, actor, { reason, text, now: this.deps.clock.now() }),
      async (tx, updated) => {
        raised = await this.recordEscalation(tx, updated, reason, text, actorId, this.deps.clock.now(), options.post ?? true);
      },
      options.requestKey,
    );
    return result.ok && raised ? { ...result, escalation: raised } : result;
  }

  /**
   * Raises the automatic escalations of many cases at once (the SLA sweep): for each case
   * as it was read, the reasons it earned, in order. Each is decided as `escalate(…,
   * 'system', …, { post: false })` decides it, and writes the same case, audit entries,
   * escalation and Slack messages, in a few multi-row statements: one update of the cases
   * that skips any case changed since it was read (it is left for the next sweep), then
   * the escalations, the audit entries and the outbox rows. No escalation posts: the
   * caller announces them together. Runs in the caller's transaction when there is one.
   */
  async escalateAutomatically(earned: readonly { c: Case; reasons: readonly AutomaticReason[] }[]): Promise<{ raised: Escalation[]; notRaised: NotRaised[] }> {
    const now = this.deps.clock.now();
    const notRaised: NotRaised[] = [];
    const planned: { before: Case; after: Case; steps: { before: Case; after: Case; reason: AutomaticReason; events: CaseEvent[] }[] }[] = [];
    for (const { c, reasons } of earned) {
      let current = c;
      const steps: (typeof planned)[number]['steps'] = [];
      for (const reason of reasons) {
        const decided = escalateCase(current, 'system', { reason, text: null, now });
        if (!decided.ok) {
          notRaised.push({ caseId: c.id, reason, code: decided.code });
          continue;
        }
        const next = stampMovement(decided.case, decided.events, now);
        steps.push({ before: current, after: next, reason, events: decided.events as CaseEvent[] });
        current = next;
      }
      if (steps.length > 0) planned.push({ before: c, after: current, steps });
    }
    if (planned.length === 0) return { raised: [], notRaised };
    return this.stores.transaction(async (tx) => {
      const written = await tx.cases.updateCases(planned.map(({ before, after }) => ({ before, after })));
      const done = planned.filter((p) => written.has(p.before.id));
      for (const p of planned) if (!written.has(p.before.id)) for (const s of p.steps) notRaised.push({ caseId: p.before.id, reason: s.reason, code: 'conflict' });
      const steps = done.flatMap((p) => p.steps);
      const raised = await tx.cases.insertEscalations(steps.map((s) => newEscalation(s.after, s.reason, null, SYSTEM_ACTOR_ID, now)));
      await tx.cases.appendEventsOfCases(steps.flatMap((s) => s.events.map((event) => ({ caseId: s.after.id, event }))));
      await enqueueAll(tx, steps.flatMap((s) => announcements(s.after, s.before, s.events)), now);
      return { raised, notRaised };
    });
  }

  /** Records a provider's (or manager's) acknowledgement and guidance; returns the case to its owner. */
  async acknowledge(escalationId: number, actor: Actor, guidance: string): Promise<CaseResult> {
    if (!canAct(actor, 'acknowledge')) return FORBIDDEN('acknowledge escalations');
    const escalation = await this.stores.cases.getEscalation(escalationId);
    if (!escalation) return { ok: false, code: 'not_found', message: 'That escalation does not exist.' };
    if (escalation.acknowledgedAt) {
      return { ok: false, code: 'conflict', message: `This escalation was already acknowledged by <@${escalation.acknowledgedBy}>.` };
    }
    return this.mutate(
      escalation.caseId,
      async (c, tx) => {
        // The case stays escalated while any other escalation of it still waits.
        const others = (await tx.cases.pendingEscalations(c.id)).filter((e) => e.id !== escalationId);
        return acknowledgeEscalation(c, actor, { guidance, now: this.deps.clock.now(), othersPending: others.length > 0 });
      },
      async (tx) => {
        const now = this.deps.clock.now();
        if (!(await tx.cases.acknowledgeEscalation(escalationId, actor.userId, guidance.trim(), now))) throw new LostRace();
        await enqueue(tx, { kind: 'escalation_ack', escalationId }, now);
      },
    );
  }

  /**
   * A provider's further guidance on an acknowledged escalation: audited, DM'd to the
   * owner and backup, shown in View details; the card says who and when, not what.
   */
  async addGuidance(escalationId: number, actor: Actor, text: string, requestKey?: string): Promise<CaseResult> {
    const escalation = await this.stores.cases.getEscalation(escalationId);
    if (!escalation) return { ok: false, code: 'not_found', message: 'That escalation does not exist.' };
    return this.mutate(
      escalation.caseId,
      (c) => addGuidance(c, actor, { escalation, text, now: this.deps.clock.now() }),
      async (tx, updated) => {
        const now = this.deps.clock.now();
        const saved = await tx.cases.insertGuidance({ escalationId, caseId: updated.id, authorId: actor.userId, text: text.trim(), addedAt: now });
        await enqueue(tx, { kind: 'guidance_dm', guidanceId: saved.id }, now);
      },
      requestKey,
    );
  }

  async close(caseId: number, actor: Actor, input: { outcome: Outcome; reason: string; loopClosed?: boolean | null }): Promise<CaseResult> {
    return this.mutate(caseId, async (c, tx) => {
      const since = await this.lastReopenedAt(tx, caseId);
      const attempts = await tx.cases.listAttempts(caseId, since);
      const escalations = await tx.cases.listEscalations(caseId);
      const acknowledgedEscalation = escalations.some((e) => e.acknowledgedAt && (!since || e.raisedAt >= since));
      return closeCase(c, actor, {
        ...input,
        attempts,
        acknowledgedEscalation,
        pendingEscalations: await tx.cases.pendingEscalations(caseId),
        postedIn: this.postedIn,
        now: this.deps.clock.now(),
      });
    });
  }

  /** Where a target's escalation posts go, as people read it: `<#C…>`, or "the providers channel". */
  readonly postedIn = (target: EscalationTarget): string => {
    const channel = this.deps.escalationChannels?.[target];
    return channel ? `<#${channel}>` : `the ${target} channel`;
  };

  /**
   * The case's escalations still waiting for acknowledgement, oldest first (those raised
   * before its last reopening were closed over and no longer wait).
   */
  async pendingEscalations(caseId: number): Promise<Escalation[]> {
    return this.stores.cases.pendingEscalations(caseId);
  }

  async reopen(caseId: number, actor: Actor): Promise<CaseResult> {
    return this.mutate(caseId, (c) => reopenCase(c, actor, this.deps.clock.now()));
  }

  async reassign(caseId: number, actor: Actor, ownerId: string, backupId: string | null): Promise<CaseResult> {
    return this.mutate(caseId, (c) => reassignCase(c, actor, { ownerId, backupId, now: this.deps.clock.now() }));
  }

  /** Patient details for an authorised viewer; every viewing is written to the audit trail. */
  async viewDetails(caseId: number, actor: Actor): Promise<CaseResult> {
    if (!canAct(actor, 'view_details')) return FORBIDDEN('view patient details');
    return this.stores.transaction(async (tx) => {
      const c = await tx.cases.getCase(caseId);
      if (!c) return NOT_FOUND;
      await tx.cases.appendEvents(caseId, [{ action: 'details_viewed', actorId: actor.userId, at: this.deps.clock.now(), before: null, after: null }]);
      return { ok: true, case: c };
    });
  }

  /** `/followup away <from> <to>`: dates in the practice calendar, inclusive. */
  async setAway(actor: Actor, fromDate: string, toDate: string): Promise<{ ok: true } | Refusal> {
    if (!canAct(actor, 'set_away')) return FORBIDDEN('set an away period');
    const today = practiceDate(this.deps.policy.calendar, this.deps.clock.now());
    const errors: Record<string, string> = {};
    if (!isValidLocalDate(fromDate)) errors.from = `"${fromDate}" is not a date (YYYY-MM-DD)`;
    if (!isValidLocalDate(toDate)) errors.to = `"${toDate}" is not a date (YYYY-MM-DD)`;
    if (Object.keys(errors).length === 0) {
      if (toDate < fromDate) errors.to = 'must be on or after the first day';
      else if (toDate < today) errors.to = 'must not be in the past';
      else if (toDate > addCalendarDays(fromDate, 90)) errors.to = 'an away period may last at most 90 days';
    }
    if (Object.keys(errors).length > 0) return { ok: false, code: 'invalid', message: 'The away period needs fixing.', errors };
    await this.stores.away.add(actor.userId, fromDate, toDate, this.deps.clock.now());
    return { ok: true };
  }

  async getCase(caseId: number): Promise<Case | null> {
    return this.stores.cases.getCase(caseId);
  }

  private async lastReopenedAt(tx: Stores, caseId: number): Promise<Date | null> {
    const events = await tx.cases.listEvents(caseId);
    const reopened = events.filter((e) => e.action === 'reopened').at(-1);
    return reopened?.at ?? null;
  }

  private async recordEscalation(tx: Stores, c: Case, reason: EscalationReason, text: string | null, raisedBy: string, now: Date, post = true): Promise<Escalation> {
    const escalation = await tx.cases.insertEscalation(newEscalation(c, reason, text, raisedBy, now));
    if (post) await enqueue(tx, { kind: 'escalation_post', escalationId: escalation.id, reraise: false }, now);
    return escalation;
  }

  /** Queues what `announcements` asks for (coalesced: one waiting refresh per card and per person). */
  private async announce(tx: Stores, c: Case, before: Case | null, events: readonly CaseEvent[]): Promise<void> {
    const now = this.deps.clock.now();
    for (const m of announcements(c, before, events)) await enqueue(tx, m, now);
  }

  /**
   * Reads (and locks) a case, asks the domain for the transition, and writes it only if
   * the case did not change meanwhile; a lost race re-reads and asks again, so two people
   * pressing Claim together produce one owner and one clear refusal.
   */
  private async mutate(
    caseId: number,
    decide: (c: Case, tx: Stores) => Transition | Promise<Transition>,
    alsoWrite?: (tx: Stores, updated: Case) => Promise<void>,
    requestKey?: string,
  ): Promise<CaseResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        return await this.stores.transaction(async (tx) => {
          // Locked on PostgreSQL: a burst of notes on one case queues on its row rather than failing.
          const current = await tx.cases.getCaseForUpdate(caseId);
          if (!current) return NOT_FOUND;
          const decided = await decide(current, tx);
          if (!decided.ok) return decided;
          const outcome = { ...decided, case: stampMovement(decided.case, decided.events, this.deps.clock.now()) };
          // A repeat of a request already carried out changes nothing and reports the case as it is.
          if (requestKey && !(await tx.processed.claim(requestKey, this.deps.clock.now()))) return { ok: true, case: current } as const;
          if (!(await tx.cases.updateCase(outcome.case, current.version))) throw new LostRace();
          await tx.cases.appendEvents(caseId, outcome.events as CaseEvent[]);
          if (alsoWrite) await alsoWrite(tx, outcome.case);
          await this.announce(tx, outcome.case, current, outcome.events as CaseEvent[]);
          return { ok: true, case: outcome.case } as const;
        });
      } catch (error) {
        if (!(error instanceof LostRace) && !isSerializationFailure(error)) throw error;
      }
    }
    return { ok: false, code: 'conflict', message: 'The case is being changed by someone else right now. Please try again.' };
  }
}

/** A person moving the case (not CareBridge's own alerts) resets its "no movement" clock. */
function stampMovement(c: Case, events: readonly CaseEvent[], now: Date): Case {
  return events.some(isMovement) ? { ...c, lastMovedAt: now } : c;
}

/** The escalation record a raised escalation writes (before it has an id). */
function newEscalation(c: Case, reason: EscalationReason, text: string | null, raisedBy: string, now: Date): Omit<Escalation, 'id'> {
  return {
    caseId: c.id,
    reason,
    text,
    target: escalationTarget(reason),
    urgent: isUrgentEscalation(reason, c.tier),
    raisedBy,
    raisedAt: now,
    acknowledgedBy: null,
    acknowledgedAt: null,
    guidance: null,
    reraisedAt: null,
  };
}

/**
 * What a change to a case asks Slack to refresh: the case's card, the App Home of each
 * person it moved to or from, and the providers' Homes when their escalations changed.
 */
function announcements(c: Case, before: Case | null, events: readonly CaseEvent[]): OutboxMessage[] {
  const people = new Set([before?.ownerId, before?.backupId, c.ownerId, c.backupId].filter((u): u is string => Boolean(u)));
  return [
    { kind: 'case_card', caseId: c.id },
    ...[...people].map((userId): OutboxMessage => ({ kind: 'home_publish', userId })),
    ...(events.some((e) => PROVIDER_HOME_ACTIONS.has(e.action)) ? [{ kind: 'providers_home' } as const] : []),
  ];
}

/** PostgreSQL serialization/deadlock errors and SQLite busy errors are worth one more try. */
function isSerializationFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}
