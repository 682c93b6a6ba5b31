/**
 * The weekly report in the managers channel: last week's metrics as a Block Kit post
 * (with week-over-week change), then the trend chart uploaded as a PNG beneath it.
 * Computed at delivery from the audit trail as it stood at the week's end, so a late
 * or back-filled report shows that week's figures. Each step is remembered, so a retry
 * after a failure part-way never posts the report or the chart twice.
 */
import { computeWeeklyComparison } from '../../services/metrics-service';
import { renderChartOffThread } from '../../reports/chart-pool';
import { weeklyReportMessage } from '../blocks/weekly-report';
import type { DeliveryContext } from '../context';
import type { Deliverer } from './dispatcher';
import { findInHistory } from './stamped-client';

/** SlackMessageStore kinds of the two parts (ref: the ISO week). */
export const WEEKLY_POST_KIND = 'weekly_report';
export const WEEKLY_CHART_KIND = 'weekly_chart';
/** Weeks the chart shows, ending with the reported week. */
export const CHART_WEEKS = 8;

export function weeklyReportDeliverer(ctx: DeliveryContext): Deliverer<'weekly_report'> {
  return async ({ week }, item, client) => {
    const channel = ctx.config.SLACK_MANAGERS_CHANNEL;
    if (!(await ctx.records.posted(WEEKLY_POST_KIND, week))) {
      const { current, previous } = await ctx.reports.weeklyComparison(week);
      const posted = await client.chat.postMessage({ channel, ...weeklyReportMessage(current, previous) });
      await ctx.records.remember(WEEKLY_POST_KIND, week, { channel: posted.channel ?? channel, ts: posted.ts! }, ctx.clock.now());
    }
    if (!(await ctx.records.posted(WEEKLY_CHART_KIND, week))) {
      const filename = `carebridge-weekly-${week}.png`;
      // An upload whose answer was lost may have been shared: look for it before uploading again.
      const shared = item.uncertain ? await findInHistory(client, channel, item.createdAt, (m) => (m.files ?? []).some((f) => f.name === filename)) : null;
      if (shared) {
        await ctx.records.remember(WEEKLY_CHART_KIND, week, { channel, ts: shared.ts! }, ctx.clock.now());
        return;
      }
      // Rendered on a worker thread: the main thread keeps answering Slack meanwhile.
      const png = await renderChartOffThread(await ctx.reports.weeklyTrend(week, CHART_WEEKS));
      const uploaded = await client.filesUploadV2({
        channel_id: channel,
        file: png,
        filename,
        title: `Follow-up trend, ${CHART_WEEKS} weeks to ${week}`,
        initial_comment: `Chart for the ${week} report: first response within window, and cases unresolved at each week's end by lane.`,
      });
      const fileId = (uploaded.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id ?? 'uploaded';
      await ctx.records.remember(WEEKLY_CHART_KIND, week, { channel, ts: `file:${fileId}` }, ctx.clock.now());
    }
  };
}
