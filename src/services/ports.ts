/**
 * The ports the services read and write through: TypeScript interfaces, implemented by
 * the knex stores in `store/` (SQL lives only there) and by in-memory fakes in fast
 * service tests. Nothing here knows about knex, SQL or Slack.
 */
import type { AutomaticReason } from '../domain/escalation';
import type { LaneCounts, LaneSamples } from '../domain/metrics';
import type { LaneQueueCounts, QueueRow } from '../domain/queue';
import type { Case, CaseEvent, CaseState, ContactAttempt, Escalation, Guidance, LaneKey, Note, NoteInput } from '../domain/types';

export type NewCase = Omit<Case, 'id' | 'number'>;
export interface CaseQuery {
  states?: CaseState[];
  lanes?: LaneKey[];
  /** Cases this user owns or backs up. */
  involving?: string;
  ownerId?: string;
  unclaimed?: boolean;
  orderBy?: 'first_response_due_at' | 'resolution_due_at' | 'id';
  limit?: number;
}
/** Which live cases one of App Home's lists holds. */
export interface QueueList {
  who:
    | { kind: 'all' }
    | { kind: 'unclaimed' }
    /** Cases the user owns or backs up. */
    | { kind: 'involving'; userId: string }
    /** Cases the user owns or backs up, and unclaimed cases. */
    | { kind: 'involving_or_unclaimed'; userId: string };
  /** Only the cases overdue at this instant (domain/queue.ts isOverdue). */
  overdueAt?: Date;
}
/** Cases, their audit trail, notes and escalations. */
export interface CasePort {
  /** Inserts a case; returns null when its externalId already exists (the caller reads that one). */
  insertCase(c: NewCase): Promise<Case | null>;
  /**
   * Inserts many cases in one statement, skipping any whose externalId already exists
   * (every case here must have one). Returns the cases inserted, in no particular order.
   */
  insertCases(cases: NewCase[]): Promise<Case[]>;
  getCasesByExternalIds(externalIds: string[]): Promise<Case[]>;
  getCase(id: number): Promise<Case | null>;
  insertGuidance(g: Omit<Guidance, 'id'>): Promise<Guidance>;
  getGuidance(id: number): Promise<Guidance | null>;
  /** The case's guidance, newest first. */
  listGuidance(caseId: number, limit?: number): Promise<Guidance[]>;
  /**
   * What waits for providers: escalations to the providers channel on open cases not yet
   * acknowledged (urgent first, newest first, at most `limit`, and how many in all), and
   * those `userId` acknowledged since `since` (newest first), each with its case.
   */
  providerEscalations(userId: string, since: Date, limit: number): Promise<{
    pending: {
      escalation: Escalation;
      c: Case;
    }[];
    pendingTotal: number;
    acknowledged: {
      escalation: Escalation;
      c: Case;
    }[];
  }>;
  /**
   * Open cases nobody has moved since `before`, longest without movement first (at most
   * `limit`), and how many there are in all. Read through the partial index on
   * `last_moved_at` over open cases.
   */
  staleCases(before: Date, limit: number): Promise<{
    cases: Case[];
    total: number;
  }>;
  /**
   * Reads a case inside a transaction and, on PostgreSQL, locks its row until the
   * transaction ends, so changes to one case queue instead of racing (SQLite runs one
   * writer at a time already).
   */
  getCaseForUpdate(id: number): Promise<Case | null>;
  getCaseByExternalId(externalId: string): Promise<Case | null>;
  /**
   * Writes a changed case only if nobody changed it since it was read
   * (`expectedVersion`); false means the caller lost a race and must re-read.
   */
  updateCase(c: Case, expectedVersion: number): Promise<boolean>;
  /**
   * Writes many changed cases, each only if nobody changed it since it was read (its
   * `before.version`), as `updateCase` does one; returns the ids written (one missing
   * lost a race). Cases changed alike share one statement.
   */
  updateCases(changes: readonly { before: Case; after: Case }[]): Promise<Set<number>>;
  appendEvents(caseId: number, events: CaseEvent[]): Promise<void>;
  /** Audit entries of several cases in few statements (bulk intake, the SLA sweep). */
  appendEventsOfCases(entries: {
    caseId: number;
    event: CaseEvent;
  }[]): Promise<void>;
  listEvents(caseId: number): Promise<(CaseEvent & {
    id: number;
  })[]>;
  insertNote(caseId: number, authorId: string, at: Date, note: NoteInput): Promise<Note>;
  listNotes(caseId: number): Promise<Note[]>;
  latestNote(caseId: number): Promise<Note | null>;
  /** Contact attempts logged on a case since an instant (a reopen starts the count again). */
  listAttempts(caseId: number, since?: Date | null): Promise<ContactAttempt[]>;
  insertEscalation(e: Omit<Escalation, 'id'>): Promise<Escalation>;
  /** Inserts many escalations in few multi-row statements; returns them with their ids, in the order given. */
  insertEscalations(escalations: readonly Omit<Escalation, 'id'>[]): Promise<Escalation[]>;
  getEscalation(id: number): Promise<Escalation | null>;
  listEscalations(caseId: number): Promise<Escalation[]>;
  /**
   * The case's escalations nobody has acknowledged, oldest first. Those raised before the
   * case was last reopened do not count: closing it (a manager, over them) settled them.
   */
  pendingEscalations(caseId: number): Promise<Escalation[]>;
  /**
   * Records an acknowledgement only if the escalation is still unacknowledged;
   * false when someone else acknowledged it first.
   */
  acknowledgeEscalation(id: number, by: string, guidance: string, at: Date): Promise<boolean>;
  /** Marks an urgent escalation re-raised; false when it already was (so it is re-raised once). */
  markReraised(id: number, at: Date): Promise<boolean>;
  /** Marks many urgent escalations re-raised; returns the ids marked now (one already re-raised or acknowledged is left out). */
  markAllReraised(ids: readonly number[], at: Date): Promise<Set<number>>;
  listCases(q?: CaseQuery): Promise<Case[]>;
  /**
   * One of App Home's lists: live cases by next due time (then id), at most `limit`, read
   * whole; and how many match in all (unless `withTotal` is false). Each is an indexed
   * range over open cases, so the cost follows the list, not the queue.
   */
  queueList(list: QueueList, limit: number, withTotal?: boolean): Promise<{ cases: Case[]; total: number | null }>;
  /**
   * Writes the queue keys of open cases that have none: those opened before the keys
   * existed (the migration cannot work them out: a next promised action's instants need
   * the practice time zone). Run at start-up, before anyone is served; returns how many.
   */
  fillQueueKeys(batch?: number): Promise<number>;
  /** Whole cases by id (in no particular order). */
  getCases(ids: number[]): Promise<Case[]>;
  /**
   * The patient's earlier no-shows for a missed-appointment case (domain/no-shows.ts):
   * missed appointments of the same MRN in the 12 months before its trigger; null in
   * other lanes. Read through the patient_mrn index.
   */
  earlierNoShows(c: Case): Promise<number | null>;
}

