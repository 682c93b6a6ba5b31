/**
 * The typed outbox, over an in-memory outbox port (no database): every kind of message
 * is written as a row and read back as the same message; a row that does not fit its
 * kind is refused with the reason; the living messages coalesce while one is waiting.
 */
import { describe, expect, it } from 'vitest';
import type { BreachItem, ReminderItem } from '../../src/domain/alerts';
import { enqueue, outboxRow, readOutboxMessage, type OutboxKind, type OutboxMessage } from '../../src/services/outbox';
import { SlackRecords } from '../../src/services/slack-records';
import { MemoryOutbox, MemoryProcessedRequests, MemorySlackMessages } from '../support/memory-ports';

const AT = new Date('2026-11-23T15:00:00Z');
const breach: BreachItem = { caseId: 7, number: 'FU-1007', lane: 'referral', tier: 'high', kind: 'reattempt', due: '2026-11-23T15:00:00.000Z', ownerId: 'U0COORD01', route: { dmTo: 'U0COORD02', coveringFor: 'U0COORD01', channelOnly: null } };
const reminder: ReminderItem = { caseId: 8, number: 'FU-1008', lane: 'discharge', tier: 'urgent', kind: 'next_action', due: '2026-11-25', coveringFor: null };

/** One message of every kind: the compiler refuses this table if a kind is missing. */
const EVERY_KIND: { [K in OutboxKind]: Extract<OutboxMessage, { kind: K }> } = {
  case_card: { kind: 'case_card', caseId: 7 },
  escalation_post: { kind: 'escalation_post', escalationId: 3, reraise: true },
  escalation_ack: { kind: 'escalation_ack', escalationId: 3 },
  guidance_dm: { kind: 'guidance_dm', guidanceId: 2 },
  home_refresh: { kind: 'home_refresh', caseId: 7 },
  home_publish: { kind: 'home_publish', userId: 'U0COORD01' },
  providers_home: { kind: 'providers_home' },
  breach_dm: { kind: 'breach_dm', userId: 'U0COORD02', period: '2026-11-23T15:00Z', items: [breach] },
  reminder_dm: { kind: 'reminder_dm', userId: 'U0COORD01', period: '2026-11-23T15:00Z', items: [reminder] },
  breach_summary: { kind: 'breach_summary', period: '2026-11-23T15:00Z', total: 140, items: [breach] },
  escalation_summary: { kind: 'escalation_summary', target: 'managers', period: '2026-11-23T15:00Z', raised: [4, 5], reraised: [3] },
  daily_digest: {
    kind: 'daily_digest',
    date: '2026-11-23',
    digest: { date: '2026-11-23', at: AT.toISOString(), grouped: false, totals: { open: 1, unclaimed: 1, dueToday: 0, overdue: 0 }, groups: [{ location: null, totals: { open: 1, unclaimed: 1, dueToday: 0, overdue: 0 }, lanes: [], mostOverdue: [] }] },
  },
  weekly_report: { kind: 'weekly_report', week: '2026-W47' },
};

describe('the typed outbox', () => {
  it('reads every kind of message back from its row as it was written', async () => {
    const outbox = new MemoryOutbox();
    for (const m of Object.values(EVERY_KIND)) await enqueue({ outbox }, m, AT);
    const read = (await outbox.due(AT, 50)).map((row) => readOutboxMessage(row));
    expect(Object.fromEntries(read.map((r) => [r.ok ? r.message.kind : r.error, r]))).toEqual(
      Object.fromEntries(Object.values(EVERY_KIND).map((message) => [message.kind, { ok: true, message }])),
    );
  });

  it('keeps an escalation post that is not a re-raise free of a payload, as rows written before the union were', () => {
    expect(outboxRow({ kind: 'escalation_post', escalationId: 3, reraise: false })).toEqual({ kind: 'escalation_post', ref: '3', payload: null });
    expect(readOutboxMessage({ kind: 'escalation_post', ref: '3', payload: null })).toEqual({ ok: true, message: { kind: 'escalation_post', escalationId: 3, reraise: false } });
  });

  it.each([
    ['an unknown kind', { kind: 'fax', ref: '1', payload: null }, 'no message of kind fax'],
    ['a case card for no id', { kind: 'case_card', ref: 'FU-1007', payload: null }, 'a case_card message that does not fit its kind (value: must be an id)'],
    ['a DM to a channel', { kind: 'breach_dm', ref: 'C0COORD01', payload: { period: 'p', items: [] } }, 'must be a Slack user ID'],
    ['a breach of an unknown tier', { kind: 'breach_summary', ref: 'p', payload: { period: 'p', total: 1, items: [{ ...breach, tier: 'stat' }] } }, 'items.0.tier'],
    ['a week that does not exist', { kind: 'weekly_report', ref: '2026-W60', payload: { week: '2026-W60' } }, 'a weekly_report message that does not fit its kind'],
  ])('refuses %s, naming why', (_what, row, reason) => {
    const read = readOutboxMessage(row);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toContain(reason);
  });

  it('hands out the most urgent first: escalations, then cards, DMs, Home, the digest, the report', async () => {
    const outbox = new MemoryOutbox();
    for (const m of Object.values(EVERY_KIND).reverse()) await enqueue({ outbox }, m, AT);
    expect((await outbox.due(AT, 50)).map((r) => r.kind)).toEqual([
      'escalation_summary',
      'guidance_dm',
      'escalation_ack',
      'escalation_post',
      'case_card',
      'breach_summary',
      'reminder_dm',
      'breach_dm',
      'providers_home',
      'home_publish',
      'home_refresh',
      'daily_digest',
      'weekly_report',
    ]);
  });

  it('coalesces a case card and each person\'s Home while one is waiting, and nothing else', async () => {
    const outbox = new MemoryOutbox();
    for (let i = 0; i < 3; i++) {
      await enqueue({ outbox }, { kind: 'case_card', caseId: 7 }, AT);
      await enqueue({ outbox }, { kind: 'home_publish', userId: 'U0COORD01' }, AT);
      await enqueue({ outbox }, { kind: 'providers_home' }, AT);
      await enqueue({ outbox }, { kind: 'escalation_ack', escalationId: 3 }, AT);
    }
    await enqueue({ outbox }, { kind: 'home_publish', userId: 'U0COORD02' }, AT);
    expect(outbox.rows.map((r) => `${r.kind}:${r.ref}`)).toEqual([
      'case_card:7',
      'home_publish:U0COORD01',
      'providers_home:providers',
      'escalation_ack:3',
      'escalation_ack:3',
      'escalation_ack:3',
      'home_publish:U0COORD02',
    ]);
  });
});

describe('Slack records', () => {
  it('remembers where a message was posted and claims a request key once', async () => {
    const records = new SlackRecords({ slackMessages: new MemorySlackMessages(), processed: new MemoryProcessedRequests() });
    expect(await records.posted('case_card', '7')).toBe(null);
    await records.remember('case_card', '7', { channel: 'C0COORD01', ts: '1700000000.000100' }, AT);
    expect(await records.postedMany('case_card', ['7', '8'])).toEqual(new Map([['7', { channel: 'C0COORD01', ts: '1700000000.000100' }]]));
    expect(await records.claimRequest('view:V1', AT)).toBe(true);
    expect(await records.claimRequest('view:V1', AT)).toBe(false);
    expect(await records.forgetRequestsBefore(new Date(AT.getTime() + 1))).toBe(1);
    expect(await records.claimRequest('view:V1', AT)).toBe(true);
  });
});
