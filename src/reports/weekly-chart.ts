/**
 * The weekly report's picture: first-response % within window (line, top) and cases
 * unresolved at each week's end, stacked by lane (bars, bottom), over the last weeks.
 * echarts renders server-side to SVG (no canvas, nothing downloaded at install) and
 * resvg turns the SVG into the PNG Slack shows inline.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { LANES } from '../domain/types';
import type { WeeklyTrend } from '../domain/metrics';

export type { TrendPoint, WeeklyTrend } from '../domain/metrics';

/** The chart's size in CSS pixels; the PNG is twice as large. */
export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 560;
const FONT = 'DejaVu Sans';
const LEGEND_WIDTH = 248;
const LEGEND_CHARS = 34;

/** The chart as an SVG document. */
export function weeklyChartSvg(series: WeeklyTrend): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    const weeks = series.weeks.map((p) => p.week);
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT },
      title: [
        { text: 'First response within window (all lanes)', left: 16, top: 8, textStyle: { fontSize: 15 } },
        { text: 'Unresolved at week end, by lane', left: 16, top: 262, textStyle: { fontSize: 15 } },
      ],
      // Vertical, beside the bars: server-side text measurement is approximate, and a horizontal
      // legend's labels would overlap. Both grids share the right margin so the weeks line up.
      legend: {
        data: LANES.map((lane) => series.laneLabels[lane] ?? lane),
        orient: 'vertical',
        left: CHART_WIDTH - LEGEND_WIDTH,
        top: 298,
        // Lane labels come from the policy file (up to 60 characters): keep the legend inside the picture.
        formatter: (name: string) => (name.length > LEGEND_CHARS ? `${name.slice(0, LEGEND_CHARS - 1)}…` : name),
        itemWidth: 14,
        itemHeight: 10,
        textStyle: { fontSize: 11 },
      },
      grid: [
        { left: 64, right: LEGEND_WIDTH + 12, top: 44, height: 180 },
        { left: 64, right: LEGEND_WIDTH + 12, top: 298, height: 200 },
      ],
      xAxis: [
        { type: 'category', data: weeks, gridIndex: 0 },
        { type: 'category', data: weeks, gridIndex: 1 },
      ],
      yAxis: [
        { type: 'value', min: 0, max: 100, gridIndex: 0, axisLabel: { formatter: '{value}%' } },
        { type: 'value', minInterval: 1, gridIndex: 1 },
      ],
      series: [
        {
          name: 'Within window',
          type: 'line',
          xAxisIndex: 0,
          yAxisIndex: 0,
          symbolSize: 7,
          lineStyle: { width: 3 },
          label: { show: true, formatter: '{c}%', fontSize: 11 },
          // A week in which no window ended has no rate: a gap, not a fall to 0 %.
          data: series.weeks.map((p) => (p.withinWindowRate === null || !Number.isFinite(p.withinWindowRate) ? '-' : Math.round(p.withinWindowRate * 100))),
        },
        ...LANES.map((lane) => ({
          name: series.laneLabels[lane] ?? lane,
          type: 'bar',
          stack: 'unresolved',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: series.weeks.map((p) => p.unresolvedByLane[lane] ?? 0),
        })),
      ],
    });
    return chart.renderToSVGString();
  } finally {
    // Without dispose the renderer keeps timers alive and the process never exits.
    chart.dispose();
  }
}

/** The chart as a PNG (rendered at twice the size, so it stays sharp on high-density screens). */
export async function renderWeeklyChart(series: WeeklyTrend): Promise<Buffer> {
  const svg = weeklyChartSvg(series);
  const png = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: CHART_WIDTH * 2 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