/** One alert the sweep is about to send: `key` names the breach (a due instant or a target date). */
export interface BreachAlert {
  caseId: number;
  kind: string;
  key: string;
  routedTo: string | null;
}
/** An automatic escalation of a case claimed under its key (`automaticEscalationKey`). */
export interface EscalationClaim {
  caseId: number;
  reason: AutomaticReason;
  key: string;
}
/**
 * What the SLA sweep reads and records. Every read starts from a partial index over
 * open cases that breach, so its cost grows with the breaching cases, not all cases.
 */
export interface BreachPort {
  /** Open cases past their first-response window with no outreach logged, not yet alerted for that window. */
  newFirstResponseBreaches(now: Date): Promise<Case[]>;
  /** Open cases whose next promised action's target date is before `today`, not yet alerted for that date. */
  newNextActionBreaches(today: string): Promise<Case[]>;
  /** Open cases whose scheduled re-attempt is due by `now`, not yet alerted for that due time. */
  newReattemptBreaches(now: Date): Promise<Case[]>;
  /**
   * Claimed open cases with no outreach logged whose first-response window ends in
   * `(now, dueBy]`, not yet reminded for that window. `reminderDue` decides each.
   */
  firstResponsesDueSoon(now: Date, dueBy: Date): Promise<Case[]>;
  /**
   * Claimed open cases whose next step, not yet worked, has a target date in
   * `[today, targetDateBy]`, not yet reminded for that date. `reminderDue` decides each.
   */
  nextStepsDueSoon(today: string, targetDateBy: string): Promise<Case[]>;
  /**
   * Open cases that meet the condition of an automatic escalation as of `now` and have not
   * had it raised under its current key (since they were last reopened; for repeated failed
   * contact, in the current run of failures). The domain's `automaticEscalations` has
   * the last word; this only narrows the cases it is asked about.
   */
  escalationCandidates(reason: AutomaticReason, now: Date): Promise<Case[]>;
  /** When each case was last reopened (absent: never), for the cases given. */
  reopenedAt(caseIds: number[]): Promise<Map<number, Date>>;
  /** Every escalation of the cases given. */
  escalationsOf(caseIds: number[]): Promise<Escalation[]>;
  /**
   * Claims an automatic escalation of a case under its key (`automaticEscalationKey`); false
   * when it was claimed already (a sweep on another instance got there first, and raises it).
   */
  claimEscalation(caseId: number, reason: AutomaticReason, key: string, at: Date): Promise<boolean>;
  /** Gives back a claim whose escalation was refused, so the next sweep tries again. */
  releaseEscalation(caseId: number, reason: AutomaticReason, key: string): Promise<void>;
  /**
   * Claims many automatic escalations at once (as `claimEscalation` does one); returns the
   * `alertKey` (kind `escalation:<reason>`) of those claimed now.
   */
  claimEscalations(claims: readonly EscalationClaim[], at: Date): Promise<Set<string>>;
  /** Gives back many claims whose escalations were not raised, so the next sweep tries again. */
  releaseEscalations(claims: readonly EscalationClaim[]): Promise<void>;
  /**
   * Records alerts; returns the `caseId:kind:key` of those recorded now. One recorded
   * before (by a sweep that raced this one) is left out, so it is sent once.
   */
  recordAlerts(alerts: BreachAlert[], at: Date): Promise<Set<string>>;
  /** Unacknowledged urgent escalations of open cases that have not been re-raised. */
  unansweredUrgentEscalations(): Promise<Escalation[]>;
  /** How many alerts of a kind a case has had (tests and diagnostics). */
  countAlerts(caseId: number, kind?: string): Promise<number>;
}

