/**
 * Cases as compact one-line entries (case number, patient label, lane, tier, state,
 * due time, owner), packed into as few sections as Slack allows, with a summary line
 * past the limit. Shared by `/followup mine|queue` and App Home. No patient field
 * beyond the patient label ever appears (SPEC §6).
 */
import type { PatientLabelMode } from '../../domain/types';
import type { PracticeCalendar } from '../../domain/calendar';
import { TIER_LABELS, type Policy } from '../../domain/policy';
import { caseDue, isOverdue, type DueKind } from '../../domain/queue';
import type { Case } from '../../domain/types';
import { clip, escapeMrkdwn, formatPracticeTime } from './format';
import { context, section, SECTION_MAX, type KnownBlock } from './kit';
import { STATE_LABELS } from '../../domain/labels';
import { patientLabel } from './patient-label';

/** Longest single entry; keeps even a full list far below Slack's per-message text budget. */
export const LINE_MAX = 200;

export interface CaseLineOptions {
  policy: Policy;
  labelMode: PatientLabelMode;
  now: Date;
  /** Name the owner (queues); a user's own list need not. */
  showOwner?: boolean;
}

const DUE_WORDS: Record<DueKind, string> = {
  first_response: 'first response due',
  next_action: 'next action due',
  resolution: 'resolve by',
};

/** One case as a line: `*FU-1042* · AL ·2345 · Referral follow-up · High · Active · next action due Mon Nov 30 · owner @x`. */
export function caseLine(c: Case, o: CaseLineOptions): string {
  const cal: PracticeCalendar = o.policy.calendar;
  const due = caseDue(cal, c);
  const label = patientLabel(c.patient, o.labelMode);
  const parts = [
    `*${c.number}*`,
    ...(label ? [escapeMrkdwn(label)] : []),
    escapeMrkdwn(o.policy.lanes[c.lane].label),
    TIER_LABELS[c.tier],
    STATE_LABELS[c.state],
    `${DUE_WORDS[due.kind]} ${formatPracticeTime(due.at, cal)}`,
  ];
  if (o.showOwner) parts.push(c.ownerId ? `owner <@${c.ownerId}>` : '_unclaimed_');
  const overdue = isOverdue(cal, c, o.now) ? ':warning: *overdue* · ' : '';
  return clip(`${overdue}${parts.join(' · ')}`, LINE_MAX);
}

/** Joins lines into chunks each within one section's text limit. */
export function packLines(lines: readonly string[], max = SECTION_MAX): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks;
}

export interface CaseListInput extends CaseLineOptions {
  /** Prefix of the block ids (`<blockId>_0`, `<blockId>_1`, … and `<blockId>_more`). */
  blockId: string;
  cases: readonly Case[];
  /** At most this many entries are listed; the rest are summarised. */
  max: number;
  /** Said when there are none. */
  empty: string;
  /** Where the rest can be seen, e.g. "open App Home". */
  moreHint: string;
  /** How many cases there are in all, when `cases` holds only the first ones. */
  total?: number;
}

/** Sections listing up to `max` cases, then "and 212 more — <hint>" when there are more. */
export function caseListBlocks(input: CaseListInput): KnownBlock[] {
  if (input.cases.length === 0) return [{ ...context(input.empty), block_id: `${input.blockId}_empty` } as KnownBlock];
  const shown = input.cases.slice(0, input.max).map((c) => caseLine(c, input));
  const blocks: KnownBlock[] = packLines(shown).map((text, i) => ({ ...section(text), block_id: `${input.blockId}_${i}` }) as KnownBlock);
  const more = (input.total ?? input.cases.length) - shown.length;
  if (more > 0) blocks.push({ ...context(`and ${more} more — ${input.moreHint}`), block_id: `${input.blockId}_more` } as KnownBlock);
  return blocks;
}
