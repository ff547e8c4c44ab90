import type { Logger } from "../../logger.js";
import type { WebClient } from "./client.js";

const GROUP_TTL_MS = 5 * 60_000;

/**
 * Who is on the support side: configured user ids, and members of configured user groups
 * (`usergroups.users.list`, cached per workspace and group for five minutes).
 */
export class AgentDirectory {
  private readonly groups = new Map<string, { at: number; members: Set<string> }>();

  constructor(
    private readonly userIds: Set<string>,
    private readonly groupIds: string[],
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  get configured(): boolean {
    return this.userIds.size > 0 || this.groupIds.length > 0;
  }

  async isAgent(client: WebClient, workspaceId: string, userId: string): Promise<boolean> {
    if (this.userIds.has(userId)) return true;
    for (const group of this.groupIds) {
      if ((await this.members(client, workspaceId, group)).has(userId)) return true;
    }
    return false;
  }

  /** The same for the ticket service's rules, which know a workspace and not its client (read only if needed). */
  async isAgentIn(
    clientFor: () => Promise<WebClient>,
    workspaceId: string,
    userId: string,
  ): Promise<boolean> {
    if (this.userIds.has(userId)) return true;
    if (this.groupIds.length === 0) return false;
    return this.isAgent(await clientFor(), workspaceId, userId);
  }

  private async members(client: WebClient, workspaceId: string, group: string): Promise<Set<string>> {
    const key = `${workspaceId}:${group}`;
    const cached = this.groups.get(key);
    if (cached && this.clock() - cached.at < GROUP_TTL_MS) return cached.members;
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      const members = new Set(result.users ?? []);
      this.groups.set(key, { at: this.clock(), members });
      return members;
    } catch (error) {
      // A group of another workspace, or a missing usergroups:read scope: nobody from it, and say so.
      this.logger.warn({ err: error, group, workspaceId }, "could not read a Slack agent group");
      return cached?.members ?? new Set();
    }
  }
}
