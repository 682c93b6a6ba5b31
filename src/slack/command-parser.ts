/**
 * `/followup` text → what the user asked for. Pure: no Slack, no database. Problems
 * with the arguments come back as `invalid` with a message naming the argument, so
 * the handler only has to show it.
 */
import { isValidLocalDate } from '../domain/calendar';
import { isIsoWeek } from '../domain/iso-week';
import { LANES, type LaneKey } from '../domain/types';
import { USAGE } from './blocks/followup-messages';
import { caseIdFromNumber } from '../domain/case-number';

export type FollowupCommand =
  | { kind: 'help' }
  | { kind: 'new' }
  | { kind: 'mine' }
  | { kind: 'queue'; lane: LaneKey | null }
  | { kind: 'case'; caseId: number }
  | { kind: 'away'; from: string; to: string }
  | { kind: 'report'; week: string | null }
  /** A known subcommand with a bad argument; `message` names it. */
  | { kind: 'invalid'; subcommand: string; message: string }
  /** Input that is no subcommand at all; answered with help. */
  | { kind: 'unknown'; input: string };

/**
 * Parses the text after `/followup`. Subcommands are case-insensitive; an empty
 * text is `help`. `laneLabels` lets a lane be named by its label (e.g. "Discharge
 * outreach") as well as by its key (`discharge`).
 */
export function parseFollowup(text: string, laneLabels: Partial<Record<LaneKey, string>> = {}): FollowupCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [head, ...args] = words;
  if (!head) return { kind: 'help' };
  const sub = head.toLowerCase();
  switch (sub) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'new':
    case 'mine':
      return args.length === 0 ? { kind: sub } : tooMany(sub);
    case 'queue':
      return parseQueue(args, laneLabels);
    case 'case':
      return parseCase(args);
    case 'away':
      return parseAway(args);
    case 'report':
      return parseReport(args);
    default:
      return { kind: 'unknown', input: text.trim() };
  }
}

function tooMany(sub: keyof typeof USAGE): FollowupCommand {
  return { kind: 'invalid', subcommand: sub, message: `\`${sub}\` takes no arguments. Usage: \`${USAGE[sub]}\`` };
}

function parseQueue(args: string[], laneLabels: Partial<Record<LaneKey, string>>): FollowupCommand {
  if (args.length === 0) return { kind: 'queue', lane: null };
  const wanted = args.join(' ');
  const lane = laneFrom(wanted, laneLabels);
  if (lane) return { kind: 'queue', lane };
  return {
    kind: 'invalid',
    subcommand: 'queue',
    message: `lane: "${clipArg(wanted)}" is not a lane. Use one of: ${LANES.map((l) => `\`${l}\``).join(', ')}.`,
  };
}

/** A lane named by key (`post_visit`, `post-visit`), or by its label, ignoring case. */
export function laneFrom(text: string, laneLabels: Partial<Record<LaneKey, string>> = {}): LaneKey | null {
  const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const wanted = norm(text);
  const byKey = LANES.find((l) => l === wanted);
  if (byKey) return byKey;
  return LANES.find((l) => laneLabels[l] !== undefined && norm(laneLabels[l]!) === wanted) ?? null;
}

function parseCase(args: string[]): FollowupCommand {
  if (args.length !== 1) {
    return { kind: 'invalid', subcommand: 'case', message: `case number: name one case. Usage: \`${USAGE.case}\`` };
  }
  const caseId = caseIdFromNumber(args[0]!);
  if (caseId === null || caseId < 1) {
    return { kind: 'invalid', subcommand: 'case', message: `case number: "${clipArg(args[0]!)}" is not a case number such as FU-1042.` };
  }
  return { kind: 'case', caseId };
}

function parseAway(args: string[]): FollowupCommand {
  if (args.length !== 2) {
    return { kind: 'invalid', subcommand: 'away', message: `away needs a first and a last day. Usage: \`${USAGE.away}\` (both days included)` };
  }
  const [from, to] = args as [string, string];
  const problems: string[] = [];
  if (!isValidLocalDate(from)) problems.push(`from: "${clipArg(from)}" is not a date (YYYY-MM-DD)`);
  if (!isValidLocalDate(to)) problems.push(`to: "${clipArg(to)}" is not a date (YYYY-MM-DD)`);
  if (problems.length > 0) return { kind: 'invalid', subcommand: 'away', message: `${problems.join('; ')}. Usage: \`${USAGE.away}\`` };
  return { kind: 'away', from, to };
}

function parseReport(args: string[]): FollowupCommand {
  if (args.length === 0) return { kind: 'report', week: null };
  const week = args[0]!.toUpperCase();
  if (args.length > 1 || !isIsoWeek(week)) {
    return { kind: 'invalid', subcommand: 'report', message: `week: "${clipArg(args.join(' '))}" is not an ISO week such as 2026-W47. Usage: \`${USAGE.report}\`` };
  }
  return { kind: 'report', week };
}

/** User text echoed back is kept short and free of mrkdwn control characters. */
function clipArg(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return short.replace(/[<>&`*_~]/g, '');
}
