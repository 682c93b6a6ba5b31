import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../clock';
import { databaseFailureCode, isDatabaseFailure, type DatabaseHealth } from '../../database-health';
import type { SlackHealth } from '../health';
import type { Logger } from '../../logger';
import { deliveryTarget, readOutboxMessage, type OutboxKind, type OutboxMessage, type OutboxMessageOf } from '../../services/outbox';
import type { OutboxItem, OutboxPort } from '../../services/ports';
import { classifySlackError, describeFailure } from '../slack-errors';
import { stampedClient } from './stamped-client';

/** Delivers one kind of message: renders it from the database now and sends it. `item` is its outbox row. */
export type Deliverer<K extends OutboxKind = OutboxKind> = (message: OutboxMessageOf<K>, item: OutboxItem, client: WebClient) => Promise<void>;

/** One deliverer per kind of message: the compiler checks that none is missing. */
export type Deliverers = { [K in OutboxKind]: Deliverer<K> };

export interface DispatcherDeps {
  /** The outbox's queue: due messages, leases, delivered and failed marks. */
  outbox: OutboxPort;
  client: WebClient;
  clock: Clock;
  logger: Logger;
  health: SlackHealth;
  /** Where database failures are reported (they are never Slack's). */
  databaseHealth: DatabaseHealth;
  /** Every kind's deliverer in production (`createDeliverers`); a test may give a few. */
  deliverers: Partial<Deliverers>;
  /** Whether the process is busy answering requests (default: its event loop's use over the last quarter second); asked again as each target's deliveries finish. */
  busy?: () => boolean;
}

/** Messages read from the outbox at a time, most urgent first. */
const DUE_BATCH = 100;
/**
 * Deliveries in flight at once, each to a different target. Slack answers in about 150 ms,
 * so one at a time delivers about 6 messages a second; Slack's rate limits (a 429 with
 * Retry-After pauses the outbox) bound what more concurrency could add.
 */
export const DELIVERY_CONCURRENCY = 8;
/**
 * While the process is busy (its event loop more than BUSY_UTILIZATION in use over the last
 * quarter second: people clicking, intake arriving), delivery keeps to this many at once, so
 * the requests Slack is waiting on come first; it speeds up again once the burst is over.
 */
export const DELIVERY_CONCURRENCY_BUSY = 2;
const BUSY_UTILIZATION = 0.5;
/** The event loop's use is judged over windows at least this long (shorter ones say little). */
const BUSY_WINDOW_MS = 250;

/** While the database fails, the outbox is tried again this often (the poll runs every second). */
const DATABASE_RETRY_MS = 5_000;

/**
 * How long a message taken for delivery is someone's. The holder renews it every third of
 * that while the delivery runs, so a live delivery keeps it and a crashed instance's
 * messages are due again within this long.
 */
export const LEASE_MS = 15_000;

