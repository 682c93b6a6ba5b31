/**
 * The ephemeral answers of `/followup`: help, case lists, and short notices.
 * Pure functions of domain data and `now`; PHI-free but for the patient label.
 */
import { caseListBlocks, type CaseLineOptions } from './case-list';
import { formatPracticeDate } from './format';
import { context, header, section, type SlackMessage } from './kit';
import type { Case } from '../../domain/types';

/** The usage line of each subcommand, for help and for argument errors. */
export const USAGE = {
  new: '/followup new',
  mine: '/followup mine',
  queue: '/followup queue [lane]',
  case: '/followup case FU-1042',
  away: '/followup away YYYY-MM-DD YYYY-MM-DD',
  report: '/followup report [YYYY-Www]',
  help: '/followup help',
} as const;

/** Entries listed in one answer; the rest are summarised (a message holds at most 50 blocks). */
export const LIST_MAX = 40;

const HELP_LINES: [string, string][] = [
  [USAGE.new, 'open a new follow-up case (coordinators and managers)'],
  [USAGE.mine, 'the cases you own or back up, by due time'],
  [USAGE.queue, 'the open cases of every lane, or of one lane (e.g. `referral`), by due time'],
  [USAGE.case, 'one case: lane, tier, state, owner and due time'],
  [USAGE.away, 'while you are away (both days included), your reminders and alerts go to each case\'s backup'],
  [USAGE.report, 'the weekly metrics, last week unless you name one (managers)'],
  [USAGE.help, 'this list'],
];

/** The `/followup` reference; `problem` (e.g. an unknown subcommand) is said first. */
export function helpMessage(problem?: string): SlackMessage {
  const lines = HELP_LINES.map(([usage, what]) => `\`${usage}\` — ${what}`).join('\n');
  return {
    text: problem ? `${problem} Here is what /followup can do.` : 'What /followup can do',
    blocks: [
      ...(problem ? [section(problem)] : []),
      section(`*CareBridge \`/followup\`*\n${lines}`),
      context('Patient details appear only when you press *View details* on a case card; every viewing is recorded.'),
    ],
  };
}

/** A short ephemeral notice (a refusal, a confirmation, an argument error). */
export function noticeMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

export interface CaseListMessageInput extends CaseLineOptions {
  title: string;
  cases: readonly Case[];
  empty: string;
}

/** A list of cases by due time, within one message's limits whatever its length. */
export function caseListMessage(input: CaseListMessageInput): SlackMessage {
  const n = input.cases.length;
  return {
    text: `${input.title}: ${n} case${n === 1 ? '' : 's'}`,
    blocks: [
      header(`${input.title} (${n})`),
      ...caseListBlocks({ ...input, blockId: 'list', max: LIST_MAX, moreHint: 'open App Home, or `/followup queue <lane>` for one lane' }),
    ],
  };
}

/** Confirms an away period. */
export function awayMessage(from: string, to: string): SlackMessage {
  const span = from === to ? `on ${formatPracticeDate(from)}` : `from ${formatPracticeDate(from)} to ${formatPracticeDate(to)}`;
  return noticeMessage(`You are away ${span}. Your reminders and alerts go to each case's backup for that period.`);
}
