import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Policy } from '../domain/policy';
import type { CaseReads } from '../services/case-reads';
import { HOME_LIST_MAX, HOME_STALE_MAX, homeView, noRoleHomeView } from './blocks/home-view';
import { ACKNOWLEDGED_DAYS, PROVIDER_PENDING_MAX } from './blocks/provider-home';
import type { RoleResolver } from './roles';

export interface HomeDeps {
  config: Config;
  policy: Policy;
  clock: Clock;
  reads: CaseReads;
  roles: RoleResolver;
}

/**
 * Publishes one user's App Home as the cases are now. Used when the user opens
 * Home and, through the outbox, after a change to one of their cases. Throws what
 * the Web API throws, so the outbox can retry.
 */
export async function publishHome(deps: HomeDeps, client: WebClient, userId: string): Promise<void> {
  const actor = await deps.roles.actorFor(userId);
  if (actor.roles.size === 0) {
    await client.views.publish({ user_id: userId, view: noRoleHomeView() });
    return;
  }
  const now = deps.clock.now();
  // Bounded reads: each list is the first HOME_LIST_MAX by due time with its count, the
  // figures come from maintained counters and indexed ranges; never every open case.
  const lists = actor.roles.has('coordinator') || actor.roles.has('manager');
  const data = lists ? await deps.reads.homeQueue(actor, now, HOME_LIST_MAX) : { mine: [], unclaimed: [], overdue: [], counts: { mine: 0, unclaimed: 0, overdue: 0 }, figures: null };
  const stale = actor.roles.has('manager') ? await deps.reads.staleList(now, HOME_STALE_MAX) : null;
  const provider = actor.roles.has('provider')
    ? await deps.reads.providerEscalations(userId, new Date(now.getTime() - ACKNOWLEDGED_DAYS * 86_400_000), PROVIDER_PENDING_MAX)
    : null;
  const view = homeView({
    policy: deps.policy,
    labelMode: deps.config.PATIENT_LABEL,
    now,
    actor,
    data,
    coordinatorsChannel: deps.config.SLACK_COORDINATORS_CHANNEL,
    stale,
    provider,
  });
  await client.views.publish({ user_id: userId, view });
}
