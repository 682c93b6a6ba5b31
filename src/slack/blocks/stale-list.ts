/**
 * The stale-work list (services/stale-work.ts) as Slack text: case number linking to its
 * card, lane, owner and days without movement. No patient field (SPEC §6).
 */
import type { Policy } from '../../domain/policy';
import type { StaleList } from '../../domain/digest';
import { escapeMrkdwn } from './format';

/** "Stale: no movement in 7 days (12)". */
export function staleHeading(list: StaleList): string {
  return `Stale: no movement in ${list.afterDays} days (${list.total})`;
}

/** One line per case, then how many more there are; null when nothing is stale. */
export function staleLines(list: StaleList, policy: Policy): string | null {
  if (list.total === 0) return null;
  const lines = list.cases.map((c) => {
    const number = c.card ? `<https://slack.com/archives/${c.card.channel}/p${c.card.ts.replace('.', '')}|${c.number}>` : c.number;
    const owner = c.ownerId ? `<@${c.ownerId}>` : 'unclaimed';
    return `• ${number} · ${escapeMrkdwn(policy.lanes[c.lane].label)} · ${owner} · ${c.days} day${c.days === 1 ? '' : 's'} without movement`;
  });
  const more = list.total - list.cases.length;
  if (more > 0) lines.push(`…and ${more} more`);
  return lines.join('\n');
}
