import type { DeliveryContext } from '../context';
import { ACKNOWLEDGED_DAYS } from '../blocks/provider-home';
import { publishHome } from '../home-publisher';
import type { Deliverer } from './dispatcher';

/**
 * Recent audit entries looked at for people who just stopped owning or backing up the
 * case (refreshes are coalesced, so one may stand for several changes).
 */
const RECENT_EVENTS = 5;

/**
 * Longer than any transaction that asks for a refresh takes to commit: a Home built
 * from a read that began this long after the change was made already shows it.
 */
const COMMITTED_WITHIN_MS = 5_000;

/**
 * `home_refresh` (ref: case id), as queued by earlier versions (the services now queue
 * `home_publish` per person): republishes App Home for the case's owner and backup,
 * for whoever a recent reassignment took it from, and for the providers when the case
 * has an escalation for them, so every affected list follows the change. A Web API error is thrown to the dispatcher, which retries the whole
 * refresh (publishing twice is harmless).
 */
export function homeRefreshDeliverer(ctx: DeliveryContext): Deliverer<'home_refresh'> {
  // When each user's Home was last built (its read began): refreshes are queued per case,
  // so a coordinator working many cases would otherwise have the same Home rebuilt for each.
  const builtAt = new Map<string, number>();
  const building = new Map<string, Promise<void>>();
  return async ({ caseId }, item, client) => {
    if (!ctx.roles) throw new Error('home_refresh needs the role resolver in the delivery context');
    const c = await ctx.reads.getCase(caseId);
    if (!c) return;
    const previous = (await ctx.reads.listEvents(c.id)).slice(-RECENT_EVENTS).flatMap((e) => [e.before?.ownerId, e.before?.backupId]);
    const users = new Set([c.ownerId, c.backupId, ...previous].filter((u): u is string => typeof u === 'string' && u !== ''));
    // Providers' Homes list the escalations waiting for them: refresh those too when this case has one.
    const recent = ctx.clock.now().getTime() - ACKNOWLEDGED_DAYS * 86_400_000;
    const forProviders = (await ctx.reads.listEscalations(c.id)).some((e) => e.target === 'providers' && (e.acknowledgedAt === null || e.acknowledgedAt.getTime() >= recent));
    if (forProviders) for (const provider of await ctx.roles.membersOf('provider')) users.add(provider);
    for (const userId of users) {
      // Refreshes of different cases go out side by side: one build per person at a time,
      // and a build that began after this change was made covers it (the newest state wins).
      for (let running = building.get(userId); running; running = building.get(userId)) await running.catch(() => undefined);
      if ((builtAt.get(userId) ?? -Infinity) > item.createdAt.getTime() + COMMITTED_WITHIN_MS) continue;
      const started = ctx.clock.now().getTime();
      const build = publishHome({ ...ctx, roles: ctx.roles }, client, userId);
      building.set(userId, build);
      try {
        await build;
        builtAt.set(userId, started);
      } finally {
        building.delete(userId);
      }
    }
  };
}

/** `home_publish` (ref: user id): republishes one person's App Home as things are now. */
export function homePublishDeliverer(ctx: DeliveryContext): Deliverer<'home_publish'> {
  return async ({ userId }, _item, client) => {
    if (!ctx.roles) throw new Error('home_publish needs the role resolver in the delivery context');
    await publishHome({ ...ctx, roles: ctx.roles }, client, userId);
  };
}

/** `providers_home`: republishes every provider's App Home (their escalations changed). */
export function providersHomeDeliverer(ctx: DeliveryContext): Deliverer<'providers_home'> {
  return async (_message, _item, client) => {
    if (!ctx.roles) throw new Error('providers_home needs the role resolver in the delivery context');
    for (const provider of await ctx.roles.membersOf('provider')) await publishHome({ ...ctx, roles: ctx.roles }, client, provider);
  };
}
