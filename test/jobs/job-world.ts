/**
 * A practice for job tests: services and jobs over a test database with a clock that
 * only moves when told, and readers for what the jobs queued in the outbox.
 */
import { FixedClock } from '../../src/clock';
import { defaultPolicy, type Policy } from '../../src/domain/policy';
import type { TriggerEvent } from '../../src/domain/trigger-event';
import type { Case } from '../../src/domain/types';
import { runJob, type JobEnv, type JobName, type JobOutcome } from '../../src/jobs/job-runner';
import { JOBS } from '../../src/jobs/jobs';
import { silentLogger } from '../../src/logger';
import { CaseService } from '../../src/services/case-service';
import type { Engine } from '../../src/store/db';
import { createStores, type Stores } from '../../src/store/stores';
import { coordinator, triggerEvent } from '../support/services';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

export interface OutboxRow {
  id: number;
  kind: string;
  ref: string;
  payload: any;
  deliveredAt: number | null;
}

export interface JobWorld {
  db: TestDatabase;
  clock: FixedClock;
  policy: Policy;
  stores: Stores;
  cases: CaseService;
  env: JobEnv;
  run(job: JobName, at?: string | Date): Promise<JobOutcome>;
  /** Opens a case from a trigger event (occurredAt given as ISO). */
  open(overrides?: Partial<TriggerEvent> & { at?: string }): Promise<Case>;
  /** Opens a case and claims it for `owner` (backup optional). */
  openClaimed(owner: string, backup: string | null, overrides?: Partial<TriggerEvent> & { at?: string }): Promise<Case>;
  outbox(kind?: string): Promise<OutboxRow[]>;
  /** Forgets every queued message (so a test can look at what one run adds). */
  clearOutbox(): Promise<void>;
  destroy(): Promise<void>;
}

export async function jobWorld(engine: Engine, at: string, policy: Policy = defaultPolicy()): Promise<JobWorld> {
  const db = await createTestDatabase(engine);
  const clock = new FixedClock(at);
  const stores = createStores(db.knex, policy.calendar);
  const env: JobEnv = { stores, policy, clock, logger: silentLogger };
  const cases = new CaseService({ stores, clock, policy });
  const open: JobWorld['open'] = async (o = {}) => {
    const { at: occurred, ...rest } = o;
    const event = triggerEvent({ ...rest, ...(occurred ? { occurredAt: new Date(occurred) } : {}) });
    return (await cases.openCase(event)).case;
  };
  return {
    db,
    clock,
    policy,
    stores,
    cases,
    env,
    run: (job, when) => {
      if (when) clock.set(when);
      return runJob(JOBS[job], env);
    },
    open,
    openClaimed: async (owner, backup, o) => {
      const c = await open(o);
      const claimed = await cases.claim(c.id, coordinator(owner), backup);
      if (!claimed.ok) throw new Error(claimed.message);
      return claimed.case;
    },
    outbox: async (kind) => {
      const rows = await db.knex('outbox').where(kind ? { kind } : {}).orderBy('id');
      return rows.map((r) => ({ id: Number(r.id), kind: r.kind, ref: r.ref, payload: r.payload ? JSON.parse(r.payload) : null, deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at) }));
    },
    clearOutbox: async () => {
      await db.knex('outbox').delete();
    },
    destroy: () => db.destroy(),
  };
}

/** Instants every `stepMinutes` from `from` (inclusive) to `to` (exclusive). */
export function* everyMinutes(from: string, to: string, stepMinutes = 5): Generator<Date> {
  for (let t = new Date(from).getTime(); t < new Date(to).getTime(); t += stepMinutes * 60_000) yield new Date(t);
}
