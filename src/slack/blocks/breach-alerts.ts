/**
 * What the SLA sweep says: one DM per person listing their newly breached cases, and
 * one coordinators-channel summary per sweep listing every new breach, never one
 * message per case; and one reminder DM per person before due times nobody has worked. Lines carry case number, patient label, lane, tier, what was due
 * and when, and the owner (SPEC §6); notification `text` carries counts only.
 */
import type { Policy } from '../../domain/policy';
import type { BreachItem, ReminderItem } from '../../domain/alerts';
import { caseLineParts, missedWhat } from './case-line';
import { clip, formatPracticeDate, formatPracticeTime } from './format';
import { context, header, section, type SlackMessage } from './kit';
import { MessageBudget } from './message-budget';

export interface BreachMessageContext {
  policy: Policy;
  /** Patient label of each listed case (read at delivery); missing or empty shows none. */
  labels: ReadonlyMap<number, string>;
}

/** Longest line; a section packs lines up to Slack's 3,000 characters. */
const LINE_MAX = 220;
const LINES_PER_SECTION = 12;
/** Lines a message shows before "and N more — open App Home". */
export const BREACH_LINES_MAX = 40;

/** "first response due Mon Nov 30, 11:30 AM" / "next step due Mon Nov 30". */
function comingWhat(i: Pick<ReminderItem, 'kind' | 'due'>, policy: Policy): string {
  return i.kind === 'first_response'
    ? `first response due ${formatPracticeTime(new Date(i.due), policy.calendar)}`
    : `next step due ${formatPracticeDate(i.due)}`;
}

function breachLine(i: BreachItem, ctx: BreachMessageContext, audience: 'channel' | 'dm'): string {
  const parts = [...caseLineParts(i, ctx.labels.get(i.caseId), ctx.policy), missedWhat(i, ctx.policy)];
  if (audience === 'channel') {
    if (!i.ownerId) parts.push('_unclaimed_');
    else if (i.route.coveringFor) parts.push(`owner <@${i.ownerId}> away: sent to backup <@${i.route.dmTo}>`);
    else if (i.route.channelOnly === 'owner_away') parts.push(`owner <@${i.ownerId}> away, no backup on duty`);
    else parts.push(`owner <@${i.ownerId}>`);
  } else if (i.route.coveringFor) {
    parts.push(`covering for <@${i.route.coveringFor}> (away)`);
  }
  return clip(`• ${parts.join(' · ')}`, LINE_MAX);
}

/** Lines into sections, as many as fit; then "and N more — open App Home" for the rest. */
function listBlocks(budget: MessageBudget, lines: string[], total: number, closing = 'Add a note on each case card once you have reached out.'): void {
  let shown = 0;
  const limit = Math.min(lines.length, BREACH_LINES_MAX);
  while (shown < limit) {
    const chunk = lines.slice(shown, Math.min(limit, shown + LINES_PER_SECTION));
    if (!budget.tryAdd([section(chunk.join('\n'))])) break;
    shown += chunk.length;
  }
  const more = total - shown;
  budget.close(more > 0 ? [context(`…and ${more} more — open App Home for the full list.`)] : [context(closing)]);
}

/** The coordinators-channel summary of one sweep's new breaches. */
export function breachSummaryMessage(p: { total: number; items: BreachItem[] }, ctx: BreachMessageContext): SlackMessage {
  const unclaimed = p.items.filter((i) => !i.ownerId).length;
  const title = `${p.total} case${p.total === 1 ? '' : 's'} newly overdue`;
  const budget = new MessageBudget();
  budget.tryAdd([header(`:alarm_clock: ${title}`)]);
  if (unclaimed > 0) budget.tryAdd([context(`${unclaimed}${p.items.length < p.total ? '+' : ''} unclaimed: claim them from their case cards. Owners were sent a DM (their backup while they are away).`)]);
  listBlocks(budget, p.items.map((i) => breachLine(i, ctx, 'channel')), p.total);
  return { text: `${title}: see the list`, blocks: budget.blocks };
}

/** One person's DM: every case of theirs (or covered for an away owner) that breached in this sweep. */
export function breachDirectMessage(items: BreachItem[], ctx: BreachMessageContext): SlackMessage {
  const n = items.length;
  const covering = items.some((i) => i.route.coveringFor);
  const title = `${n} of ${covering ? 'the cases you look after' : 'your cases'} ${n === 1 ? 'is' : 'are'} past due`;
  const budget = new MessageBudget();
  budget.tryAdd([section(`:alarm_clock: *${title}*`)]);
  listBlocks(budget, items.map((i) => breachLine(i, ctx, 'dm')), n);
  return { text: title, blocks: budget.blocks };
}

/** One person's reminder: their cases with a first response or next step due soon and nothing logged toward it. */
export function reminderDirectMessage(items: ReminderItem[], ctx: BreachMessageContext): SlackMessage {
  const n = items.length;
  const covering = items.some((i) => i.coveringFor);
  const title = `${n} of ${covering ? 'the cases you look after' : 'your cases'} ${n === 1 ? 'is' : 'are'} due soon`;
  const lines = items.map((i) => {
    const parts = [...caseLineParts(i, ctx.labels.get(i.caseId), ctx.policy), comingWhat(i, ctx.policy)];
    if (i.coveringFor) parts.push(`covering for <@${i.coveringFor}> (away)`);
    return clip(`• ${parts.join(' · ')}`, LINE_MAX);
  });
  const budget = new MessageBudget();
  budget.tryAdd([section(`:hourglass_flowing_sand: *${title}*`)]);
  listBlocks(budget, lines, n, 'Nothing is logged toward these yet: add a note on each case card when you reach out.');
  return { text: title, blocks: budget.blocks };
}
