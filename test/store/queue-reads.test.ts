/**
 * App Home's bounded reads on each engine: the per-lane counters stay equal to a recount of
 * the cases through every kind of write (one case, bulk intake, claim, close, reopen, a
 * multi-row UPDATE, a delete); the queue keys written with each case are the domain's, and
 * the start-up fill gives old rows the same; and Home's lists and counts, read with LIMIT,
 * are exactly what `homeData` (the rule Home had when it read every live case) makes of the
 * same cases, at and beyond the list limit, for a coordinator and a manager.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays, practiceDate } from '../../src/domain/calendar';
import { defaultPolicy } from '../../src/domain/policy';
import { queueKeys } from '../../src/domain/queue';
import { LANES, type Case } from '../../src/domain/types';
import { CaseReads } from '../../src/services/case-reads';
import type { NewCase, Stores } from '../../src/services/ports';
import { homeData } from '../../src/slack/blocks/home-view';
import { createCareBridge } from '../../src/main';
import { silentLogger } from '../../src/logger';
import { migrate, openDatabase } from '../../src/store/db';
import { createStores } from '../../src/store/stores';
import { buildActor, buildCase } from '../support/case-builder';
import { testConfig } from '../support/slack';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

const policy = defaultPolicy();
const cal = policy.calendar;
/** Wednesday 2026-11-25 10:00 New York. */
const NOW = new Date('2026-11-25T15:00:00.000Z');
const HOUR = 3_600_000;
const TODAY = practiceDate(cal, NOW);

function newCase(overrides: Partial<Case> = {}): NewCase {
  const { id: _id, number: _number, ...c } = buildCase({ occurredAt: NOW, createdAt: NOW, updatedAt: NOW, lastMovedAt: NOW, resolutionDueAt: new Date(NOW.getTime() + 300 * HOUR), ...overrides });
  return c;
}

