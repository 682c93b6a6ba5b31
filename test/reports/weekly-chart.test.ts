/** The weekly chart: its series agree with the scorecard, and it renders a real, non-blank PNG. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANE_LABELS } from '../../src/domain/policy';
import { LANES } from '../../src/domain/types';
import { CHART_HEIGHT, CHART_WIDTH, renderWeeklyChart, weeklyChartSvg, type WeeklyTrend } from '../../src/reports/weekly-chart';
import { weeklyTrend } from '../../src/services/weekly-trend';
import { computeWeeklyMetrics } from '../../src/services/metrics-service';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { buildFortnight, thanksgivingPolicy } from '../metrics/week-fixture';
import { PNG_SIGNATURE, colourCounts, decodePng } from './png';
import { MetricsStore } from '../../src/store/metrics-store';
import { closeChartPool, renderChartOffThread } from '../../src/reports/chart-pool';

describe.each(ENGINES)('weeklyTrend on %s', (engine) => {
  let db: TestDatabase;
  let trend: WeeklyTrend;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await buildFortnight(db);
    trend = await weeklyTrend(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W48');
  }, 60_000);
  afterAll(async () => {
    await db.destroy();
  });

  it('covers the 8 weeks ending with the reported one, oldest first', () => {
    expect(trend.weeks.map((p) => p.week)).toEqual(['2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    expect(trend.laneLabels.discharge).toBe('Discharge outreach');
  });

  it('agrees with the scorecard of each week', async () => {
    for (const point of trend.weeks) {
      const m = await computeWeeklyMetrics(new MetricsStore(db.knex), thanksgivingPolicy(), point.week);
      expect(point.withinWindowRate).toBe(m.overall.firstResponseWithinWindow.rate);
      for (const lane of LANES) expect(point.unresolvedByLane[lane]).toBe(m.lanes[lane].unresolved.total);
    }
    expect(trend.weeks.at(-1)!.withinWindowRate).toBeCloseTo(5 / 8, 10);
    expect(trend.weeks[0]!.withinWindowRate).toBeNull(); // no window ended in W41
  });

  it('refuses a nonsensical number of weeks', async () => {
    await expect(weeklyTrend(new MetricsStore(db.knex), thanksgivingPolicy(), '2026-W48', 0)).rejects.toThrow(RangeError);
  });
});

const sample: WeeklyTrend = {
  laneLabels: LANE_LABELS,
  weeks: Array.from({ length: 8 }, (_, i) => ({
    week: `2026-W${41 + i}`,
    withinWindowRate: i === 2 ? null : 0.5 + i / 20,
    unresolvedByLane: Object.fromEntries(LANES.map((l, j) => [l, (i + j) % 5])) as WeeklyTrend['weeks'][number]['unresolvedByLane'],
  })),
};

describe('renderWeeklyChart', () => {
  it('draws both panels with week and lane labels, and a gap (not 0 %) for a week with no windows', () => {
    const svg = weeklyChartSvg(sample);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('2026-W48');
    expect(svg).toContain('Monitoring engagement');
    expect(svg).toContain('First response within window');
    expect(svg).not.toMatch(/NaN|undefined/);
    expect(svg).toContain('>55%<'); // data labels
    // "0%" only on the axis: the week without windows is not drawn as a 0 % point.
    expect(svg.split('>0%<')).toHaveLength(2);
  });

  it('renders a valid, sensibly sized PNG whose pixels are not blank', async () => {
    const png = await renderWeeklyChart(sample);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
    expect(png.length).toBeLessThan(2_000_000);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([CHART_WIDTH * 2, CHART_HEIGHT * 2]);
    const colours = colourCounts(img);
    const white = colours.get('255,255,255') ?? 0;
    const total = img.width * img.height;
    expect(white / total).toBeGreaterThan(0.4); // a white background …
    expect(white / total).toBeLessThan(0.97); // … with a real drawing on it
    expect(colours.size).toBeGreaterThan(50); // anti-aliased text, lines and several lane colours
    // The stacked bars fill the lower panel with saturated colour.
    const bars = colourCounts(img, { x0: 140, y0: 640, x1: 1380, y1: 980 });
    const saturated = [...bars].filter(([rgb]) => {
      const [r, g, b] = rgb.split(',').map(Number) as [number, number, number];
      return Math.max(r, g, b) - Math.min(r, g, b) > 60;
    });
    expect(saturated.reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(20_000);
  });

  it('renders an empty practice (no rates, no cases) without failing', async () => {
    const empty: WeeklyTrend = { ...sample, weeks: sample.weeks.map((p) => ({ ...p, withinWindowRate: null, unresolvedByLane: Object.fromEntries(LANES.map((l) => [l, 0])) as typeof p.unresolvedByLane })) };
    const img = decodePng(await renderWeeklyChart(empty));
    expect(img.width).toBe(CHART_WIDTH * 2);
    expect(colourCounts(img).size).toBeGreaterThan(10); // axes, titles and legend still drawn
  });

  it('renders the same PNG on its worker thread as on the main thread', async () => {
    try {
      const offThread = await renderChartOffThread(sample);
      expect(offThread.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(offThread.equals(await renderWeeklyChart(sample))).toBe(true);
    } finally {
      await closeChartPool();
    }
  });
});
