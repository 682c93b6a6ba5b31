/**
 * The digest store's per-lane figures on each engine, at fixed instants (an ordinary
 * Wednesday and both 2026 daylight-saving days), against the domain's rule
 * (domain/queue.ts laneFigures, isOverdue and caseDue) over the same cases: every case
 * sits on one edge of "overdue" or "due today", and the SQL must put it where the domain does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays, atLocalTime, practiceDate } from '../../src/domain/calendar';
import { defaultPolicy } from '../../src/domain/policy';
import { caseDue, isOverdue, laneFigures } from '../../src/domain/queue';
import { LANES, type Case, type LaneKey } from '../../src/domain/types';
import type { CasePort, DigestClock, DigestPort, LaneCountsRow, NewCase } from '../../src/services/ports';
import { createStores } from '../../src/store/stores';
import { buildCase } from '../support/case-builder';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

const policy = defaultPolicy();
const cal = policy.calendar;

/** Where a case should be counted at the instant: overdue, due today, or neither (open all the same). */
type Label = 'overdue' | 'due_today' | 'later';

interface Moment {
  name: string;
  now: string;
  /** Local midnight at the start of the practice day and of the next (checked, so the edges below are the real ones). */
  dayStart: string;
  dayEnd: string;
}

const MOMENTS: Moment[] = [
  { name: 'Wednesday 2026-11-25 10:00', now: '2026-11-25T10:00:00-05:00', dayStart: '2026-11-25T05:00:00.000Z', dayEnd: '2026-11-26T05:00:00.000Z' },
  { name: 'Sunday 2026-11-01 12:00, a 25-hour day', now: '2026-11-01T12:00:00-05:00', dayStart: '2026-11-01T04:00:00.000Z', dayEnd: '2026-11-02T05:00:00.000Z' },
  { name: 'Sunday 2026-03-08 12:00, a 23-hour day', now: '2026-03-08T12:00:00-04:00', dayStart: '2026-03-08T05:00:00.000Z', dayEnd: '2026-03-09T04:00:00.000Z' },
];

interface Spec {
  why: string;
  label: Label;
  fields: (m: { now: number; dayStart: number; dayEnd: number; today: string; yesterday: string; tomorrow: string }) => Partial<Case>;
}

/** First response still pending, due at `at`. */
const pending = (at: number): Partial<Case> => ({ firstResponseAt: null, firstResponseDueAt: new Date(at) });
/** First response logged; the other due fields as given. */
const responded = (fields: Partial<Case>): Partial<Case> => ({ firstResponseAt: new Date('2026-01-02T15:00:00Z'), ...fields });

/** Each case on an edge; each gets a location of its own, so each appears as its own row of figures. */
const SPECS: Spec[] = [
  { why: 'first response due this very instant', label: 'overdue', fields: (m) => pending(m.now) },
  { why: 'first response due a millisecond from now', label: 'due_today', fields: (m) => pending(m.now + 1) },
  { why: 'first response due in the last millisecond of today', label: 'due_today', fields: (m) => pending(m.dayEnd - 1) },
  { why: 'first response due at tomorrow’s midnight', label: 'later', fields: (m) => pending(m.dayEnd) },
  { why: 'first response due at today’s midnight', label: 'overdue', fields: (m) => pending(m.dayStart) },
  { why: 'first response due yesterday', label: 'overdue', fields: (m) => pending(m.dayStart - 1) },
  { why: 'first response pending, due tomorrow, next action dated yesterday', label: 'overdue', fields: (m) => ({ ...pending(m.dayEnd + 3_600_000), nextActionDue: m.yesterday }) },
  { why: 'first response pending, due tomorrow, next action dated today', label: 'later', fields: (m) => ({ ...pending(m.dayEnd + 3_600_000), nextActionDue: m.today }) },
  { why: 'next action dated today', label: 'due_today', fields: (m) => responded({ nextActionDue: m.today }) },
  { why: 'next action dated yesterday', label: 'overdue', fields: (m) => responded({ nextActionDue: m.yesterday }) },
  { why: 'next action dated tomorrow, resolution later today', label: 'later', fields: (m) => responded({ nextActionDue: m.tomorrow, resolutionDueAt: new Date(m.now + 60_000) }) },
  { why: 'next action dated today, resolution already passed', label: 'overdue', fields: (m) => responded({ nextActionDue: m.today, resolutionDueAt: new Date(m.now - 1) }) },
  { why: 'no next action, resolution due this instant', label: 'overdue', fields: (m) => responded({ nextActionDue: null, resolutionDueAt: new Date(m.now) }) },
  { why: 'no next action, resolution in the last millisecond of today', label: 'due_today', fields: (m) => responded({ nextActionDue: null, resolutionDueAt: new Date(m.dayEnd - 1) }) },
  { why: 'no next action, resolution at tomorrow’s midnight', label: 'later', fields: (m) => responded({ nextActionDue: null, resolutionDueAt: new Date(m.dayEnd) }) },
  { why: 'no next action, resolution earlier today', label: 'overdue', fields: (m) => responded({ nextActionDue: null, resolutionDueAt: new Date(m.dayStart) }) },
];

