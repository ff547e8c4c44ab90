import type { Context } from "@slack/bolt";
import type { DateTime } from "luxon";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { coerceError } from "../../logger.js";
import type { Policy } from "../../policy/types.js";
import { TicketCommandError } from "../../tickets/errors.js";
import type { Actor, TicketService } from "../../tickets/service.js";
import type { AgentDirectory } from "./agents.js";
import type { WebClient } from "./client.js";
import type { CustomerDirectory } from "./customers.js";
import type { HomeTab } from "./home.js";
import { installationKey, workspaceIdOf } from "./workspace.js";

/** What every Slack handler works with; plain parameters so tests can pass their own. */
export interface HandlerDeps {
  prisma: PrismaClient;
  tickets: TicketService;
  policy: Policy;
  agents: AgentDirectory;
  /** SLACK_ADMIN_USER_IDS: may act on every workspace's tickets. */
  admins?: ReadonlySet<string>;
  customers: CustomerDirectory;
  home: HomeTab;
  logger: Logger;
  now: () => DateTime;
}

/** The workspace a request comes from, as Bolt's context resolved it (team, or Grid org for org installs). */
export function workspaceOf(context: Context): { workspaceId: string; key: string | undefined } {
  return { workspaceId: workspaceIdOf(context), key: installationKey(context) };
}

/**
 * Who a Slack user is, as facts for the ticket service's rule table (which decides what they may do):
 * `userTeam` is the person's own team (a Slack Connect guest's differs from the request's workspace).
 */
export async function actorFor(
  deps: HandlerDeps,
  client: WebClient,
  context: Context,
  userId: string,
  userTeam?: string,
): Promise<Actor> {
  const { workspaceId, key } = workspaceOf(context);
  return {
    id: userId,
    platform: "slack",
    workspaceId,
    isAgent: await deps.agents.isAgent(client, workspaceId, userId),
    isAdmin: deps.admins?.has(userId) ?? false,
    customerIds: deps.customers.customersOf(userId, userTeam ?? key),
  };
}

/**
 * What the person sees when a command fails: a TicketCommandError says what was wrong; anything else is
 * logged in full and answered with a short apology.
 */
export function failureText(thrown: unknown, logger: Logger): string {
  if (thrown instanceof TicketCommandError) return thrown.message;
  logger.error({ err: coerceError(thrown) }, "slack handler failed");
  return "Something went wrong on Escalator's side; nothing was changed. Try again in a minute.";
}

/** An ephemeral answer in a channel; best effort (the bot may not be in that channel). */
export async function tellEphemeral(
  client: WebClient,
  logger: Logger,
  channel: string | undefined,
  user: string,
  text: string,
): Promise<void> {
  try {
    if (channel) await client.chat.postEphemeral({ channel, user, text });
    else await client.chat.postMessage({ channel: user, text });
  } catch (error) {
    logger.warn({ err: error, channel, user }, "could not answer ephemerally");
  }
}
