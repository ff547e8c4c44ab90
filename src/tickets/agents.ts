import type { Platform } from "../chat/port.js";

/** Whether a person of a workspace is on the support side, as one chat platform tells. */
export type AgentCheck = (workspaceId: string, personId: string) => Promise<boolean>;

/**
 * Who is an agent, per chat platform, for the ticket service's own rules (a ticket is assigned only to an
 * agent). Each adapter registers how its platform tells — Slack: SLACK_AGENT_USER_IDS and the members of
 * SLACK_AGENT_GROUP_IDS; Teams: TEAMS_AGENT_USER_IDS and TEAMS_AGENT_GROUP_ID; the terminal chat: the
 * people file's names, the on-call schedules' people and whoever took the support side with `as` — the
 * same sources that decide `Actor.isAgent` there.
 */
export class AgentLookup {
  private readonly checks = new Map<Platform, AgentCheck>();

  register(platform: Platform, check: AgentCheck): void {
    this.checks.set(platform, check);
  }

  /** Undefined when no adapter of that platform runs (a service without chat, in tests): nothing to ask. */
  async isAgent(platform: Platform, workspaceId: string, personId: string): Promise<boolean | undefined> {
    const check = this.checks.get(platform);
    return check ? check(workspaceId, personId) : undefined;
  }
}

/**
 * What a refused assignment says, where the person typed it. It names nobody: adapters escape error text as
 * typed words (it may quote them), so a mention would show as its raw markup.
 */
export function notAnAgent(number: number): string {
  return `#${number}: the person you named is not a support agent, so the ticket cannot be assigned to them; assign it to an agent, or to yourself with \`me\`.`;
}
