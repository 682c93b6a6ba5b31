import { describe, expect, it } from 'vitest';
import { defaultPolicy, type Policy } from '../../../src/domain/policy';
import { LANES, type Escalation } from '../../../src/domain/types';
import type { DailyDigest } from '../../../src/domain/digest';
import type { BreachItem, ReminderItem } from '../../../src/domain/alerts';
import { breachDirectMessage, breachSummaryMessage, reminderDirectMessage } from '../../../src/slack/blocks/breach-alerts';
import { dailyDigestMessage } from '../../../src/slack/blocks/daily-digest';
import { escalationSummaryMessage } from '../../../src/slack/blocks/escalation-summary';
import { ACTIONS } from '../../../src/slack/ids';
import { messageProblems } from '../../support/block-limits';
import { buildClaimedCase } from '../../support/case-builder';
import { LONGEST_LANE_LABEL } from '../../support/max-case';

/** A policy whose every lane has the longest label POLICY_FILE allows. */
function longLabels(): Policy {
  const policy = defaultPolicy();
  for (const lane of LANES) policy.lanes[lane].label = LONGEST_LANE_LABEL;
  return policy;
}

function item(i: number, overrides: Partial<BreachItem> = {}): BreachItem {
  return {
    caseId: i,
    number: `FU-${1000 + i}`,
    lane: LANES[i % LANES.length]!,
    tier: 'urgent',
    kind: i % 2 ? 'first_response' : 'next_action',
    due: i % 2 ? '2026-11-23T16:30:00.000Z' : '2026-11-20',
    ownerId: i % 3 ? 'U0COORD01' : null,
    route: i % 3 ? { dmTo: 'U0COORD02', coveringFor: 'U0COORD01', channelOnly: null } : { dmTo: null, coveringFor: null, channelOnly: 'unclaimed' },
    ...overrides,
  };
}

const labels = (n: number) => new Map(Array.from({ length: n }, (_, i) => [i, 'AL ·2345'] as [number, string]));

describe('breach messages', () => {
  it('summarise 1,000 breaches in one channel message within limits, counting the rest', () => {
    const items = Array.from({ length: 100 }, (_, i) => item(i));
    const message = breachSummaryMessage({ total: 1000, items }, { policy: longLabels(), labels: labels(100) });
    expect(messageProblems(message)).toEqual([]);
    expect(message.text).toBe('1000 cases newly overdue: see the list');
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('…and 960 more — open App Home for the full list.');
    expect(body).toContain('_unclaimed_');
    expect(body).toContain('owner <@U0COORD01> away: sent to backup <@U0COORD02>');
    expect(body).toContain('first response was due Mon Nov 23, 11:30 AM');
    expect(body).toContain('next action was due Fri Nov 20');
  });

  it('put one person\'s breaches in one DM, naming whom the backup covers for', () => {
    const items = Array.from({ length: 300 }, (_, i) => item(i, { route: { dmTo: 'U0COORD02', coveringFor: 'U0COORD01', channelOnly: null } }));
    const message = breachDirectMessage(items, { policy: longLabels(), labels: labels(300) });
    expect(messageProblems(message)).toEqual([]);
    expect(message.text).toBe('300 of the cases you look after are past due');
    expect(JSON.stringify(message.blocks)).toContain('covering for <@U0COORD01> (away)');
    expect(JSON.stringify(message.blocks)).toContain('…and 260 more');
    const one = breachDirectMessage([item(1, { route: { dmTo: 'U0COORD01', coveringFor: null, channelOnly: null } })], { policy: defaultPolicy(), labels: new Map([[1, 'AL ·2345']]) });
    expect(one.text).toBe('1 of your cases is past due');
    expect(JSON.stringify(one.blocks)).toContain('*FU-1001* · `AL ·2345`');
  });

  it('say when a missed re-attempt was due', () => {
    const message = breachDirectMessage([item(1, { kind: 'reattempt', due: '2026-11-23T15:00:00.000Z' })], { policy: defaultPolicy(), labels: labels(2) });
    expect(JSON.stringify(message.blocks)).toContain('next attempt was due Mon Nov 23, 10:00 AM');
  });
});