/** One lane's queue figures at one location (null: cases without a location). */
export type LaneCountsRow = LaneQueueCounts & { location: string | null };
/** Open and unclaimed cases of one lane at one location (null: cases without a location). */
export type OpenCountsRow = Pick<LaneCountsRow, 'location' | 'lane' | 'open' | 'unclaimed'>;
/** The instants and date the figures are counted against. */
export interface DigestClock {
  now: Date;
  /** Today's practice date `YYYY-MM-DD`. */
  today: string;
  /** Local midnight at the start of today, and at the start of tomorrow. */
  dayStart: Date;
  dayEnd: Date;
}
/** The daily digest's reads: SQL aggregation for the figures, short indexed lists for the most overdue. */
export interface DigestPort {
  /** Open, unclaimed, due-today and overdue counts per location and lane, over every case not closed. */
  laneCounts(at: DigestClock): Promise<LaneCountsRow[]>;
  /** Open and unclaimed counts per location and lane, from the maintained counters alone (no time-dependent figure). */
  openCounts(): Promise<OpenCountsRow[]>;
  /**
   * Candidates for the most overdue open cases at a location (undefined: everywhere): the first
   * `limit` by each overdue rule, whose union holds the `limit` most overdue by any rule.
   */
  overdueCandidates(at: DigestClock, limit: number, location?: string | null): Promise<Case[]>;
}