/** Waits between attempts: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts), 10 * 60_000);
}

/**
 * Drains the outbox: every message a change asked for reaches Slack once Slack
 * accepts it, in order per target, surviving outages and restarts (the rows are the queue).
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private again = false;
  /** While Slack rate-limits or fails, no message is tried before this instant. */
  private pausedUntil = 0;
  /** Slack failures so far: a delivery that overlapped one says nothing about Slack being back. */
  private slackFailures = 0;
  /** The event loop's use when the current window started, and whether it was busy in the last one. */
  private loopUse: EventLoopUtilization = performance.eventLoopUtilization();
  private loopBusy = false;
  private readonly busy: () => boolean;

  /** This dispatcher's name on the leases it holds. */
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly deps: DispatcherDeps) {
    this.busy = deps.busy ?? (() => this.loopBusyLately());
  }

  /** Polls every `intervalMs` (messages from other instances and retries) until stopped. */
  start(intervalMs = 1_000): void {
    // kick() never rejects: a failing database is reported and retried, never left unhandled.
    this.timer = setInterval(() => void this.kick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Delivers what is due now; concurrent kicks coalesce into one more pass. Never rejects:
   * when the database fails, the failure is reported (logged once per outage) and the
   * outbox is tried again a few seconds later; the messages wait in it meanwhile.
   */
  kick(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let delivered = 0;
      try {
        do {
          this.again = false;
          delivered += await this.drainOnce();
        } while (this.again);
      } catch (error) {
        this.databaseFailed(error);
      }
      return delivered;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * One pass over the due messages, most urgent first (escalations and case cards before
   * DMs, Home refreshes and reports); returns how many were delivered. Messages to
   * different targets go out side by side, up to DELIVERY_CONCURRENCY at once (fewer while
   * the process is busy answering requests); those to one target (a case's card, an
   * escalation's post, one person's DMs, one channel's posts) go out one after another, in
   * order. Throws what the database threw (a Slack failure is handled here, per message).
   */
  async drainOnce(): Promise<number> {
    const { outbox, clock, logger } = this.deps;
    let delivered = 0;
    for (;;) {
      if (this.paused()) return delivered;
      const due = await outbox.due(clock.now(), DUE_BATCH);
      if (due.length === 0) return delivered;
      const readable: { item: OutboxItem; message: OutboxMessage }[] = [];
      for (const item of due) {
        const read = readOutboxMessage(item);
        if (read.ok) readable.push({ item, message: read.message });
        else {
          logger.error({ outboxId: item.id, kind: item.kind }, `an outbox message CareBridge cannot read; given up: ${read.error}`);
          await outbox.markFailed(item.id, read.error, null);
        }
      }
      // The whole batch is taken in one statement: another instance draining the same
      // database may have taken some first, and only the lease holder sends.
      const leased = new Set(await outbox.lease(readable.map((r) => r.item.id), clock.now(), this.leaseEnd(), this.holder));
      const targets = new Map<string, { item: OutboxItem; message: OutboxMessage }[]>();
      for (const r of readable) {
        const target = deliveryTarget(r.message);
        targets.set(target, [...(targets.get(target) ?? []), r]);
      }
      // A target's messages go in order: one another instance holds stops its target here.
      const queue = [...targets.values()].map((messages) => {
        const held = messages.findIndex((m) => !leased.has(m.item.id));
        return held === -1 ? messages : messages.slice(0, held);
      });
      // Leased and not yet tried: given back at the end of the batch if still untried.
      const unsent = new Set(leased);
      const renewal = this.keepLeases([...unsent]);
      const marks = new DeliveredMarks(async (ids) => {
        await outbox.markDelivered(ids, clock.now());
        // A write went through: the database works (a read alone proves nothing of a read-only one).
        this.deps.databaseHealth.recordSuccess();
      });
      let databaseFailure: { error: unknown } | null = null;
      const deliverInOrder = async (messages: { item: OutboxItem; message: OutboxMessage }[]) => {
        for (const { item, message } of messages) {
          if (databaseFailure || this.paused()) return;
          unsent.delete(item.id);
          try {
            if ((await this.deliverOne(item, message, marks)) === 'delivered') delivered += 1;
          } catch (error) {
            databaseFailure = { error };
          }
        }
      };
      // How many may run is asked again as each target finishes: a burst of requests slows
      // delivery down within a batch, and its end speeds it up again.
      const inFlight = new Set<Promise<void>>();
      try {
        while (!databaseFailure) {
          while (queue.length > 0 && inFlight.size < this.concurrency() && !this.paused()) {
            const task: Promise<void> = deliverInOrder(queue.shift()!).finally(() => inFlight.delete(task));
            inFlight.add(task);
          }
          if (inFlight.size === 0) break;
          await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
        await marks.flush();
      } finally {
        clearInterval(renewal);
      }
      if (databaseFailure) throw (databaseFailure as { error: unknown }).error;
      // Paused by Slack before some were tried, or held back behind another instance's lease:
      // they are due again at once (or when the pause ends), not when their lease runs out.
      await outbox.releaseLeases([...unsent], this.holder);
    }
  }

  /** Deliveries to run side by side now: fewer while the process is busy answering requests. */
  private concurrency(): number {
    return this.busy() ? DELIVERY_CONCURRENCY_BUSY : DELIVERY_CONCURRENCY;
  }

  /** Whether the event loop was more than BUSY_UTILIZATION in use over the last window of at least BUSY_WINDOW_MS. */
  private loopBusyLately(): boolean {
    const now = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(now, this.loopUse);
    if (since.idle + since.active >= BUSY_WINDOW_MS) {
      this.loopUse = now;
      this.loopBusy = since.utilization > BUSY_UTILIZATION;
    }
    return this.loopBusy;
  }

  /** While Slack rate-limits or fails, nothing more is sent until the pause ends. */
  private paused(): boolean {
    return this.deps.clock.now().getTime() < this.pausedUntil;
  }

  /**
   * Delivers one leased message and has it recorded (with others, see DeliveredMarks).
   * Throws only what the database threw; a
   * Slack failure schedules a retry (and pauses the outbox while Slack struggles) or,
   * when it cannot succeed, gives the message up.
   */
  private async deliverOne(item: OutboxItem, message: OutboxMessage, marks: DeliveredMarks): Promise<'delivered' | 'failed'> {
    const { outbox, clock, logger, health, deliverers, client } = this.deps;
    const deliver = deliverers[message.kind] as Deliverer | undefined;
    if (!deliver) {
      logger.error({ outboxId: item.id, kind: item.kind }, 'no deliverer for this outbox kind; message kept for a later version');
      await outbox.markFailed(item.id, `no deliverer for ${item.kind}`, null);
      return 'failed';
    }
    const failuresBefore = this.slackFailures;
    try {
      await deliver(message, item, stampedClient(client, item));
      // Recorded with the deliveries that finish meanwhile; the next message need not wait for it.
      marks.add(item.id);
      // Slack is healthy again only on a delivery that began after its last failure.
      if (this.slackFailures === failuresBefore) health.recordSuccess();
      return 'delivered';
    } catch (error) {
      // Reading what to render, or recording the delivery, failed: the database's failure, not Slack's.
      if (isDatabaseFailure(error)) throw error;
      if (!isSlackError(error)) {
        const retryAt = new Date(clock.now().getTime() + retryDelayMs(item.attempts));
        logger.error({ outboxId: item.id, kind: item.kind, errorName: (error as Error)?.name }, 'a message could not be built for Slack (an error inside CareBridge); will retry');
        await outbox.markFailed(item.id, `internal error (${(error as Error)?.name ?? 'unknown'})`, retryAt);
        return 'failed';
      }
      const failure = classifySlackError(error);
      const description = describeFailure(failure, `${item.kind} ${item.ref}`);
      this.slackFailures += 1;
      health.recordFailure(failure, description);
      if (failure.kind === 'permanent') {
        logger.error({ outboxId: item.id, kind: item.kind, ref: item.ref, slackError: failure.code }, description);
        await outbox.markFailed(item.id, description, null);
        return 'failed';
      }
      const wait = failure.kind === 'rate_limited' ? failure.retryAfterMs : retryDelayMs(item.attempts);
      const retryAt = new Date(clock.now().getTime() + wait);
      logger.warn({ outboxId: item.id, kind: item.kind, ref: item.ref, slackError: failure.code, retryInMs: wait }, description);
      await outbox.markFailed(item.id, description, retryAt);
      // Slack is struggling: stop sending so order is kept and Slack is not hammered.
      this.pausedUntil = Math.max(this.pausedUntil, retryAt.getTime());
      return 'failed';
    }
  }

  private leaseEnd(): Date {
    return new Date(this.deps.clock.now().getTime() + LEASE_MS);
  }

  /** Renews the leases of a batch being delivered until the returned timer is cleared (delivered ones drop out). */
  private keepLeases(ids: number[]): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.deps.outbox.renewLeases(ids, this.holder, this.leaseEnd()).catch(() => undefined);
    }, LEASE_MS / 3);
    timer.unref();
    return timer;
  }

  /** Reports a failure of the database (or of CareBridge itself) and pauses before the next try. */
  private databaseFailed(error: unknown): void {
    const { clock, logger, databaseHealth } = this.deps;
    this.pausedUntil = clock.now().getTime() + DATABASE_RETRY_MS;
    if (isDatabaseFailure(error)) databaseHealth.recordFailure(error, 'outbox');
    else logger.error({ errorName: (error as Error)?.name, errorCode: databaseFailureCode(error) }, 'delivering the outbox failed inside CareBridge; trying again shortly');
  }
}

/**
 * Records deliveries in groups: those that finish while one write is under way go in the
 * next, so a busy database costs one write per group rather than one per message. A
 * delivery whose record could not be written stays leased and is tried again when the
 * lease runs out (as after a crash).
 */
class DeliveredMarks {
  private waiting: number[] = [];
  private writing: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(private readonly write: (ids: number[]) => Promise<void>) {}

  add(id: number): void {
    this.waiting.push(id);
    this.next();
  }

  /** Waits until every delivery added so far is recorded; throws the first failure to record one. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure.error;
  }

  private next(): void {
    if (this.writing || this.waiting.length === 0) return;
    const ids = this.waiting.splice(0);
    this.writing = this.write(ids)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.writing = null;
        this.next();
      });
  }
}

/** Errors the Slack Web API client throws all carry a `slack_…` code (platform, HTTP, request, rate limit). */
function isSlackError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_');
}
