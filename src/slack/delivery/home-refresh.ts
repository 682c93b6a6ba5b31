import type { DeliveryContext } from '../context';
import { publishHome } from '../home-publisher';
import type { Deliverer } from './dispatcher';

/**
 * `home_refresh` (ref: case id): republishes App Home for the case's owner and
 * backup, so their lists follow every change. A Web API error is thrown to the
 * dispatcher, which retries the whole refresh (publishing twice is harmless).
 */
export function homeRefreshDeliverer(ctx: DeliveryContext): Deliverer {
  return async (item, client) => {
    if (!ctx.roles) throw new Error('home_refresh needs the role resolver in the delivery context');
    const c = await ctx.stores.cases.getCase(Number(item.ref));
    if (!c) return;
    const users = [...new Set([c.ownerId, c.backupId].filter((u): u is string => Boolean(u)))];
    for (const userId of users) await publishHome({ ...ctx, roles: ctx.roles }, client, userId);
  };
}
