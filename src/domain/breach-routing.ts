/**
 * Who hears about a breached case (SPEC §3, §8): its owner by DM; the backup instead
 * while the owner is away; nobody by DM when the case is unclaimed (the coordinators
 * channel summary carries it). Pure: the caller says who is away today.
 */
import type { Case } from './types';

export interface AlertRoute {
  /** The person to DM, or null when only the channel hears of it. */
  dmTo: string | null;
  /** The away owner the backup is covering for, when the DM goes to the backup. */
  coveringFor: string | null;
  /** Why there is no DM: the case is unclaimed, or its owner and backup are both away (or it has no backup). */
  channelOnly: 'unclaimed' | 'owner_away' | null;
}

export function routeAlert(c: Pick<Case, 'ownerId' | 'backupId'>, away: ReadonlySet<string>): AlertRoute {
  if (!c.ownerId) return { dmTo: null, coveringFor: null, channelOnly: 'unclaimed' };
  if (!away.has(c.ownerId)) return { dmTo: c.ownerId, coveringFor: null, channelOnly: null };
  if (c.backupId && c.backupId !== c.ownerId && !away.has(c.backupId)) return { dmTo: c.backupId, coveringFor: c.ownerId, channelOnly: null };
  return { dmTo: null, coveringFor: null, channelOnly: 'owner_away' };
}
