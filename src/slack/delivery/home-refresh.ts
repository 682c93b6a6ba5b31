import type { DeliveryContext } from '../context';
import { publishHome } from '../home-publisher';
import type { Deliverer } from './dispatcher';

/**
 * Recent audit entries looked at for people who just stopped owning or backing up the
 * case (refreshes are coalesced, so one may stand for several changes).
 */
const RECENT_EVENTS = 5;

/**
 * `home_refresh` (ref: case id): republishes App Home for the case's owner and backup,
 * and for whoever a recent reassignment took it from, so every affected list follows
 * the change. A Web API error is thrown to the dispatcher, which retries the whole
 * refresh (publishing twice is harmless).
 */
export function homeRefreshDeliverer(ctx: DeliveryContext): Deliverer {
  return async (item, client) => {
    if (!ctx.roles) throw new Error('home_refresh needs the role resolver in the delivery context');
    const c = await ctx.stores.cases.getCase(Number(item.ref));
    if (!c) return;
    const previous = (await ctx.stores.cases.listEvents(c.id)).slice(-RECENT_EVENTS).flatMap((e) => [e.before?.ownerId, e.before?.backupId]);
    const users = new Set([c.ownerId, c.backupId, ...previous].filter((u): u is string => typeof u === 'string' && u !== ''));
    for (const userId of users) await publishHome({ ...ctx, roles: ctx.roles }, client, userId);
  };
}
