/**
 * A year of a busy practice: 100,000 cases, 1,000,000 case events, 600,000 notes and
 * 10,000 escalations, generated in SQL (the same statements on both engines), give
 * plausible figures. How fast is measured by `npm run bench`, not here.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/domain/policy';
import { BARRIERS, LANES } from '../../src/domain/types';
import { weeklyTrend } from '../../src/services/weekly-trend';
import { computeWeeklyMetrics } from '../../src/services/metrics-service';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { MetricsStore } from '../../src/store/metrics-store';

const CASES = 100_000;
const EVENTS_PER_CASE = 10;
const NOTES_PER_CASE = 6;
/** 2026-01-01 00:00 New York; cases arrive every 315.36 s so the year is evenly covered. */
const BASE = Date.parse('2026-01-01T05:00:00Z');
const STEP = 315_360;
const H = 3_600_000;
const D = 86_400_000;

const pick = (values: readonly string[], expr: string) =>
  `CASE ${expr} ${values.map((v, i) => `WHEN ${i} THEN '${v}'`).join(' ')} END`;

async function generate(db: Knex, engine: string): Promise<void> {
  await db.schema.createTable('nums', (t) => t.bigInteger('i').primary());
  if (engine === 'sqlite') {
    await db.raw(`INSERT INTO nums (i) WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT i FROM s`, [CASES - 1]);
  } else {
    await db.raw(`INSERT INTO nums (i) SELECT generate_series(0, ?::bigint)`, [CASES - 1]);
  }
  const occurred = `(${BASE} + i * ${STEP})`;
  const closed = `(i % 20 <> 0)`;
  const closedAt = `(${occurred} + (3 + i % 10) * ${D})`;
  const outcome = `CASE WHEN i % 3 = 0 THEN 'not_needed' ELSE 'completed' END`;
  await db.raw(`INSERT INTO cases (id, lane, tier, state, trigger, occurred_at, created_at, updated_at, patient_mrn, patient_name,
      first_response_due_at, resolution_due_at, first_response_at, closed_at, outcome, loop_closed)
    SELECT i + 1, ${pick(LANES, 'i % 8')}, 'high', CASE WHEN ${closed} THEN 'closed' ELSE 'active' END, 'new_referral',
      ${occurred}, ${occurred}, ${occurred}, 'MRN' || i, 'Synthetic', ${occurred} + ${D}, ${occurred} + 14 * ${D},
      CASE WHEN i % 25 = 0 THEN NULL ELSE ${occurred} + (i % 7) * ${H} END,
      CASE WHEN ${closed} THEN ${closedAt} END, CASE WHEN ${closed} THEN ${outcome} END,
      CASE WHEN ${closed} AND i % 8 = 0 AND i % 3 <> 0 THEN (i % 2 = 0) END
    FROM nums`);
  for (let k = 0; k < EVENTS_PER_CASE; k++) {
    const action = k === 0 ? `'opened'` : k === 1 ? `'claimed'` : k === 8 ? `'details_viewed'` : k === 9 ? `CASE WHEN ${closed} THEN 'closed' ELSE 'noted' END` : `'noted'`;
    const at = k === 9 ? `CASE WHEN ${closed} THEN ${closedAt} ELSE ${occurred} + 40 * ${H} END` : `${occurred} + ${k * 4} * ${H}`;
    const after = k === 9 ? `CASE WHEN ${closed} THEN '{"state":"closed","outcome":"' || ${outcome} || '"}' END` : 'NULL';
    await db.raw(`INSERT INTO case_events (case_id, action, actor_id, at, after) SELECT i + 1, ${action}, 'U0COORD01', ${at}, ${after} FROM nums`);
  }
  for (let k = 0; k < NOTES_PER_CASE; k++) {
    await db.raw(`INSERT INTO notes (case_id, author_id, created_at, contact_channel, contact_result, status, barrier, understanding, responsible_party)
      SELECT i + 1, 'U0COORD01', ${occurred} + ${(k + 2) * 4} * ${H}, 'phone', ${pick(['reached', 'no_answer', 'left_voicemail'], `(i + ${k}) % 3`)},
        'on_track', ${pick(BARRIERS, `(i * 7 + ${k}) % ${BARRIERS.length}`)}, 'understands', 'coordinator'
      FROM nums`);
  }
  await db.raw(`INSERT INTO escalations (case_id, reason, target, urgent, raised_by, raised_at, acknowledged_at)
    SELECT i + 1, 'worsening_symptoms', 'providers', (1 = 1), 'U0COORD01', ${occurred} + 5 * ${H},
      CASE WHEN i % 50 <> 0 THEN ${occurred} + 7 * ${H} END
    FROM nums WHERE i % 10 = 0`);
  await db.schema.dropTable('nums');
  // Fresh statistics, as a database that has been running for a year would have.
  await db.raw(engine === 'sqlite' ? 'ANALYZE' : 'ANALYZE cases; ANALYZE case_events; ANALYZE notes; ANALYZE escalations');
}

describe.each(ENGINES)('weekly metrics over a year of data on %s', (engine) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await generate(db.knex, engine);
  }, 120_000);
  afterAll(async () => {
    await db.destroy();
  });

  it('holds a million case events', async () => {
    const [row] = await db.knex('case_events').count({ n: '*' });
    expect(Number(row!.n)).toBe(CASES * EVENTS_PER_CASE);
  });

  it('computes one week with plausible figures', async () => {
    const m = await computeWeeklyMetrics(new MetricsStore(db.knex), defaultPolicy(), '2026-W48');
    // About 1,918 cases arrive a week; one in 20 is never closed.
    expect(m.overall.firstResponseHours.count).toBeGreaterThan(1800);
    expect(m.overall.firstResponseWithinWindow.rate).toBeGreaterThan(0.9);
    expect(m.overall.contactRate.rate).toBeCloseTo(1 / 3, 1);
    expect(m.overall.completionRate.rate).toBeCloseTo(2 / 3, 1);
    expect(m.overall.unresolved.total).toBeGreaterThan(4000);
    expect(m.overall.unresolved.byAge['31+']).toBeGreaterThan(3000);
    expect(m.overall.escalations.raised).toBeGreaterThan(180);
  }, 60_000);

  it('computes the chart\'s 8-week trend', async () => {
    const trend = await weeklyTrend(new MetricsStore(db.knex), defaultPolicy(), '2026-W48');
    expect(trend.weeks).toHaveLength(8);
    expect(trend.weeks.every((p) => p.withinWindowRate !== null && p.withinWindowRate > 0.9)).toBe(true);
  }, 60_000);
});