/** Away periods: while a coordinator is away, their reminders and alerts go to each case's backup. */
export interface AwayPort {
  add(userId: string, fromDate: string, toDate: string, at: Date): Promise<void>;
  /** Which of these users are away on a practice date. */
  awayOn(userIds: string[], date: string): Promise<Set<string>>;
}
/** A message to add to the outbox; `coalesce` as in `OutboxPort.enqueue`. */
export interface OutboxEntry {
  kind: string;
  ref: string;
  payload: unknown;
  coalesce: boolean;
}
export interface OutboxItem {
  id: number;
  kind: string;
  ref: string;
  payload: unknown;
  attempts: number;
  /** When the change that asked for the message was made. */
  createdAt: Date;
  /**
   * An earlier attempt may have reached Slack: it failed after sending (a timeout, a 5xx)
   * or its instance died holding the lease. Delivery then checks before posting again.
   */
  uncertain: boolean;
}
/**
 * Slack messages waiting to be delivered. Enqueued inside the transaction of the
 * change they announce; delivered afterwards, with retries, by the Slack layer.
 */
export interface OutboxPort {
  /**
   * Adds a message. With `coalesce`, an undelivered message of the same kind and
   * ref makes this a no-op (one card refresh covers any number of changes).
   */
  enqueue(kind: string, ref: string, payload: unknown, at: Date, coalesce?: boolean): Promise<void>;
  /**
   * Adds one message of a kind per ref in one statement, without coalescing: for refs
   * that cannot have a message pending yet (cases created in the same transaction).
   */
  enqueueMany(kind: string, refs: string[], at: Date): Promise<void>;
  /**
   * Adds many messages in few statements, as `enqueue` would one after another (a
   * coalesced one is skipped when one like it waits, or came earlier in the batch).
   */
  enqueueAll(messages: readonly OutboxEntry[], at: Date): Promise<void>;
  /** Messages due for (another) attempt and not leased by a live delivery: most urgent first (OUTBOX_PRIORITY), then oldest first. */
  due(at: Date, limit?: number): Promise<OutboxItem[]>;
  /**
   * Takes due messages for delivery by `holder` until `until`; returns the ids it got
   * (another instance may have taken or delivered some first), so two instances draining
   * one database post each message once. A lease that runs out (its holder died
   * mid-delivery) makes the message due again; a live holder renews its leases.
   */
  lease(ids: number[], at: Date, until: Date, holder?: string): Promise<number[]>;
  /** Extends the leases `holder` still has among `ids`; returns how many it still had. */
  renewLeases(ids: number[], holder: string, until: Date): Promise<number>;
  /** Gives back the leases `holder` has among `ids` and did not use (those messages are due again at once). */
  releaseLeases(ids: number[], holder: string): Promise<void>;
  /** Records deliveries. */
  markDelivered(ids: number[], at: Date): Promise<void>;
  /** Schedules a retry, or gives up (`permanent`) keeping the error for /healthz and the logs. */
  markFailed(id: number, error: string, retryAt: Date | null): Promise<void>;
  pendingCount(): Promise<number>;
  failures(limit?: number): Promise<{
    kind: string;
    ref: string;
    error: string;
  }[]>;
}
/** Run-once-per-period bookkeeping for scheduled jobs. */
export interface JobRunPort {
  /** Claims a job's period; false when it was already claimed (by this or another instance). */
  claim(job: string, period: string, at: Date): Promise<boolean>;
  finish(job: string, period: string, at: Date): Promise<void>;
  get(job: string, period: string): Promise<{
    startedAt: Date;
    finishedAt: Date | null;
  } | null>;
}
/** The health check's heartbeat: one row written on every check, so readiness proves the database takes writes. */
export interface HeartbeatPort {
  beat(at: Date): Promise<void>;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
}
/** Where CareBridge's living Slack messages are (kind + ref → channel + ts). */
export interface SlackMessagePort {
  get(kind: string, ref: string): Promise<SlackMessageRef | null>;
  /** The messages of many refs of one kind (absent: never posted). */
  getMany(kind: string, refs: string[]): Promise<Map<string, SlackMessageRef>>;
  save(kind: string, ref: string, message: SlackMessageRef, at: Date): Promise<void>;
}
/** Keys of requests already handled, so a retried event or a repeated submission has no second effect. */
export interface ProcessedRequestPort {
  /** Records the key; false when it was recorded before (the request is a repeat). */
  claim(key: string, at: Date): Promise<boolean>;
  /** Forgets keys older than an instant (they are only needed for Slack's retry window). */
  prune(before: Date): Promise<number>;
}

