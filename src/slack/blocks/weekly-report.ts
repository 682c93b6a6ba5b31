/**
 * The weekly report post for the managers channel (SPEC §8, §9): headline figures with
 * week-over-week arrows, the five top barriers, unresolved cases by age, and one line per
 * lane. Counts, rates and durations only, never a patient detail. Every block has its own
 * character budget, so whatever the figures, the message stays well inside Slack's limits
 * (9 blocks; at most 10 × 250 + 1,800 + 1,000 + 2,900 + about 650 = under 9,000 characters).
 */
import { AGE_BUCKETS, topBarriers, type WeeklyMetrics } from '../../domain/metrics';
import { LANES } from '../../domain/types';
import { AGE_LABELS, DASH, formatChange, formatValue, headlineRows, laneRows, type FigureRow } from '../../reports/figures';
import { weekSpan } from '../../reports/format';
import { clip, escapeMrkdwn } from './format';
import { context, divider, fields, header, section, type SlackMessage } from './kit';
import { BARRIER_LABELS } from '../../domain/labels';

const FIELD_BUDGET = 250;
const LINE_BUDGET = 340;
const BARRIERS_BUDGET = 1800;
const AGES_BUDGET = 1000;
const LANES_BUDGET = 2900;
const NOTIFICATION_BUDGET = 300;

const row = (rows: FigureRow[], key: string) => rows.find((r) => r.key === key)!;
const value = (r: FigureRow) => formatValue(r.kind, r.value);
const arrow = (r: FigureRow) => {
  const c = formatChange(r.kind, r.value, r.previous);
  return c ? `  ${c}` : '';
};

/** A headline field: bold label, the figure(s), and the change of the first. */
function field(label: string, main: FigureRow, ...more: FigureRow[]): string {
  const figures = [main, ...more].map(value).join(' · ');
  const detail = main.detail && more.length === 0 ? ` (${main.detail})` : '';
  return clip(`*${label}*\n${figures}${detail}${arrow(main)}`, FIELD_BUDGET);
}

function headline(m: WeeklyMetrics, prev: WeeklyMetrics | null): string[] {
  const h = headlineRows(m, prev);
  const r = (key: string) => row(h, key);
  return [
    field('First response (median · p90)', r('first_response_median_hours'), r('first_response_p90_hours')),
    field('Within response window', r('first_response_within_window')),
    field('Contact rate', r('contact_rate')),
    field('Referral conversion', r('referral_conversion')),
    field('No-show recovery', r('no_show_recovery')),
    field('Post-visit on time', r('post_visit_on_time')),
    field('Trigger to completion (mean · median)', r('trigger_to_completion_mean_days'), r('trigger_to_completion_median_days')),
    field('Referral loop closed', r('referral_loop_closed')),
    field('Escalations (raised · acknowledged · median time)', r('escalations_raised'), r('escalations_acknowledged'), r('time_to_acknowledge_median_hours')),
    field('Unresolved at week end (all · overdue · no movement 7d)', r('unresolved_total'), r('unresolved_overdue'), r('unresolved_no_movement_7d')),
  ];
}

function barriersText(m: WeeklyMetrics, prev: WeeklyMetrics | null): string {
  const top = topBarriers(m.overall, prev?.overall ?? null);
  if (top.length === 0) return '*Top barriers*\nNone named this week.';
  const lines = top.map((b, i) => {
    const moved = formatChange('count', b.count, b.previous);
    return clip(`${i + 1}. ${BARRIER_LABELS[b.barrier]} — ${formatValue('count', b.count)}${moved ? `  ${moved}` : ''}`, LINE_BUDGET);
  });
  return clip(`*Top barriers* (cases with a note naming them)\n${lines.join('\n')}`, BARRIERS_BUDGET);
}

function agesText(m: WeeklyMetrics): string {
  const parts = AGE_BUCKETS.map((b) => `${AGE_LABELS[b]}: ${formatValue('count', m.overall.unresolved.byAge[b])}`);
  return clip(`*Unresolved by age since trigger*\n${parts.join(' · ')}`, AGES_BUDGET);
}

/** One lane as one line; a lane with nothing to report says so instead of a row of dashes. */
function laneLine(m: WeeklyMetrics, lane: (typeof LANES)[number]): string {
  const rows = laneRows(m.lanes[lane], null);
  const r = (key: string) => value(row(rows, key));
  const label = `*${escapeMrkdwn(clip(m.laneLabels[lane] ?? lane, 60))}*`;
  const f = m.lanes[lane];
  const quiet = f.firstResponseHours.count + f.firstResponseWithinWindow.denominator + f.contactRate.denominator + f.completionRate.denominator + f.unresolved.total;
  if (quiet === 0) return `${label}: no activity`;
  return clip(
    `${label}: first response ${r('first_response_median_hours')} median, ${r('first_response_within_window')} in window · ` +
      `contact ${r('contact_rate')} · completed ${r('completion_rate')} · on time ${r('resolved_on_time')} · ` +
      `${r('unresolved_total')} unresolved (${r('unresolved_waiting_on_patient')} waiting on patient, ${r('unresolved_overdue')} overdue)`,
    LINE_BUDGET,
  );
}

/** The notification text: the figures that answer "is follow-up working?" in one line. */
function notification(m: WeeklyMetrics, prev: WeeklyMetrics | null): string {
  const h = headlineRows(m, prev);
  const fr = row(h, 'first_response_median_hours');
  const change = formatChange(fr.kind, fr.value, fr.previous);
  return clip(
    `Weekly follow-up report ${m.week}: first response ${value(fr)} median${change ? ` (${change})` : ''}, ` +
      `${value(row(h, 'first_response_within_window'))} within window, ${value(row(h, 'unresolved_total'))} unresolved ` +
      `(${value(row(h, 'unresolved_overdue'))} overdue).`,
    NOTIFICATION_BUDGET,
  );
}

/** The managers-channel post for `metrics`, compared with `previous` (null: no arrows). */
export function weeklyReportMessage(metrics: WeeklyMetrics, previous: WeeklyMetrics | null): SlackMessage {
  const m = metrics;
  const compared = previous ? ` · compared with ${previous.week}` : '';
  return {
    text: notification(m, previous),
    blocks: [
      header(`Weekly follow-up report · ${m.week}`),
      context(clip(`${weekSpan(m)} · ${escapeMrkdwn(m.timeZone)}${compared}`, LINE_BUDGET)),
      fields(headline(m, previous)),
      divider(),
      section(barriersText(m, previous)),
      section(agesText(m)),
      divider(),
      section(clip(`*By lane*\n${LANES.map((lane) => laneLine(m, lane)).join('\n')}`, LANES_BUDGET)),
      context(`${DASH} = nothing to measure this week.${previous ? ' ▲▼ = change from the week before.' : ''} Counts and rates only; definitions in the README.`),
    ],
  };
}
