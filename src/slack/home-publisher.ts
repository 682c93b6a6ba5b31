import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Policy } from '../domain/policy';
import type { QueueRow } from '../domain/queue';
import type { CaseReads } from '../services/case-reads';
import { HOME_LIST_MAX, HOME_STALE_MAX, homeData, homeView, noRoleHomeView } from './blocks/home-view';
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
  // The whole live queue is needed for the figures and the order, but only its sorting
  // fields: whole cases are read just for the lines Home shows.
  const rows = await deps.reads.liveQueueRows();
  const data = homeData(deps.policy, actor, rows, now);
  const shown = (list: readonly QueueRow[]) => list.slice(0, HOME_LIST_MAX);
  const ids = [...new Set([...shown(data.mine), ...shown(data.unclaimed), ...shown(data.overdue)].map((r) => r.id))];
  const cases = new Map((await deps.reads.getCases(ids)).map((c) => [c.id, c]));
  const whole = (list: readonly QueueRow[]) => shown(list).flatMap((r) => cases.get(r.id) ?? []);
  const stale = actor.roles.has('manager') ? await deps.reads.staleList(now, HOME_STALE_MAX) : null;
  const provider = actor.roles.has('provider')
    ? await deps.reads.providerEscalations(userId, new Date(now.getTime() - ACKNOWLEDGED_DAYS * 86_400_000), PROVIDER_PENDING_MAX)
    : null;
  const view = homeView({
    policy: deps.policy,
    labelMode: deps.config.PATIENT_LABEL,
    now,
    actor,
    data: { ...data, mine: whole(data.mine), unclaimed: whole(data.unclaimed), overdue: whole(data.overdue) },
    coordinatorsChannel: deps.config.SLACK_COORDINATORS_CHANNEL,
    stale,
    provider,
  });
  await client.views.publish({ user_id: userId, view });
}
