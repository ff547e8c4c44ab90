import type { Logger } from "../../logger.js";

const GROUP_TTL_MS = 5 * 60_000;

/** Reads the AAD object ids of an Entra group's members (transitively), e.g. through Microsoft Graph. */
export type GroupMembers = (groupId: string) => Promise<string[]>;

/**
 * Who is on the support side in Teams: configured AAD object ids (TEAMS_AGENT_USER_IDS) and the members
 * of one Entra group (TEAMS_AGENT_GROUP_ID), cached for five minutes. The rule itself (agents may change
 * tickets, customers may reopen their own) is the ticket service's, as for Slack.
 */
export class TeamsAgentDirectory {
  private group: { at: number; members: Set<string> } | undefined;

  constructor(
    private readonly userIds: Set<string>,
    private readonly groupId: string | undefined,
    private readonly groupMembers: GroupMembers | undefined,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  get configured(): boolean {
    return this.userIds.size > 0 || Boolean(this.groupId);
  }

  /** The configured agents (not the group's), for card refresh lists. */
  listed(): string[] {
    return [...this.userIds, ...(this.group?.members ?? [])];
  }

  async isAgent(aadObjectId: string | undefined): Promise<boolean> {
    if (!aadObjectId) return false;
    if (this.userIds.has(aadObjectId)) return true;
    return (await this.groupMembersNow()).has(aadObjectId);
  }

  private async groupMembersNow(): Promise<Set<string>> {
    if (!this.groupId || !this.groupMembers) return new Set();
    if (this.group && this.clock() - this.group.at < GROUP_TTL_MS) return this.group.members;
    try {
      const members = new Set(await this.groupMembers(this.groupId));
      this.group = { at: this.clock(), members };
      return members;
    } catch (error) {
      // No Graph permission (GroupMember.Read.All) or Graph down: the last list, and say so.
      this.logger.warn({ err: error, group: this.groupId }, "could not read the Teams agent group");
      return this.group?.members ?? new Set();
    }
  }
}

/** Microsoft Graph: the user members of a group, following nested groups and pages. */
export function graphGroupMembers(
  token: () => Promise<string>,
  graphUrl = "https://graph.microsoft.com/v1.0",
): GroupMembers {
  return async (groupId) => {
    const ids: string[] = [];
    let url: string | undefined =
      `${graphUrl}/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`;
    while (url) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${await token()}` } });
      if (!response.ok)
        throw new Error(`Microsoft Graph answered HTTP ${response.status} for group ${groupId}`);
      const page = (await response.json()) as { value?: { id: string }[]; "@odata.nextLink"?: string };
      ids.push(...(page.value ?? []).map((u) => u.id));
      url = page["@odata.nextLink"];
    }
    return ids;
  };
}
