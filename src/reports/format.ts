/**
 * The weekly report as text (a terminal or an email), JSON (other programs) and CSV
 * (a spreadsheet: one row per scope and metric, easy to pivot). Counts, rates and
 * durations only: nothing here can carry a patient detail.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { COUNTED_BARRIERS, topBarriers, type WeeklyMetrics } from '../domain/metrics';
import { LANES } from '../domain/types';
import { BARRIER_LABELS } from '../domain/labels';
import { AGE_LABELS, DASH, formatChange, formatValue, headlineRows, laneRows, type FigureRow } from './figures';

/** The formats `carebridge report --format` accepts. */
export const REPORT_FORMATS = ['text', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** "Mon Nov 23 – Sun Nov 29, 2026" in the practice zone. */
export function weekSpan(m: WeeklyMetrics): string {
  const first = new TZDate(new Date(m.start), m.timeZone);
  // The end is the next Monday 00:00; one millisecond earlier is still Sunday.
  const last = new TZDate(new Date(new Date(m.end).getTime() - 1), m.timeZone);
  return `${format(first, 'EEE MMM d')} – ${format(last, 'EEE MMM d, yyyy')}`;
}

/** The report in the requested format; text and CSV end with a newline. */
export function renderReport(current: WeeklyMetrics, previous: WeeklyMetrics | null, as: ReportFormat): string {
  if (as === 'json') return `${JSON.stringify(reportJson(current, previous), null, 2)}\n`;
  if (as === 'csv') return reportCsv(current, previous);
  return reportText(current, previous);
}

/** Both weeks' figures and the top barriers, as plain JSON. */
export function reportJson(current: WeeklyMetrics, previous: WeeklyMetrics | null) {
  return { week: current.week, previousWeek: previous?.week ?? null, current, previous, topBarriers: topBarriers(current.overall, previous?.overall ?? null) };
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** The by-lane table's columns: the figures that tell lanes apart at a glance. */
export const LANE_COLUMNS = [
  { key: 'first_response_median_hours', title: 'FR median' },
  { key: 'first_response_within_window', title: 'Within window' },
  { key: 'contact_rate', title: 'Contact' },
  { key: 'completion_rate', title: 'Completed' },
  { key: 'resolved_on_time', title: 'On time' },
  { key: 'unresolved_total', title: 'Unresolved' },
  { key: 'unresolved_waiting_on_patient', title: 'Waiting on patient' },
  { key: 'unresolved_overdue', title: 'Overdue' },
  { key: 'unresolved_no_movement_7d', title: 'No movement 7d' },
] as const;

/** One lane's cells for LANE_COLUMNS, formatted. */
export function laneCells(rows: FigureRow[]): string[] {
  return LANE_COLUMNS.map((c) => {
    const row = rows.find((r) => r.key === c.key)!;
    return formatValue(row.kind, row.value);
  });
}

const withDetail = (r: FigureRow) => (r.detail ? `${formatValue(r.kind, r.value)} (${r.detail})` : formatValue(r.kind, r.value));

/** A fixed-width report for a terminal. */
export function reportText(m: WeeklyMetrics, prev: WeeklyMetrics | null): string {
  const lines = [`CareBridge weekly report · ${m.week} · ${weekSpan(m)} (${m.timeZone})`, ''];
  lines.push(
    ...table([
      ['', 'This week', 'Last week', 'Change'],
      ...headlineRows(m, prev).map((r) => [r.label, withDetail(r), formatValue(r.kind, r.previous), formatChange(r.kind, r.value, r.previous)]),
    ]),
  );
  const top = topBarriers(m.overall, prev?.overall ?? null);
  lines.push('', 'Top barriers (cases with a note naming them)');
  if (top.length === 0) lines.push('  none named this week');
  else lines.push(...table(top.map((b) => [`  ${BARRIER_LABELS[b.barrier]}`, String(b.count), formatChange('count', b.count, b.previous)])));
  lines.push('', 'Unresolved at week end, by age since trigger');
  lines.push(...table(Object.entries(AGE_LABELS).map(([bucket, label]) => [`  ${label}`, String(m.overall.unresolved.byAge[bucket as keyof typeof AGE_LABELS])])));
  lines.push('', 'By lane');
  lines.push(
    ...table([
      ['Lane', ...LANE_COLUMNS.map((c) => c.title)],
      ...LANES.map((lane) => [m.laneLabels[lane], ...laneCells(laneRows(m.lanes[lane], null))]),
    ]),
  );
  lines.push('', `${DASH} means nothing to measure this week (for a rate: no cases in its denominator).`);
  return `${lines.join('\n')}\n`;
}

const CSV_HEADER = 'week,scope,metric,value,previous,change';

function csvNumber(v: number | null): string {
  // Four decimals keeps rates exact to 0.01 % and hours to under a second.
  return v === null || !Number.isFinite(v) ? '' : String(Math.round(v * 10_000) / 10_000);
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line per scope (overall, then each lane) and metric; unknown values are empty cells. */
export function reportCsv(m: WeeklyMetrics, prev: WeeklyMetrics | null): string {
  const lines = [CSV_HEADER];
  for (const scope of ['overall', ...LANES] as const) {
    const f = scope === 'overall' ? m.overall : m.lanes[scope];
    const p = prev ? (scope === 'overall' ? prev.overall : prev.lanes[scope]) : null;
    const rows = laneRows(f, p).map((r) => [r.key, r.value, r.previous] as const);
    for (const b of COUNTED_BARRIERS) rows.push([`barrier_${b}`, f.barriers[b], p ? p.barriers[b] : null]);
    for (const [key, value, previous] of rows) {
      const d = value !== null && previous !== null ? value - previous : null;
      lines.push([m.week, scope, key, csvNumber(value), csvNumber(previous), csvNumber(d)].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
