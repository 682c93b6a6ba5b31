/**
 * The weekly report's figures as rows (label, this week, last week, change), shared by
 * the text, CSV and Slack renderings so all three say the same thing, and the number
 * formatting they use. Anything unknown, empty or not finite is shown "—", never NaN.
 */
import { AGE_BUCKETS, change, headlineRates, type AgeBucket, type LaneFigures, type Ratio, type WeeklyMetrics } from '../domain/metrics';

/** How a figure is written: a rate as %, a duration in hours or days, or a count. */
export type FigureKind = 'rate' | 'hours' | 'days' | 'count';

/** One figure this week and last week. `better` says which direction is good news. */
export interface FigureRow {
  /** Stable machine name (CSV `metric` column), e.g. `first_response_median_hours`. */
  key: string;
  label: string;
  kind: FigureKind;
  value: number | null;
  previous: number | null;
  /** What a rate was computed from, e.g. "5 of 7". */
  detail: string | null;
  better: 'up' | 'down' | null;
}

/** What an unknown figure looks like in every rendering. */
export const DASH = '—';
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const known = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A figure in its unit: "71%", "3.5 h", "4.3 d", "1,204"; "—" when unknown. */
export function formatValue(kind: FigureKind, v: number | null | undefined): string {
  if (!known(v)) return DASH;
  if (kind === 'rate') return `${COUNT.format(v * 100)}%`;
  if (kind === 'hours') return `${ONE_DECIMAL.format(v)} h`;
  if (kind === 'days') return `${ONE_DECIMAL.format(v)} d`;
  return COUNT.format(v);
}

/** Week-over-week change with an arrow: "▲ 12 pts", "▼ 1.5 h", "= 0"; empty when either week is unknown. */
export function formatChange(kind: FigureKind, current: number | null | undefined, previous: number | null | undefined): string {
  const d = change(current, previous);
  if (d === null) return '';
  const size = kind === 'rate' ? `${COUNT.format(Math.abs(d) * 100)} pts` : formatValue(kind, Math.abs(d));
  // Rounded to what is shown, so "▲ 0 pts" never appears.
  if (size === '0 pts' || size === '0' || size === '0.0 h' || size === '0.0 d') return '= 0';
  return `${d > 0 ? '▲' : '▼'} ${size}`;
}

const rateDetail = (r: Ratio) =>
  known(r.numerator) && known(r.denominator) && r.denominator > 0 ? `${formatValue('count', r.numerator)} of ${formatValue('count', r.denominator)}` : null;

function rate(key: string, label: string, now: Ratio, before: Ratio | undefined): FigureRow {
  return { key, label, kind: 'rate', value: now.rate, previous: before?.rate ?? null, detail: rateDetail(now), better: 'up' };
}

function figure(key: string, label: string, kind: FigureKind, now: number | null, before: number | null | undefined, better: FigureRow['better']): FigureRow {
  return { key, label, kind, value: now, previous: before ?? null, detail: null, better };
}

/** Age bucket labels, e.g. "0–2 days", "over 30 days". */
export const AGE_LABELS: Record<AgeBucket, string> = {
  '0-2': '0–2 days',
  '3-7': '3–7 days',
  '8-14': '8–14 days',
  '15-30': '15–30 days',
  '31+': 'over 30 days',
};

/** The figures of one lane (or all lanes) in report order; lane-specific rates come from `headlineRows`. */
export function laneRows(f: LaneFigures, p: LaneFigures | null): FigureRow[] {
  const rows: FigureRow[] = [
    figure('first_response_median_hours', 'First response, median', 'hours', f.firstResponseHours.median, p?.firstResponseHours.median, 'down'),
    figure('first_response_p90_hours', 'First response, 90th percentile', 'hours', f.firstResponseHours.p90, p?.firstResponseHours.p90, 'down'),
    rate('first_response_within_window', 'First response within window', f.firstResponseWithinWindow, p?.firstResponseWithinWindow),
    rate('contact_rate', 'Contact rate', f.contactRate, p?.contactRate),
    rate('completion_rate', 'Closed as completed', f.completionRate, p?.completionRate),
    rate('resolved_on_time', 'Completed by target', f.resolvedOnTime, p?.resolvedOnTime),
    figure('trigger_to_completion_mean_days', 'Trigger to completion, mean', 'days', f.triggerToCompletionDays.mean, p?.triggerToCompletionDays.mean, 'down'),
    figure('trigger_to_completion_median_days', 'Trigger to completion, median', 'days', f.triggerToCompletionDays.median, p?.triggerToCompletionDays.median, 'down'),
    rate('referral_loop_closed', 'Referral loop closed', f.referralLoopClosed, p?.referralLoopClosed),
    figure('escalations_raised', 'Escalations raised', 'count', f.escalations.raised, p?.escalations.raised, null),
    figure('escalations_acknowledged', 'Escalations acknowledged', 'count', f.escalations.acknowledged, p?.escalations.acknowledged, null),
    figure('escalations_pending_at_end', 'Escalations unacknowledged at week end', 'count', f.escalations.pendingAtEnd, p?.escalations.pendingAtEnd, 'down'),
    figure('time_to_acknowledge_median_hours', 'Time to acknowledge, median', 'hours', f.escalations.ackHours.median, p?.escalations.ackHours.median, 'down'),
    figure('unresolved_total', 'Unresolved at week end', 'count', f.unresolved.total, p?.unresolved.total, 'down'),
    figure('unresolved_waiting_on_patient', 'Unresolved, waiting on patient', 'count', f.unresolved.waitingOnPatient, p?.unresolved.waitingOnPatient, null),
    figure('unresolved_overdue', 'Unresolved past resolution target', 'count', f.unresolved.overdue, p?.unresolved.overdue, 'down'),
    figure('unresolved_no_movement_7d', 'Unresolved, no movement in 7 days', 'count', f.unresolved.noMovement7d, p?.unresolved.noMovement7d, 'down'),
  ];
  for (const b of AGE_BUCKETS) {
    rows.push(figure(`unresolved_age_${b.replace('-', '_').replace('+', '_plus')}`, `Unresolved, ${AGE_LABELS[b]} old`, 'count', f.unresolved.byAge[b], p?.unresolved.byAge[b], null));
  }
  return rows;
}

/** The scorecard's headline, SPEC §9 order: the overall figures managers read first. */
export function headlineRows(m: WeeklyMetrics, prev: WeeklyMetrics | null): FigureRow[] {
  const o = laneRows(m.overall, prev?.overall ?? null);
  const pick = (key: string) => o.find((r) => r.key === key)!;
  const h = headlineRates(m);
  const hp = prev ? headlineRates(prev) : null;
  return [
    pick('first_response_median_hours'),
    pick('first_response_p90_hours'),
    pick('first_response_within_window'),
    pick('contact_rate'),
    rate('referral_conversion', 'Referral conversion', h.referralConversion, hp?.referralConversion),
    rate('no_show_recovery', 'No-show recovery', h.noShowRecovery, hp?.noShowRecovery),
    rate('post_visit_on_time', 'Post-visit on time', h.postVisitOnTime, hp?.postVisitOnTime),
    pick('trigger_to_completion_mean_days'),
    pick('trigger_to_completion_median_days'),
    rate('referral_loop_closed', 'Referral loop closed', h.referralLoopClosed, hp?.referralLoopClosed),
    pick('escalations_raised'),
    pick('escalations_acknowledged'),
    pick('time_to_acknowledge_median_hours'),
    pick('unresolved_total'),
    pick('unresolved_overdue'),
    pick('unresolved_no_movement_7d'),
  ];
}
