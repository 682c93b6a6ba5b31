/**
 * In-memory fakes of small ports (services/ports.ts), for fast service tests that need no
 * database. Each keeps the contract its knex store is tested for in test/store/.
 */
import { OUTBOX_PRIORITY } from '../../src/services/outbox';
import type { OutboxEntry, OutboxItem, OutboxPort, ProcessedRequestPort, SlackMessagePort, SlackMessageRef } from '../../src/services/ports';

const priority = (kind: string) => (OUTBOX_PRIORITY as Record<string, number>)[kind] ?? 9;

interface MemoryRow {
  id: number;
  kind: string;
  ref: string;
  /** As stored: JSON text, so a payload that would not survive the database does not survive here. */
  payload: string | null;
  createdAt: number;
  nextAttemptAt: number;
  attempts: number;
  deliveredAt: number | null;
  failed: boolean;
  error: string | null;
  leasedUntil: number | null;
  leasedBy: string | null;
}

export class MemoryOutbox implements OutboxPort {
  readonly rows: MemoryRow[] = [];

  async enqueue(kind: string, ref: string, payload: unknown, at: Date, coalesce = false): Promise<void> {
    const waiting = (r: MemoryRow) => r.kind === kind && r.ref === ref && r.deliveredAt === null && !r.failed && (r.leasedUntil === null || r.leasedUntil < at.getTime());
    if (coalesce && this.rows.some(waiting)) return;
    this.rows.push({
      id: this.rows.length + 1,
      kind,
      ref,
      payload: payload === undefined ? null : JSON.stringify(payload),
      createdAt: at.getTime(),
      nextAttemptAt: at.getTime(),
      attempts: 0,
      deliveredAt: null,
      failed: false,
      error: null,
      leasedUntil: null,
      leasedBy: null,
    });
  }

  async enqueueMany(kind: string, refs: string[], at: Date): Promise<void> {
    for (const ref of refs) await this.enqueue(kind, ref, null, at);
  }

  async enqueueAll(messages: readonly OutboxEntry[], at: Date): Promise<void> {
    for (const m of messages) await this.enqueue(m.kind, m.ref, m.payload, at, m.coalesce);
  }

  async due(at: Date, limit = 50): Promise<OutboxItem[]> {
    const now = at.getTime();
    return this.rows
      .filter((r) => r.deliveredAt === null && !r.failed && r.nextAttemptAt <= now && (r.leasedUntil === null || r.leasedUntil < now))
      .sort((a, b) => priority(a.kind) - priority(b.kind) || a.id - b.id)
      .slice(0, limit)
      .map((r) => ({ id: r.id, kind: r.kind, ref: r.ref, payload: r.payload === null ? null : JSON.parse(r.payload), attempts: r.attempts, createdAt: new Date(r.createdAt), uncertain: r.attempts > 0 || r.leasedBy !== null }));
  }

  async lease(ids: number[], at: Date, until: Date, holder = 'memory'): Promise<number[]> {
    const now = at.getTime();
    const free = this.rows.filter((r) => ids.includes(r.id) && r.deliveredAt === null && !r.failed && r.nextAttemptAt <= now && (r.leasedUntil === null || r.leasedUntil < now));
    for (const r of free) Object.assign(r, { leasedUntil: until.getTime(), leasedBy: holder });
    return free.map((r) => r.id);
  }

  async renewLeases(ids: number[], holder: string, until: Date): Promise<number> {
    const held = this.rows.filter((r) => ids.includes(r.id) && r.leasedBy === holder && r.deliveredAt === null);
    for (const r of held) r.leasedUntil = until.getTime();
    return held.length;
  }

  async releaseLeases(ids: number[], holder: string): Promise<void> {
    for (const r of this.rows) if (ids.includes(r.id) && r.leasedBy === holder && r.deliveredAt === null) Object.assign(r, { leasedUntil: null, leasedBy: null });
  }

  async markDelivered(ids: number[], at: Date): Promise<void> {
    for (const r of this.rows) if (ids.includes(r.id)) Object.assign(r, { deliveredAt: at.getTime(), leasedUntil: null, leasedBy: null, error: null });
  }

  async markFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    const r = this.rows.find((x) => x.id === id)!;
    Object.assign(r, { attempts: r.attempts + 1, error: error.slice(0, 500), leasedUntil: null, leasedBy: null, failed: retryAt === null, nextAttemptAt: retryAt?.getTime() ?? r.nextAttemptAt });
  }

  async pendingCount(): Promise<number> {
    return this.rows.filter((r) => r.deliveredAt === null && !r.failed).length;
  }

  async failures(limit = 20): Promise<{ kind: string; ref: string; error: string }[]> {
    return this.rows.filter((r) => r.failed).reverse().slice(0, limit).map((r) => ({ kind: r.kind, ref: r.ref, error: r.error ?? '' }));
  }
}

export class MemorySlackMessages implements SlackMessagePort {
  private readonly saved = new Map<string, SlackMessageRef>();

  async get(kind: string, ref: string): Promise<SlackMessageRef | null> {
    return this.saved.get(`${kind}:${ref}`) ?? null;
  }

  async getMany(kind: string, refs: string[]): Promise<Map<string, SlackMessageRef>> {
    const found = new Map<string, SlackMessageRef>();
    for (const ref of refs) {
      const m = this.saved.get(`${kind}:${ref}`);
      if (m) found.set(ref, m);
    }
    return found;
  }

  async save(kind: string, ref: string, message: SlackMessageRef): Promise<void> {
    this.saved.set(`${kind}:${ref}`, message);
  }
}

export class MemoryProcessedRequests implements ProcessedRequestPort {
  private readonly keys = new Map<string, number>();

  async claim(key: string, at: Date): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.set(key, at.getTime());
    return true;
  }

  async prune(before: Date): Promise<number> {
    let n = 0;
    for (const [key, at] of this.keys) if (at < before.getTime() && this.keys.delete(key)) n++;
    return n;
  }
}
