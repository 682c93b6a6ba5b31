/** Text, JSON and CSV renderings of the same scorecard. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyMetrics } from '../../src/domain/metrics';
import { LANES } from '../../src/domain/types';
import { renderReport, reportCsv, reportText } from '../../src/reports/format';
import { fortnightMetrics } from './fortnight-metrics';

describe('report renderings', () => {
  let w48: WeeklyMetrics;
  let w47: WeeklyMetrics;

  beforeAll(async () => {
    ({ w48, w47 } = await fortnightMetrics());
  }, 60_000);

  it('text: headline with last week and change, barriers, ages and a table by lane', () => {
    const text = reportText(w48, w47);
    expect(text.split('\n')[0]).toBe('CareBridge weekly report · 2026-W48 · Mon Nov 23 – Sun Nov 29, 2026 (America/New_York)');
    expect(text).toMatch(/First response, median\s+3\.0 h\s+10\.0 h\s+▼ 7\.0 h\n/);
    expect(text).toMatch(/First response within window\s+63% \(5 of 8\)\s+0%\s+▲ 63 pts\n/);
    expect(text).toMatch(/No-show recovery\s+50% \(1 of 2\)\s+—\n/);
    expect(text).toMatch(/Transportation\s+2\s+▲ 2\n/);
    expect(text).toMatch(/over 30 days\s+1\n/);
    expect(text).toMatch(/Referral follow-up\s+3\.0 h\s+67%\s+33%\s+67%\s+0%\s+3\s+1\s+2\s+2\n/);
    expect(text).toMatch(/Prior authorization status(\s+—){5}(\s+0){4}\n/);
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('json: both weeks in full and the top barriers', () => {
    const json = JSON.parse(renderReport(w48, w47, 'json'));
    expect(json.week).toBe('2026-W48');
    expect(json.previousWeek).toBe('2026-W47');
    expect(json.current).toEqual(w48);
    expect(json.previous).toEqual(w47);
    expect(json.topBarriers[0]).toEqual({ barrier: 'transportation', count: 2, previous: 0, change: 2 });
    expect(json.current.lanes.prior_auth.contactRate).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it('csv: one row per scope and metric, numbers plain, unknowns empty', () => {
    const lines = reportCsv(w48, w47).trimEnd().split('\n');
    expect(lines[0]).toBe('week,scope,metric,value,previous,change');
    const perScope = lines.filter((l) => l.startsWith('2026-W48,overall,')).length;
    expect(perScope).toBe(33); // 17 figures, 5 age buckets, 11 barriers
    expect(lines).toHaveLength(1 + perScope * (1 + LANES.length));
    for (const line of lines) expect(line.split(',')).toHaveLength(6);
    expect(lines).toContain('2026-W48,overall,first_response_median_hours,3,10,-7');
    expect(lines).toContain('2026-W48,overall,first_response_within_window,0.625,0,0.625');
    expect(lines).toContain('2026-W48,referral,completion_rate,0.6667,0,0.6667');
    expect(lines).toContain('2026-W48,post_visit,resolved_on_time,0.3333,,');
    expect(lines).toContain('2026-W48,prior_auth,contact_rate,,,');
    expect(lines).toContain('2026-W48,overall,barrier_transportation,2,0,2');
    expect(lines).toContain('2026-W48,overall,unresolved_age_31_plus,1,1,0');
  });

  it('csv and text without a previous week leave the comparison empty', () => {
    expect(reportCsv(w48, null)).toContain('2026-W48,overall,unresolved_total,7,,\n');
    expect(reportText(w48, null)).not.toMatch(/[▲▼]/);
  });
});
