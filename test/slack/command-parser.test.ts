import { describe, expect, it } from 'vitest';
import { LANE_LABELS } from '../../src/domain/policy';
import { laneFrom, parseFollowup } from '../../src/slack/command-parser';

describe('parseFollowup', () => {
  it.each([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['Help', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['new', { kind: 'new' }],
    ['  NEW  ', { kind: 'new' }],
    ['mine', { kind: 'mine' }],
    ['queue', { kind: 'queue', lane: null }],
    ['queue referral', { kind: 'queue', lane: 'referral' }],
    ['queue post-visit', { kind: 'queue', lane: 'post_visit' }],
    ['queue PRE_VISIT', { kind: 'queue', lane: 'pre_visit' }],
    ['queue Discharge outreach', { kind: 'queue', lane: 'discharge' }],
    ['queue missed appointment recovery', { kind: 'queue', lane: 'missed_appointment' }],
    ['case FU-1042', { kind: 'case', caseId: 42 }],
    ['case fu-1042', { kind: 'case', caseId: 42 }],
    ['case 1042', { kind: 'case', caseId: 42 }],
    ['away 2026-12-01 2026-12-05', { kind: 'away', from: '2026-12-01', to: '2026-12-05' }],
    ['away 2026-12-01 2026-12-01', { kind: 'away', from: '2026-12-01', to: '2026-12-01' }],
    ['report', { kind: 'report', week: null }],
    ['report 2026-W47', { kind: 'report', week: '2026-W47' }],
    ['report 2026-w47', { kind: 'report', week: '2026-W47' }],
    ['report 2026-W53', { kind: 'report', week: '2026-W53' }],
  ])('%j → %j', (text, expected) => {
    expect(parseFollowup(text, LANE_LABELS)).toEqual(expected);
  });

  it('answers unknown input as unknown, keeping the text for the help answer', () => {
    expect(parseFollowup('  frobnicate the queue ')).toEqual({ kind: 'unknown', input: 'frobnicate the queue' });
    expect(parseFollowup('FU-1042')).toEqual({ kind: 'unknown', input: 'FU-1042' });
  });

  it('names the bad argument of each subcommand', () => {
    const invalid = (text: string) => {
      const parsed = parseFollowup(text, LANE_LABELS);
      expect(parsed.kind).toBe('invalid');
      return (parsed as { message: string }).message;
    };
    expect(invalid('new please')).toContain('`new` takes no arguments');
    expect(invalid('mine all')).toContain('`mine` takes no arguments');
    expect(invalid('queue cardiology')).toMatch(/^lane: "cardiology" is not a lane\. Use one of: `referral`, `post_visit`/);
    expect(invalid('case')).toContain('case number: name one case');
    expect(invalid('case FU-1 FU-2')).toContain('case number: name one case');
    expect(invalid('case FU-abc')).toContain('case number: "FU-abc" is not a case number');
    expect(invalid('case FU-0')).toContain('is not a case number');
    expect(invalid('away')).toContain('away needs a first and a last day');
    expect(invalid('away 2026-12-01')).toContain('away needs a first and a last day');
    expect(invalid('away 2026-12-01 2026-12-02 2026-12-03')).toContain('away needs a first and a last day');
    expect(invalid('away monday 2026-12-02')).toMatch(/^from: "monday" is not a date \(YYYY-MM-DD\)\./);
    expect(invalid('away 2026-12-01 12/05/2026')).toMatch(/^to: "12\/05\/2026" is not a date/);
    expect(invalid('away 2026-02-30 2026-13-01')).toBe('from: "2026-02-30" is not a date (YYYY-MM-DD); to: "2026-13-01" is not a date (YYYY-MM-DD). Usage: `/followup away YYYY-MM-DD YYYY-MM-DD`');
    expect(invalid('report last-week')).toContain('week: "last-week" is not an ISO week');
    expect(invalid('report 2026-W54')).toContain('is not an ISO week');
    // 2026 has 53 ISO weeks, 2025 has 52.
    expect(invalid('report 2025-W53')).toContain('is not an ISO week');
    expect(invalid('report 2026-W47 extra')).toContain('is not an ISO week');
  });

  it('echoes user text short and without mrkdwn control characters', () => {
    const parsed = parseFollowup(`queue <!channel>*${'x'.repeat(100)}`) as { message: string };
    expect(parsed.message).not.toMatch(/[<>*]/);
    expect(parsed.message.length).toBeLessThan(300);
  });
});

describe('laneFrom', () => {
  it('takes a key, a hyphenated key or a practice label, ignoring case', () => {
    expect(laneFrom('monitoring')).toBe('monitoring');
    expect(laneFrom('Prior-Auth')).toBe('prior_auth');
    expect(laneFrom('Recall', { preventive_recall: 'Recall' })).toBe('preventive_recall');
    expect(laneFrom('Recall')).toBeNull();
    expect(laneFrom('')).toBeNull();
  });
});