describe.each(ENGINES)('digest store on %s', (engine) => {
  let db: TestDatabase;
  let cases: CasePort;
  let digest: DigestPort;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    const stores = createStores(db.knex, cal);
    cases = stores.cases;
    digest = stores.digest;
  });
  afterEach(async () => {
    await db.destroy();
  });

  function clockAt(m: Moment): DigestClock {
    const now = new Date(m.now);
    const today = practiceDate(cal, now);
    return { now, today, dayStart: atLocalTime(cal, today, '00:00'), dayEnd: atLocalTime(cal, addCalendarDays(today, 1), '00:00') };
  }

  function newCase(n: number, overrides: Partial<Case>): NewCase {
    const { id: _id, number: _number, ...c } = buildCase({
      externalId: `ehr-${n}`,
      // Far from any edge unless a spec says otherwise.
      resolutionDueAt: new Date('2027-06-01T14:00:00Z'),
      ...overrides,
    });
    return c;
  }

  /** The domain's figures over the cases stored, per location, shaped as the store's rows. */
  async function domainRows(now: Date): Promise<LaneCountsRow[]> {
    const all = await cases.listCases();
    const locations = [...new Set(all.map((c) => c.location))];
    return locations.flatMap((location) =>
      laneFigures(cal, all.filter((c) => c.location === location), now)
        .filter((f) => f.open > 0)
        .map((f) => ({ location, ...f })),
    );
  }
  const sorted = (rows: LaneCountsRow[]) => [...rows].sort((a, b) => (a.location ?? '').localeCompare(b.location ?? '') || a.lane.localeCompare(b.lane));

  it.each(MOMENTS)('puts every case on the same side of each edge as the domain, at $name', async (m) => {
    const clock = clockAt(m);
    expect([clock.dayStart.toISOString(), clock.dayEnd.toISOString()]).toEqual([m.dayStart, m.dayEnd]);
    const edges = {
      now: clock.now.getTime(),
      dayStart: clock.dayStart.getTime(),
      dayEnd: clock.dayEnd.getTime(),
      today: clock.today,
      yesterday: addCalendarDays(clock.today, -1),
      tomorrow: addCalendarDays(clock.today, 1),
    };
    const lane = (i: number): LaneKey => LANES[i % LANES.length]!;
    const rows = SPECS.map((s, i) => newCase(i, { lane: lane(i), location: `L${String(i).padStart(2, '0')}`, ownerId: i % 2 ? 'U_OWNER' : null, ...s.fields(edges) }));
    // A closed case that would be overdue on every rule: never counted.
    rows.push(newCase(100, { lane: 'referral', location: 'L00', state: 'closed', closedAt: clock.now, ...pending(edges.dayStart - 1), nextActionDue: edges.yesterday }));
    expect((await cases.insertCases(rows)).length).toBe(SPECS.length + 1);

    // The hand labels are the domain's (so the edges above are the ones the domain draws).
    const label = (c: Pick<Case, 'state' | 'firstResponseAt' | 'firstResponseDueAt' | 'nextActionDue' | 'resolutionDueAt'>): Label =>
      isOverdue(cal, c, clock.now) ? 'overdue' : caseDue(cal, c).at.getTime() < edges.dayEnd ? 'due_today' : 'later';
    const stored = await cases.listCases({ states: ['open'] });
    expect(stored).toHaveLength(SPECS.length);
    expect(Object.fromEntries(stored.map((c) => [SPECS[Number(c.externalId!.slice(4))]!.why, label(c)]))).toEqual(Object.fromEntries(SPECS.map((s) => [s.why, s.label])));

    // Each case is its own row of figures: the SQL's verdict on it, case by case.
    const counted = await digest.laneCounts(clock);
    expect(sorted(counted)).toEqual(
      SPECS.map((s, i) => ({
        location: `L${String(i).padStart(2, '0')}`,
        lane: lane(i),
        open: 1,
        unclaimed: i % 2 ? 0 : 1,
        dueToday: s.label === 'due_today' ? 1 : 0,
        overdue: s.label === 'overdue' ? 1 : 0,
      })),
    );
    expect(sorted(counted)).toEqual(sorted(await domainRows(clock.now)));
  });

  it('sums a lane’s cases per location, cases without a location in a row of their own, closed ones left out', async () => {
    const clock = clockAt(MOMENTS[0]!);
    const now = clock.now.getTime();
    const overdue = pending(now - 60_000);
    const dueToday = pending(clock.dayEnd.getTime() - 60_000);
    const later = pending(clock.dayEnd.getTime() + 60_000);
    const spread: [string | null, LaneKey, Partial<Case>][] = [
      ['North', 'referral', { ...overdue, ownerId: 'U_A' }],
      ['North', 'referral', overdue],
      ['North', 'referral', dueToday],
      ['North', 'referral', { ...later, state: 'waiting', ownerId: 'U_A' }],
      ['North', 'referral', { ...overdue, state: 'closed', closedAt: clock.now }],
      ['North', 'discharge', { ...dueToday, state: 'escalated', ownerId: 'U_B' }],
      ['South', 'referral', later],
      [null, 'referral', overdue],
      [null, 'referral', { ...dueToday, state: 'active', ownerId: 'U_B' }],
      [null, 'monitoring', { ...later, state: 'closed', closedAt: clock.now }],
    ];
    await cases.insertCases(spread.map(([location, lane, fields], i) => newCase(i, { location, lane, ...fields })));
    const counted = sorted(await digest.laneCounts(clock));
    expect(counted).toEqual([
      { location: null, lane: 'referral', open: 2, unclaimed: 1, dueToday: 1, overdue: 1 },
      { location: 'North', lane: 'discharge', open: 1, unclaimed: 0, dueToday: 1, overdue: 0 },
      { location: 'North', lane: 'referral', open: 4, unclaimed: 2, dueToday: 1, overdue: 2 },
      { location: 'South', lane: 'referral', open: 1, unclaimed: 1, dueToday: 0, overdue: 0 },
    ]);
    expect(counted).toEqual(sorted(await domainRows(clock.now)));
  });

  it('has no rows when every case is closed', async () => {
    const clock = clockAt(MOMENTS[0]!);
    await cases.insertCases([newCase(1, { state: 'closed', closedAt: clock.now, ...pending(0) })]);
    expect(await digest.laneCounts(clock)).toEqual([]);
  });
});
