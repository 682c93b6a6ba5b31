import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock';
import type { Actor, Role } from '../domain/types';
import type { Logger } from '../logger';

export interface RoleSettings {
  coordinators: readonly string[];
  providers: readonly string[];
  managers: readonly string[];
}

/** How long a user group's members are trusted before asking Slack again. */
const GROUP_CACHE_MS = 5 * 60_000;

/**
 * Resolves a Slack user to the roles they hold right now. Settings name users
 * (U…, W…) and user groups (S…); group members come from usergroups.users.list,
 * cached a few minutes. If Slack cannot be asked and nothing is cached, the group
 * grants nothing: access fails closed.
 */
export class RoleResolver {
  private readonly groups = new Map<string, { members: Set<string>; fetchedAt: number }>();

  constructor(
    private readonly settings: RoleSettings,
    private readonly client: WebClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async actorFor(userId: string): Promise<Actor> {
    const roles = new Set<Role>();
    const lists: [Role, readonly string[]][] = [
      ['coordinator', this.settings.coordinators],
      ['provider', this.settings.providers],
      ['manager', this.settings.managers],
    ];
    for (const [role, ids] of lists) {
      if (await this.isListed(userId, ids)) roles.add(role);
    }
    return { userId, roles };
  }

  /** Every user named directly or through a group in a role (for Home figures and digests). */
  async membersOf(role: Role): Promise<Set<string>> {
    const ids = role === 'coordinator' ? this.settings.coordinators : role === 'provider' ? this.settings.providers : this.settings.managers;
    const members = new Set<string>();
    for (const id of ids) {
      if (id.startsWith('S')) for (const m of await this.groupMembers(id)) members.add(m);
      else members.add(id);
    }
    return members;
  }

  private async isListed(userId: string, ids: readonly string[]): Promise<boolean> {
    if (ids.includes(userId)) return true;
    for (const id of ids) {
      if (id.startsWith('S') && (await this.groupMembers(id)).has(userId)) return true;
    }
    return false;
  }

  private async groupMembers(groupId: string): Promise<Set<string>> {
    const cached = this.groups.get(groupId);
    const now = this.clock.now().getTime();
    if (cached && now - cached.fetchedAt < GROUP_CACHE_MS) return cached.members;
    try {
      const result = await this.client.usergroups.users.list({ usergroup: groupId });
      const members = new Set(result.users ?? []);
      this.groups.set(groupId, { members, fetchedAt: now });
      return members;
    } catch (error) {
      this.logger.warn({ usergroup: groupId, err: (error as { code?: string }).code }, 'could not read user-group members; using the last known list');
      return cached?.members ?? new Set();
    }
  }
}
