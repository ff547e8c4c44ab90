import { join } from "node:path";
import type { DateTime } from "luxon";
import type { ChatPort, Platform } from "../chat/port.js";
import type { SlackApp } from "../chat/slack/app.js";
import type { TeamsApp } from "../chat/teams/app.js";
import { TerminalChat } from "../chat/terminal/port.js";
import type { Clock } from "../clock.js";
import { type Config, slackConfigured, teamsConfigured } from "../config.js";
import type { Logger } from "../logger.js";
import type { OncallDirectory } from "../paging/index.js";
import type { PeopleDirectory } from "../paging/people.js";
import type { Policy } from "../policy/types.js";
import type { Store } from "../store/db.js";
import type { TicketService } from "../tickets/service.js";
import { oncallOnPlatform, oncallTextForSlack } from "./recipients.js";

export interface ChatAdapters {
  ports: Partial<Record<Platform, ChatPort>>;
  slack: SlackApp | undefined;
  teams: TeamsApp | undefined;
}

export interface ChatDeps {
  config: Config;
  store: Store;
  tickets: TicketService;
  policy: Policy;
  logger: Logger;
  clock: Clock;
  directory: OncallDirectory;
  people: PeopleDirectory;
  /** The terminal chat's output, when the terminal chat runs. */
  terminalWrite: ((text: string) => void) | undefined;
}

/** Each configured platform's adapter (not started yet), and the ports the dispatcher sends through. */
export async function createChatAdapters(deps: ChatDeps): Promise<ChatAdapters> {
  const { config, store, tickets, policy, logger, clock, directory, people } = deps;
  const now = (): DateTime => clock.now();
  const ports: Partial<Record<Platform, ChatPort>> = {};
  // The terminal shows no images: the digest's chart is written to DATA_DIR/digests and its path printed.
  if (deps.terminalWrite)
    ports.terminal = new TerminalChat(deps.terminalWrite, clock, join(config.DATA_DIR, "digests"));
  const common = { config, store, tickets, policy, logger, now };
  // Each chat SDK is loaded only when configured: importing Bolt and botbuilder costs a start hundreds of ms.
  const slack = slackConfigured(config)
    ? await (await import("../chat/slack/app.js")).createSlackApp({
        ...common,
        oncallText: oncallTextForSlack(directory, people, policy.zone),
        oncallCommand: oncallOnPlatform(directory, people, "slack"),
      })
    : undefined;
  if (slack) ports.slack = slack.port;
  const teams = teamsConfigured(config)
    ? (await import("../chat/teams/app.js")).createTeamsApp({
        ...common,
        oncallCommand: oncallOnPlatform(directory, people, "teams"),
      })
    : undefined;
  if (teams) ports.teams = teams.port;
  return { ports, slack, teams };
}
