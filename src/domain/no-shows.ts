/**
 * A missed-appointment case shows the patient's earlier no-shows (SPEC §2): other
 * missed appointments of the same patient (MRN) in the 12 months before this case's
 * trigger. Later no-shows do not count: they say nothing of the history the
 * coordinator had when this one happened. A count is not PHI.
 */
import { subMonths } from 'date-fns';
import type { Case } from './types';

export const NO_SHOW_HISTORY_MONTHS = 12;

/** The instants whose no-shows count for this case, `from` inclusive, `to` exclusive; null outside the lane. */
export function noShowWindow(c: Pick<Case, 'lane' | 'occurredAt'>): { from: Date; to: Date } | null {
  if (c.lane !== 'missed_appointment') return null;
  return { from: subMonths(c.occurredAt, NO_SHOW_HISTORY_MONTHS), to: c.occurredAt };
}

/** "2 earlier no-shows in 12 months", "No earlier no-shows in 12 months". */
export function earlierNoShowsText(n: number): string {
  const count = n === 0 ? 'No earlier no-shows' : `${n} earlier no-show${n === 1 ? '' : 's'}`;
  return `${count} in ${NO_SHOW_HISTORY_MONTHS} months`;
}
