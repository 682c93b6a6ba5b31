/** The pure arithmetic and definitions of domain/metrics.ts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/domain/calendar';
import {
  LANES,
} from '../../src/domain/types';
import {
  ageBucketStarts,
  buildWeeklyMetrics,
  change,
  distribution,
  emptyLaneCounts,
  isIsoWeek,
  median,
  percentile,
  ratio,
  shiftIsoWeek,
  topBarriers,
  type WeekFacts,
} from '../../src/domain/metrics';
import { LANE_LABELS } from '../../src/domain/policy';

function facts(fill: (lanes: WeekFacts['lanes']) => void = () => {}): WeekFacts {
  const lanes = Object.fromEntries(
    LANES.map((l) => [l, { counts: emptyLaneCounts(), samples: { firstResponseHours: [], completionDays: [], ackHours: [] } }]),
  ) as unknown as WeekFacts['lanes'];
  fill(lanes);
  return { week: '2026-W48', timeZone: 'America/New_York', start: new Date('2026-11-23T05:00:00Z'), end: new Date('2026-11-30T05:00:00Z'), laneLabels: LANE_LABELS, lanes };
}

describe('statistics', () => {
  it('are null on empty samples and zero denominators', () => {
    expect(ratio(0, 0)).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(ratio(0, 4).rate).toBe(0);
    expect(distribution([])).toEqual({ count: 0, mean: null, median: null, p90: null });
    expect(change(null, 0.5)).toBeNull();
    expect(change(0.75, 0.5)).toBe(0.25);
    expect(change(Number.NaN, 1)).toBeNull();
  });

  it('take the median of the middle two and the nearest-rank 90th percentile', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
  });

  it('keep median and p90 within the sample, p90 never below the median', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const d = distribution(xs);
        expect(d.median!).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(d.p90!).toBeLessThanOrEqual(Math.max(...xs));
        expect(d.p90!).toBeGreaterThanOrEqual(d.median! - 1e-9);
        expect(xs).toContain(d.p90);
      }),
    );
  });
});

describe('ISO weeks', () => {
  it('step across years, including 53-week years', () => {
    expect(shiftIsoWeek('2026-W01', -1)).toBe('2025-W52');
    expect(shiftIsoWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftIsoWeek('2026-W48', -8)).toBe('2026-W40');
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
    for (const bad of ['2026-48', '2026-W00', '2026-W5', 'W48', '']) expect(isIsoWeek(bad)).toBe(false);
    expect(() => shiftIsoWeek('2025-W53', 1)).toThrow(RangeError);
  });
});

describe('age buckets', () => {
  it('start at local midnights counted back from the week\'s Sunday', () => {
    const starts = ageBucketStarts(defaultCalendar(), new Date('2026-11-02T05:00:00Z'));
    // Sunday 1 November; 2 days back is Friday 30 October 00:00 EDT.
    expect(starts.map((d) => d.toISOString())).toEqual([
      '2026-10-30T04:00:00.000Z', '2026-10-25T04:00:00.000Z', '2026-10-18T04:00:00.000Z', '2026-10-02T04:00:00.000Z',
    ]);
  });
});

describe('buildWeeklyMetrics', () => {
  it('adds lanes into the overall figures and pools the samples', () => {
    const m = buildWeeklyMetrics(
      facts((l) => {
        Object.assign(l.referral.counts, { windowsDue: 4, windowsMet: 3, closed: 2, completed: 1, loopAsked: 1, loopTold: 1, open: 3 });
        l.referral.counts.ages['0-2'] = 3;
        l.referral.counts.barriers.cost = 2;
        l.referral.samples.firstResponseHours.push(1, 9);
        Object.assign(l.discharge.counts, { windowsDue: 1, closed: 1 });
        l.discharge.counts.barriers.cost = 1;
        l.discharge.samples.firstResponseHours.push(4);
      }),
    );
    expect(m.overall.firstResponseWithinWindow).toEqual(ratio(3, 5));
    expect(m.overall.firstResponseHours).toEqual({ count: 3, mean: 14 / 3, median: 4, p90: 9 });
    expect(m.overall.completionRate).toEqual(ratio(1, 3));
    expect(m.overall.referralLoopClosed).toEqual(ratio(1, 1));
    expect(m.overall.barriers.cost).toBe(3);
    expect(m.overall.unresolved.byAge['0-2']).toBe(3);
    expect(m.lanes.monitoring.completionRate.rate).toBeNull();
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('topBarriers', () => {
  it('keeps five, most cases first, ties in note-form order, with the change from last week', () => {
    const m = buildWeeklyMetrics(
      facts((l) => {
        Object.assign(l.referral.counts.barriers, { cost: 3, language: 3, transportation: 5, phone_tag: 1, insurance: 2, other: 1 });
      }),
    );
    const prev = buildWeeklyMetrics(facts((l) => Object.assign(l.referral.counts.barriers, { transportation: 7, technology: 4 })));
    expect(topBarriers(m.overall, prev.overall)).toEqual([
      { barrier: 'transportation', count: 5, previous: 7, change: -2 },
      { barrier: 'language', count: 3, previous: 0, change: 3 },
      { barrier: 'cost', count: 3, previous: 0, change: 3 },
      { barrier: 'insurance', count: 2, previous: 0, change: 2 },
      { barrier: 'phone_tag', count: 1, previous: 0, change: 1 },
    ]);
    // Without a week before there is nothing to compare: no change, rather than a change from 0.
    expect(topBarriers(prev.overall, null, 5)).toEqual([
      { barrier: 'transportation', count: 7, previous: null, change: null },
      { barrier: 'technology', count: 4, previous: null, change: null },
    ]);
  });
});