describe('reminder before a due time', () => {
  const reminder = (i: number, overrides: Partial<ReminderItem> = {}): ReminderItem => ({
    caseId: i,
    number: `FU-${1000 + i}`,
    lane: LANES[i % LANES.length]!,
    tier: 'high',
    kind: i % 2 ? 'first_response' : 'next_action',
    due: i % 2 ? '2026-11-02T13:30:00.000Z' : '2026-11-25',
    coveringFor: null,
    ...overrides,
  });

  it('lists what is due soon in one DM, in the practice time zone, counts only in its notification text', () => {
    const message = reminderDirectMessage([reminder(1), reminder(2)], { policy: defaultPolicy(), labels: labels(3) });
    expect(message.text).toBe('2 of your cases are due soon');
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('*FU-1001* · `AL ·2345` · Post-visit next steps · High · first response due Mon Nov 2, 8:30 AM');
    expect(body).toContain('*FU-1002* · `AL ·2345` · Missed appointment recovery · High · next step due Wed Nov 25');
    expect(body).toContain('Nothing is logged toward these yet');
  });

  it('names whom the backup covers for, and keeps 300 reminders within Block Kit limits', () => {
    const items = Array.from({ length: 300 }, (_, i) => reminder(i, { coveringFor: 'U0COORD01' }));
    const message = reminderDirectMessage(items, { policy: longLabels(), labels: labels(300) });
    expect(messageProblems(message)).toEqual([]);
    expect(message.text).toBe('300 of the cases you look after are due soon');
    expect(JSON.stringify(message.blocks)).toContain('covering for <@U0COORD01> (away)');
    expect(JSON.stringify(message.blocks)).toContain('…and 260 more');
  });
});

describe('escalation summary', () => {
  it('gives each shown escalation its own Acknowledge button and counts the rest', () => {
    const c = buildClaimedCase();
    const escalation = (id: number, acknowledged = false): Escalation => ({
      id, caseId: c.id, reason: 'response_window_missed', text: null, target: 'managers', urgent: false, raisedBy: 'carebridge',
      raisedAt: new Date('2026-11-23T17:00:00Z'), acknowledgedBy: acknowledged ? 'U0MGR0001' : null, acknowledgedAt: acknowledged ? new Date() : null, guidance: null, reraisedAt: null,
    });
    const raised = Array.from({ length: 45 }, (_, i) => ({ e: escalation(i + 1, i === 0), c }));
    const message = escalationSummaryMessage({ target: 'managers', raised, reraised: [], raisedTotal: 250, reraisedTotal: 0 }, { policy: longLabels(), labels: new Map([[c.id, 'AL ·3456']]) });
    expect(messageProblems(message)).toEqual([]);
    expect(message.text).toBe('250 automatic escalations for the managers channel');
    const buttons = message.blocks.map((b) => (b as { accessory?: { action_id: string; value: string } }).accessory).filter(Boolean);
    expect(buttons.length).toBeGreaterThan(40);
    expect(buttons.every((b) => b!.action_id === ACTIONS.escalationAcknowledge)).toBe(true);
    expect(buttons[0]!.value).toBe('2'); // the acknowledged one has no button
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/and \d+ more — open App Home/);
  });
});

describe('daily digest message', () => {
  it('shows counts per lane with overdue marked, and says when nothing is open', () => {
    const empty: DailyDigest = { date: '2026-11-25', at: '2026-11-25T13:00:00.000Z', grouped: false, totals: { open: 0, unclaimed: 0, dueToday: 0, overdue: 0 }, groups: [{ location: null, totals: { open: 0, unclaimed: 0, dueToday: 0, overdue: 0 }, lanes: [], mostOverdue: [] }] };
    const message = dailyDigestMessage(empty, { policy: defaultPolicy(), labels: new Map() });
    expect(messageProblems(message)).toEqual([]);
    expect(message.text).toBe('Daily digest Wed Nov 25: 0 open, 0 unclaimed, 0 due today, 0 overdue');
    expect(JSON.stringify(message.blocks)).toContain('No open cases.');
    expect(JSON.stringify(message.blocks)).toContain('Counted Wed Nov 25, 8:00 AM');
  });
});
