import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Policy } from '../domain/policy';
import type { Stores } from '../store/stores';
import { homeData, homeView, noRoleHomeView } from './blocks/home-view';
import type { RoleResolver } from './roles';

export interface HomeDeps {
  config: Config;
  policy: Policy;
  clock: Clock;
  stores: Stores;
  roles: RoleResolver;
}

const LIVE_STATES = ['open', 'active', 'waiting', 'escalated'] as const;

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
  // One read of the live queue; Home needs it whole for the figures and the unclaimed list.
  const cases = await deps.stores.cases.listCases({ states: [...LIVE_STATES] });
  const view = homeView({
    policy: deps.policy,
    labelMode: deps.config.PATIENT_LABEL,
    now,
    actor,
    data: homeData(deps.policy, actor, cases, now),
    coordinatorsChannel: deps.config.SLACK_COORDINATORS_CHANNEL,
  });
  await client.views.publish({ user_id: userId, view });
}
