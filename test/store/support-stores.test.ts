/**
 * The small stores, on SQLite and PostgreSQL: away periods, job runs, the heartbeat,
 * where Slack messages were posted and the request keys already handled.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/services/ports';
import { defaultCalendar } from '../../src/domain/calendar';
import { createStores } from '../../src/store/stores';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

const AT = new Date('2026-11-23T15:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

describe.each(ENGINES)('small stores on %s', (engine) => {
  let db: TestDatabase;
  let stores: Stores;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    stores = createStores(db.knex, defaultCalendar());
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('away: a period counts on both its first and last day, and only for the people asked about', async () => {
    await stores.away.add('U0COORD01', '2026-11-24', '2026-11-26', AT);
    await stores.away.add('U0COORD01', '2026-11-25', '2026-11-25', AT); // overlapping: still one person
    await stores.away.add('U0COORD02', '2026-12-01', '2026-12-01', AT);
    expect(await stores.away.awayOn(['U0COORD01', 'U0COORD02'], '2026-11-23')).toEqual(new Set());
    expect(await stores.away.awayOn(['U0COORD01', 'U0COORD02'], '2026-11-24')).toEqual(new Set(['U0COORD01']));
    expect(await stores.away.awayOn(['U0COORD01', 'U0COORD01'], '2026-11-25')).toEqual(new Set(['U0COORD01']));
    expect(await stores.away.awayOn(['U0COORD01'], '2026-11-26')).toEqual(new Set(['U0COORD01']));
    expect(await stores.away.awayOn(['U0COORD01'], '2026-11-27')).toEqual(new Set());
    expect(await stores.away.awayOn(['U0COORD02'], '2026-12-01')).toEqual(new Set(['U0COORD02']));
    expect(await stores.away.awayOn([], '2026-12-01')).toEqual(new Set());
  });

  it('job runs: a period is claimed once, and its finish is recorded', async () => {
    expect(await stores.jobRuns.get('daily-digest', '2026-11-23')).toBe(null);
    expect(await stores.jobRuns.claim('daily-digest', '2026-11-23', AT)).toBe(true);
    expect(await stores.jobRuns.claim('daily-digest', '2026-11-23', later(1))).toBe(false);
    expect(await stores.jobRuns.claim('daily-digest', '2026-11-24', AT)).toBe(true);
    expect(await stores.jobRuns.claim('sla-sweep', '2026-11-23', AT)).toBe(true);
    expect(await stores.jobRuns.get('daily-digest', '2026-11-23')).toEqual({ startedAt: AT, finishedAt: null });
    await stores.jobRuns.finish('daily-digest', '2026-11-23', later(2_000));
    expect(await stores.jobRuns.get('daily-digest', '2026-11-23')).toEqual({ startedAt: AT, finishedAt: later(2_000) });
  });

  it('heartbeat: one row, moved forward by every beat', async () => {
    await stores.heartbeat.beat(AT);
    await stores.heartbeat.beat(later(5_000));
    expect((await db.knex('heartbeat').select('id', 'at')).map((r) => [Number(r.id), Number(r.at)])).toEqual([[1, later(5_000).getTime()]]);
  });

  it('Slack messages: saved per kind and ref, a later save moves it, many read at once', async () => {
    expect(await stores.slackMessages.get('case_card', '7')).toBe(null);
    await stores.slackMessages.save('case_card', '7', { channel: 'C0COORD01', ts: '1700000000.000100' }, AT);
    await stores.slackMessages.save('escalation_post', '7', { channel: 'C0PROV001', ts: '1700000000.000200' }, AT);
    await stores.slackMessages.save('case_card', '7', { channel: 'C0COORD01', ts: '1700000000.000300' }, later(1)); // reposted after a deletion
    expect(await stores.slackMessages.get('case_card', '7')).toEqual({ channel: 'C0COORD01', ts: '1700000000.000300' });
    expect(await stores.slackMessages.getMany('case_card', ['7', '8'])).toEqual(new Map([['7', { channel: 'C0COORD01', ts: '1700000000.000300' }]]));
    expect(await stores.slackMessages.getMany('case_card', [])).toEqual(new Map());
  });

  it('handled requests: a key is claimed once, and keys older than the cut-off are forgotten', async () => {
    expect(await stores.processed.claim('event:Ev1', AT)).toBe(true);
    expect(await stores.processed.claim('event:Ev1', later(1))).toBe(false);
    expect(await stores.processed.claim('view:V1', later(60_000))).toBe(true);
    expect(await stores.processed.prune(later(60_000))).toBe(1); // strictly older
    expect(await stores.processed.claim('event:Ev1', later(60_001))).toBe(true);
    expect(await stores.processed.claim('view:V1', later(60_001))).toBe(false);
  });
});