/** A week's bounds as epoch ms, [start, end). */
export interface WeekBounds {
  start: number;
  end: number;
}

/** A close event of the week with its case's lane and trigger time. */
export interface CloseRow {
  caseId: number;
  lane: string;
  occurredAt: number;
  at: number;
  /** The close event's `after` (JSON text): outcome and loopClosed as they were set. */
  after: string | null;
  /** The case row's current close, used only when the event does not carry the outcome. */
  caseClosedAt: number | null;
  caseOutcome: string | null;
  caseLoopClosed: boolean | null;
}

/** A case whose resolution target fell in the week. */
export interface TargetRow {
  caseId: number;
  lane: string;
  dueAt: number;
  /** The case's closes and reopenings at or before its target, oldest first (none: open throughout). */
  history: { action: 'closed' | 'reopened'; at: number; after: string | null }[];
}

/** One lane's unresolved cases at the week's end. */
export interface BacklogRow {
  lane: string;
  open: number;
  /** Unresolved cases triggered at or after each age-bucket start (cumulative, youngest first). */
  atLeast: number[];
  overdue: number;
  waitingOnPatient: number;
  noMovement: number;
}

/** The reads behind the weekly scorecard and its trend (SQL does the counting per lane). */
export interface MetricsReads {
  windowsByLane(w: WeekBounds): Promise<{ lane: string; due: number; met: number }[]>;
  firstResponses(w: WeekBounds): Promise<{ lane: string; occurredAt: number; respondedAt: number }[]>;
  contactsByLane(w: WeekBounds): Promise<{ lane: string; attempts: number; reached: number }[]>;
  barriersByLane(w: WeekBounds): Promise<{ lane: string; barrier: string; cases: number }[]>;
  closesInWeek(w: WeekBounds): Promise<CloseRow[]>;
  targetsInWeek(w: WeekBounds): Promise<TargetRow[]>;
  escalationCountsByLane(w: WeekBounds): Promise<{ lane: string; raised: number; pending: number }[]>;
  acknowledgements(w: WeekBounds): Promise<{ lane: string; raisedAt: number; acknowledgedAt: number }[]>;
  unresolvedCountByLane(w: WeekBounds): Promise<{ lane: string; open: number }[]>;
  backlogByLane(w: WeekBounds, ageStarts: number[]): Promise<BacklogRow[]>;
  /** The stored figures of these weeks computed with this calendar (weeks without rows are simply absent). */
  storedWeeks(weeks: string[], calendarKey: string): Promise<StoredLaneWeek[]>;
}

/**
 * One lane's figures for one finished ISO week, as counted from the audit trail: the week's
 * activity counts and business-time samples, and the backlog at the week's end (`counts.open`
 * and the other unresolved figures). Stored once and read back by later reports.
 */
export interface StoredLaneWeek {
  week: string;
  lane: LaneKey;
  /** Digest of the practice calendar the figures were computed with. */
  calendarKey: string;
  start: number;
  end: number;
  counts: LaneCounts;
  samples: LaneSamples;
}

/** The weekly figures, read from one snapshot so every figure comes from the same moment. */
export interface MetricsPort {
  snapshot<T>(fn: (reads: MetricsReads) => Promise<T>): Promise<T>;
  /**
   * Stores finished weeks' figures. A week already stored for the same calendar is left as it
   * is (two processes reporting the same week write the same figures; the first one stays).
   */
  storeWeeks(rows: StoredLaneWeek[], now: Date): Promise<void>;
}

/** Every port over one connection or transaction. */
export interface Stores {
  cases: CasePort;
  away: AwayPort;
  outbox: OutboxPort;
  jobRuns: JobRunPort;
  slackMessages: SlackMessagePort;
  processed: ProcessedRequestPort;
  breaches: BreachPort;
  digest: DigestPort;
  heartbeat: HeartbeatPort;
  metrics: MetricsPort;
  /** Runs `fn` with ports bound to one transaction: all of it commits, or none. */
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
}