/** A small deterministic generator, so a failing queue can be rebuilt. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe.each(ENGINES)('queue reads on %s', (engine) => {
  let db: TestDatabase;
  let stores: Stores;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    stores = createStores(db.knex, cal);
  });
  afterEach(async () => {
    await db.destroy();
  });

  /** The counters as stored, and as a recount of the cases says they should be. */
  async function countersAndRecount() {
    const stored = await db.knex('queue_counts').where('open_count', '>', 0).orWhere('unclaimed_count', '<>', 0).select('location', 'lane', 'open_count', 'unclaimed_count');
    const recount = await db
      .knex('cases')
      .whereRaw(`state <> 'closed'`)
      .groupByRaw(`COALESCE(location, ''), lane`)
      .select(db.knex.raw(`COALESCE(location, '') AS location`), 'lane')
      .select(db.knex.raw('COUNT(*) AS open_count'), db.knex.raw('SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END) AS unclaimed_count'));
    const shape = (rows: Record<string, unknown>[]) =>
      rows.map((r) => `${r.location}/${r.lane}: ${Number(r.open_count)} open, ${Number(r.unclaimed_count)} unclaimed`).sort();
    return { stored: shape(stored), recount: shape(recount) };
  }

  it('keeps open and unclaimed counts per location and lane through every kind of write', async () => {
    const expectInStep = async (open: number) => {
      const { stored, recount } = await countersAndRecount();
      expect(stored).toEqual(recount);
      expect(recount.reduce((n, line) => n + Number(/: (\d+) open/.exec(line)![1]), 0)).toBe(open);
    };
    const a = (await stores.cases.insertCase(newCase({ lane: 'referral' })))!;
    const b = (await stores.cases.insertCase(newCase({ lane: 'referral', location: 'North' })))!;
    await expectInStep(2);
    const bulk = await stores.cases.insertCases(LANES.flatMap((lane, i) => [newCase({ lane, externalId: `x-${i}-a` }), newCase({ lane, externalId: `x-${i}-b`, location: 'North', ownerId: 'U1' })]));
    expect(bulk).toHaveLength(2 * LANES.length);
    await expectInStep(2 + 2 * LANES.length);
    // Claimed; a note that changes no counted field; closed; reopened; moved to another location.
    expect(await stores.cases.updateCase({ ...a, ownerId: 'U1', state: 'active', version: 2 }, 1)).toBe(true);
    await expectInStep(2 + 2 * LANES.length);
    expect(await stores.cases.updateCase({ ...a, ownerId: 'U1', state: 'active', nextActionDue: TODAY, version: 3 }, 2)).toBe(true);
    expect(await stores.cases.updateCase({ ...b, state: 'closed', closedAt: NOW, version: 2 }, 1)).toBe(true);
    await expectInStep(1 + 2 * LANES.length);
    expect(await stores.cases.updateCase({ ...b, state: 'open', version: 3 }, 2)).toBe(true);
    expect(await stores.cases.updateCase({ ...b, state: 'open', location: 'South', version: 4 }, 3)).toBe(true);
    await expectInStep(2 + 2 * LANES.length);
    // A write that lost its race changes nothing.
    expect(await stores.cases.updateCase({ ...b, state: 'closed', version: 9 }, 1)).toBe(false);
    await expectInStep(2 + 2 * LANES.length);
    // Many rows in one statement, as a bulk change would write them: every case of North released, then all closed.
    await db.knex('cases').where({ location: 'North' }).update({ owner_id: null });
    await expectInStep(2 + 2 * LANES.length);
    await db.knex('cases').where({ location: 'North' }).update({ state: 'closed' });
    await expectInStep(2 + LANES.length);
    await db.knex('cases').where({ id: a.id }).delete();
    await expectInStep(1 + LANES.length);
  });

  it('writes the domain’s queue keys with each case, and fills in the same keys for rows that have none', async () => {
    const written = [
      (await stores.cases.insertCase(newCase({ firstResponseDueAt: new Date(NOW.getTime() + HOUR) })))!,
      (await stores.cases.insertCase(newCase({ firstResponseAt: NOW, nextActionDue: addCalendarDays(TODAY, 2) })))!,
      (await stores.cases.insertCase(newCase({ firstResponseAt: NOW, resolutionDueAt: new Date(NOW.getTime() - HOUR) })))!,
    ];
    const closed = (await stores.cases.insertCase(newCase({ state: 'closed', closedAt: NOW })))!;
    const keysOf = async () =>
      Object.fromEntries((await db.knex('cases').orderBy('id').select('id', 'next_due_at', 'overdue_at')).map((r) => [Number(r.id), [r.next_due_at === null ? null : Number(r.next_due_at), r.overdue_at === null ? null : Number(r.overdue_at)]]));
    const expected = Object.fromEntries([...written, closed].map((c) => [c.id, [queueKeys(cal, c).nextDueAt, queueKeys(cal, c).overdueAt]]));
    expect(await keysOf()).toEqual(expected);
    // As if opened before the keys existed: the fill gives the open cases the same keys (closed ones wait for a reopen).
    await db.knex('cases').update({ next_due_at: null, overdue_at: null });
    expect(await stores.cases.fillQueueKeys(2)).toBe(3);
    expect(await keysOf()).toEqual({ ...expected, [closed.id]: [null, null] });
    expect(await stores.cases.fillQueueKeys()).toBe(0);
  });

  it.runIf(engine === 'sqlite')('fills in missing queue keys as the app starts, right after migrating', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'carebridge-keys-'));
    const url = `sqlite:${join(folder, 'carebridge.db')}`;
    const file = openDatabase(url);
    await migrate(file);
    const c = (await createStores(file.knex, cal).cases.insertCase(newCase({ firstResponseAt: NOW, nextActionDue: addCalendarDays(TODAY, 1) })))!;
    await file.knex('cases').update({ next_due_at: null, overdue_at: null });
    await file.close();
    const app = await createCareBridge(testConfig({ DATABASE_URL: url }), { logger: silentLogger, botUserId: 'U0BOT0001', botId: 'B0BOT0001' });
    try {
      const [row] = await app.db.knex('cases').where({ id: c.id }).select('next_due_at', 'overdue_at');
      expect([Number(row.next_due_at), Number(row.overdue_at)]).toEqual([queueKeys(cal, c).nextDueAt, queueKeys(cal, c).overdueAt]);
    } finally {
      await app.db.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('lists and counts what Home showed when it read every live case, at and beyond the list limit', async () => {
    const rnd = random(13);
    const people = ['U_ME', 'U_OTHER', 'U_THIRD'];
    const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    const dueAround = () => new Date(NOW.getTime() + Math.round((rnd() - 0.5) * 96) * HOUR);
    const rows: NewCase[] = [];
    for (let i = 0; i < 260; i++) {
      const owner = rnd() < 0.45 ? null : pick(people);
      const responded = rnd() < 0.6;
      rows.push(
        newCase({
          externalId: `h-${i}`,
          lane: pick(LANES),
          location: rnd() < 0.5 ? null : 'North',
          state: rnd() < 0.1 ? 'closed' : owner ? pick(['active', 'waiting', 'escalated'] as const) : 'open',
          ownerId: owner,
          backupId: rnd() < 0.3 ? pick(people) : null,
          // Many share a due instant, so the order of ties (by id) is tested too.
          firstResponseDueAt: rnd() < 0.2 ? new Date(NOW.getTime() + 2 * HOUR) : dueAround(),
          firstResponseAt: responded ? new Date(NOW.getTime() - 50 * HOUR) : null,
          nextActionDue: responded && rnd() < 0.5 ? addCalendarDays(TODAY, Math.floor(rnd() * 5) - 2) : null,
          resolutionDueAt: dueAround(),
        }),
      );
    }
    await stores.cases.insertCases(rows);
    const all = await stores.cases.listCases();
    const reads = new CaseReads(stores, policy);
    const ids = (list: readonly Case[]) => list.map((c) => c.id);
    for (const actor of [buildActor('U_ME', 'coordinator'), buildActor('U_MGR', 'manager'), buildActor('U_ME', 'coordinator', 'manager')]) {
      const expected = homeData(policy, actor, all, NOW);
      for (const limit of [5, 50, 1000]) {
        const got = await reads.homeQueue(actor, NOW, limit);
        const roles = [...actor.roles].join('+');
        expect({ roles, limit, mine: ids(got.mine), unclaimed: ids(got.unclaimed), overdue: ids(got.overdue) }).toEqual({
          roles,
          limit,
          mine: ids(expected.mine.slice(0, limit)),
          unclaimed: ids(expected.unclaimed.slice(0, limit)),
          overdue: ids(expected.overdue.slice(0, limit)),
        });
        expect(got.counts).toEqual(expected.counts);
        expect(got.figures).toEqual(expected.figures);
        // The lists hold whole cases, as read.
        expect(got.unclaimed[0]).toEqual(all.find((c) => c.id === got.unclaimed[0]!.id));
      }
      // The queue is longer than a list: the limit cuts each list, the counts do not.
      expect(expected.counts.unclaimed).toBeGreaterThan(50);
      expect(expected.counts.overdue).toBeGreaterThan(50);
    }
  });
});
