/**
 * The daily digest for the coordinators channel: per-lane open, unclaimed, due-today
 * and overdue counts, and the most overdue cases with their owner (a Claim button on
 * unclaimed ones), grouped by location when there is more than one. Fits Slack's
 * limits at any queue size: what does not fit is counted ("and N more — open App Home").
 */
import type { Policy } from '../../domain/policy';
import type { DailyDigest, DigestCase, DigestGroup } from '../../domain/digest';
import type { QueueCounts } from '../../domain/queue';
import { ACTIONS } from '../ids';
import { caseLineParts, missedWhat } from './case-line';
import { clip, escapeMrkdwn, formatPracticeDate, formatPracticeTime } from './format';
import { button, context, header, section, type KnownBlock, type SlackMessage } from './kit';
import { MessageBudget } from './message-budget';
import { staleHeading, staleLines } from './stale-list';

export interface DigestMessageContext {
  policy: Policy;
  /** Patient label of each listed case (read at delivery). */
  labels: ReadonlyMap<number, string>;
}

const LINE_MAX = 300;

function counts(t: QueueCounts): string {
  return `${t.open} open · ${t.unclaimed} unclaimed · ${t.dueToday} due today · ${t.overdue > 0 ? `:warning: *${t.overdue} overdue*` : '0 overdue'}`;
}

function caseBlock(c: DigestCase, ctx: DigestMessageContext): KnownBlock {
  const parts = [
    ...caseLineParts(c, ctx.labels.get(c.caseId), ctx.policy),
    missedWhat(c, ctx.policy),
    c.ownerId ? `owner <@${c.ownerId}>` : '_unclaimed_',
  ];
  const block = section(clip(parts.join(' · '), LINE_MAX));
  if (!c.ownerId) {
    // The case card's own Claim action (value: case id), so claiming here works exactly as on the card.
    (block as { accessory?: unknown }).accessory = button({ text: 'Claim', actionId: ACTIONS.caseClaim, value: String(c.caseId), style: 'primary' });
  }
  return block;
}

function groupHeading(g: DigestGroup, ctx: DigestMessageContext, grouped: boolean): string {
  const lanes = g.lanes.map((l) => `*${escapeMrkdwn(ctx.policy.lanes[l.lane].label)}*: ${counts(l)}`);
  const title = grouped ? [`:round_pushpin: *${escapeMrkdwn(g.location ?? 'No location')}* — ${counts(g.totals)}`] : [];
  return clip([...title, ...(lanes.length > 0 ? lanes : ['No open cases.'])].join('\n'), 3000);
}

/** Adds one group (heading, lane counts, most overdue cases); false when not even its heading fits. */
function addGroup(budget: MessageBudget, g: DigestGroup, ctx: DigestMessageContext, grouped: boolean): boolean {
  if (!budget.tryAdd([section(groupHeading(g, ctx, grouped))], 3, 600)) return false;
  let shown = 0;
  if (g.mostOverdue.length > 0 && budget.tryAdd([context(grouped ? 'Most overdue here:' : '*Most overdue:*')], 3, 600)) {
    for (const c of g.mostOverdue) {
      if (!budget.tryAdd([caseBlock(c, ctx)], 3, 600)) break;
      shown += 1;
    }
  }
  const more = g.totals.overdue - shown;
  if (more > 0 && shown > 0) budget.tryAdd([context(`…and ${more} more overdue${grouped ? ' here' : ''} — open App Home.`)], 2, 300);
  return true;
}

/** The digest message for the coordinators channel. */
export function dailyDigestMessage(d: DailyDigest, ctx: DigestMessageContext): SlackMessage {
  const budget = new MessageBudget();
  const day = formatPracticeDate(d.date);
  budget.tryAdd([header(`Daily digest · ${day}`), context(`${counts(d.totals)}${d.grouped ? ` · ${d.groups.length} locations` : ''}`)]);
  let shownGroups = 0;
  for (const g of d.groups) {
    if (!addGroup(budget, g, ctx, d.grouped)) break;
    shownGroups += 1;
  }
  const staleText = d.stale ? staleLines(d.stale, ctx.policy) : null;
  if (d.stale && staleText) budget.tryAdd([section(`*${staleHeading(d.stale)}*\n${staleText}`)], 2, 1_500);
  const hidden = d.groups.length - shownGroups;
  const closing = hidden > 0
    ? `…and ${hidden} more location${hidden === 1 ? '' : 's'} — open App Home. Counted ${formatPracticeTime(new Date(d.at), ctx.policy.calendar)}.`
    : `Counted ${formatPracticeTime(new Date(d.at), ctx.policy.calendar)}. Open App Home for your own cases.`;
  budget.close([context(closing)]);
  const t = d.totals;
  return { text: `Daily digest ${day}: ${t.open} open, ${t.unclaimed} unclaimed, ${t.dueToday} due today, ${t.overdue} overdue`, blocks: budget.blocks };
}
