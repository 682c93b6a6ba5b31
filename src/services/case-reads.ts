/**
 * What people look at: cases, their notes, escalations and guidance, queues and lists,
 * App Home's rows and the stale list. Read-only use cases over the ports, for the Slack
 * layer's listeners and deliverers (which never read a store themselves).
 */
import type { Policy } from '../domain/policy';
import { sumQueueCounts, type LaneQueueCounts } from '../domain/queue';
import { LANES, LIVE_STATES, type Actor, type Case, type CaseEvent, type Escalation, type Guidance, type LaneKey, type Note } from '../domain/types';
import type { StaleList } from '../domain/digest';
import { queueClock } from './digest-service';
import type { Stores } from './ports';
import { loadStaleList } from './stale-work';

/** The lists and figures of one person's App Home (rendered by slack/blocks/home-view.ts). */
export interface HomeQueue {
  /** Cases the user owns or backs up, by due time: the first ones only. */
  mine: Case[];
  /** Unclaimed cases, by due time. */
  unclaimed: Case[];
  /** Overdue cases the user should see (theirs and unclaimed; every case for managers), by due time. */
  overdue: Case[];
  /** How many cases each list holds in all. */
  counts: { mine: number; unclaimed: number; overdue: number };
  /** Per-lane figures, in the order of LANES, for managers only. */
  figures: LaneQueueCounts[] | null;
}

export class CaseReads {
  constructor(private readonly stores: Stores, private readonly policy: Policy) {}

  getCase(id: number): Promise<Case | null> {
    return this.stores.cases.getCase(id);
  }

  /** Whole cases by id (in no particular order). */
  getCases(ids: number[]): Promise<Case[]> {
    return this.stores.cases.getCases(ids);
  }

  getEscalation(id: number): Promise<Escalation | null> {
    return this.stores.cases.getEscalation(id);
  }

  getGuidance(id: number): Promise<Guidance | null> {
    return this.stores.cases.getGuidance(id);
  }

  listNotes(caseId: number): Promise<Note[]> {
    return this.stores.cases.listNotes(caseId);
  }

  latestNote(caseId: number): Promise<Note | null> {
    return this.stores.cases.latestNote(caseId);
  }

  listEscalations(caseId: number): Promise<Escalation[]> {
    return this.stores.cases.listEscalations(caseId);
  }

  /** Escalations of the case still waiting for acknowledgement, oldest first. */
  pendingEscalations(caseId: number): Promise<Escalation[]> {
    return this.stores.cases.pendingEscalations(caseId);
  }

  /** The case's guidance, newest first. */
  listGuidance(caseId: number, limit?: number): Promise<Guidance[]> {
    return this.stores.cases.listGuidance(caseId, limit);
  }

  listEvents(caseId: number): Promise<(CaseEvent & { id: number })[]> {
    return this.stores.cases.listEvents(caseId);
  }

  /** missed_appointment: the patient's no-shows in the 12 months before this one; null in other lanes. */
  earlierNoShows(c: Case): Promise<number | null> {
    return this.stores.cases.earlierNoShows(c);
  }

  /** Which of these people are away on a practice date. */
  awayOn(userIds: string[], date: string): Promise<Set<string>> {
    return this.stores.away.awayOn(userIds, date);
  }

  /** The live cases someone owns or backs up. */
  casesInvolving(userId: string): Promise<Case[]> {
    return this.stores.cases.listCases({ involving: userId, states: [...LIVE_STATES] });
  }

  /** The live cases of every lane, or of one. */
  openQueue(lane: LaneKey | null): Promise<Case[]> {
    return this.stores.cases.listCases({ states: [...LIVE_STATES], ...(lane ? { lanes: [lane] } : {}) });
  }

  /**
   * What one person's App Home lists as of `now`, with bounded reads: each list the first
   * `limit` live cases by next due time, with how many it holds in all, and for managers the
   * per-lane figures. The same cases, order and counts as `homeData` (slack/blocks/home-view.ts)
   * over every live case; the figures and the unclaimed count come from the digest's counters.
   */
  async homeQueue(actor: Actor, now: Date, limit: number): Promise<HomeQueue> {
    const manager = actor.roles.has('manager');
    const me = actor.userId;
    // The counters already know how many are unclaimed and, with a manager's figures, overdue;
    // a coordinator's Home shows no figures, so only the counters are read (no time-dependent count).
    const [counts, mine, unclaimed, overdue] = await Promise.all([
      manager ? this.stores.digest.laneCounts(queueClock(this.policy, now)) : this.stores.digest.openCounts().then((rows) => rows.map((r) => ({ ...r, dueToday: 0, overdue: 0 }))),
      this.stores.cases.queueList({ who: { kind: 'involving', userId: me } }, limit),
      this.stores.cases.queueList({ who: { kind: 'unclaimed' } }, limit, false),
      this.stores.cases.queueList({ who: manager ? { kind: 'all' } : { kind: 'involving_or_unclaimed', userId: me }, overdueAt: now }, limit, !manager),
    ]);
    const totals = sumQueueCounts(counts);
    return {
      mine: mine.cases,
      unclaimed: unclaimed.cases,
      overdue: overdue.cases,
      counts: { mine: mine.total!, unclaimed: totals.unclaimed, overdue: manager ? totals.overdue : overdue.total! },
      figures: manager ? LANES.map((lane) => ({ lane, ...sumQueueCounts(counts.filter((r) => r.lane === lane)) })) : null,
    };
  }

  /** What waits for a provider, and what they acknowledged since `since`. */
  providerEscalations(userId: string, since: Date, limit: number): ReturnType<Stores['cases']['providerEscalations']> {
    return this.stores.cases.providerEscalations(userId, since, limit);
  }

  /** The cases longest without movement as of `now` (at most `limit`), and how many in all. */
  staleList(now: Date, limit: number): Promise<StaleList> {
    return loadStaleList(this.stores, this.policy, now, limit);
  }
}
