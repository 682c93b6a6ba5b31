/**
 * One post for many automatic escalations (or re-raises) that one SLA sweep produced
 * for one channel, instead of a post each: a line per escalation with its own
 * Acknowledge button, as many as fit, then "and N more — open App Home".
 */
import { ESCALATION_LABELS } from '../../domain/escalation';
import type { Policy } from '../../domain/policy';
import type { Case, Escalation, EscalationTarget } from '../../domain/types';
import { ACTIONS } from '../ids';
import { caseLineParts } from './case-line';
import { clip } from './format';
import { button, context, header, type KnownBlock, type SlackMessage } from './kit';
import { MessageBudget } from './message-budget';

export interface EscalationSummaryContext {
  policy: Policy;
  /** Patient label of each listed case (read at delivery). */
  labels: ReadonlyMap<number, string>;
}

export interface EscalationSummaryInput {
  target: EscalationTarget;
  /** Newly raised and re-raised escalations to show, with their cases (the first few of each). */
  raised: { e: Escalation; c: Case }[];
  reraised: { e: Escalation; c: Case }[];
  /** How many of each there are in all. */
  raisedTotal: number;
  reraisedTotal: number;
}

const LINE_MAX = 300;

function line(e: Escalation, c: Case, ctx: EscalationSummaryContext): KnownBlock {
  const parts = [
    ...caseLineParts(c, ctx.labels.get(c.id), ctx.policy),
    ESCALATION_LABELS[e.reason],
    c.ownerId ? `owner <@${c.ownerId}>` : '_unclaimed_',
  ];
  const block: KnownBlock = { type: 'section', text: { type: 'mrkdwn', text: clip(parts.join(' · '), LINE_MAX) } };
  if (!e.acknowledgedAt) {
    // Same action as an escalation post's button (value: escalation id), so the same modal opens.
    (block as { accessory?: unknown }).accessory = button({ text: 'Acknowledge', actionId: ACTIONS.escalationAcknowledge, value: String(e.id), style: 'primary' });
  }
  return block;
}

/** The summary post for one channel. */
export function escalationSummaryMessage(input: EscalationSummaryInput, ctx: EscalationSummaryContext): SlackMessage {
  const { raisedTotal: r, reraisedTotal: rr } = input;
  const titles = [
    ...(r > 0 ? [`${r} automatic escalation${r === 1 ? '' : 's'}`] : []),
    ...(rr > 0 ? [`${rr} urgent escalation${rr === 1 ? '' : 's'} still unacknowledged`] : []),
  ];
  const title = titles.join(' · ');
  const budget = new MessageBudget();
  budget.tryAdd([header(title)]);
  let shown = 0;
  for (const [items, heading] of [
    [input.reraised, ':rotating_light: *Still unacknowledged after 1 business hour*'],
    [input.raised, '*Raised automatically by CareBridge*'],
  ] as const) {
    if (items.length === 0 || !budget.tryAdd([context(heading)], 2)) continue;
    for (const { e, c } of items) {
      if (!budget.tryAdd([line(e, c, ctx)])) break;
      shown += 1;
    }
  }
  const more = r + rr - shown;
  budget.close([context(more > 0 ? `…and ${more} more — open App Home. Acknowledge sends your guidance to the case's owner.` : "Acknowledge sends your guidance to the case's owner.")]);
  return { text: `${title} for the ${input.target} channel`, blocks: budget.blocks };
}
