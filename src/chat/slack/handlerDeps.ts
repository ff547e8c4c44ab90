import type { Context } from "@slack/bolt";
import type { DateTime } from "luxon";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { coerceError } from "../../logger.js";
import type { Policy } from "../../policy/types.js";
import { TicketCommandError } from "../../tickets/errors.js";
import type { Actor, TicketService } from "../../tickets/service.js";
import type { CustomerDirectory } from "../customers.js";
import type { AgentDirectory } from "./agents.js";
import { escapeText } from "./blocks.js";
import type { ChannelAccess } from "./channelAccess.js";
import type { WebClient } from "./client.js";
import type { HomeTab } from "./home.js";
import type { PendingTicket } from "./pending.js";
import { DEFAULT_WORKSPACE, installationKey, workspaceIdOf } from "./workspace.js";

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
  /** Whether the bot can follow a thread in a channel (joins public channels). */
  access: ChannelAccess;
  /** TRIAGE_CHANNEL: the team's channel for tickets whose customer names none. */
  triageChannel?: string | undefined;
  /**
   * Tickets asked for: `save` writes one down before the ack (one short statement on connections of its
   * own), `wake` tells the intake worker after the ack, which opens it and answers the person in turn.
   */
  intake: {
    /** True when written; false for a replay of `claim` (a slash command's key), which writes nothing. */
    save(pending: PendingTicket, claim?: string): Promise<boolean>;
    /** Claims a slash command invocation whose key the request filter left to its handler. */
    claim(key: string): Promise<boolean>;
    wake(): void;
  };
}

/** The workspace a request comes from, as Bolt's context resolved it (team, or Grid org for org installs). */
export function workspaceOf(context: Context): { workspaceId: string; key: string | undefined } {
  return { workspaceId: workspaceIdOf(context), key: installationKey(context) };
}

/**
 * Who a Slack user is, as facts for the ticket service's rule table (which decides what they may do):
 * `userTeam` is the person's own team (a Slack Connect guest's differs from the request's workspace).
 */
export function actorFor(
  deps: HandlerDeps,
  client: WebClient,
  context: Context,
  userId: string,
  userTeam?: string,
): Promise<Actor> {
  const { workspaceId, key } = workspaceOf(context);
  return actorIn(deps, client, workspaceId, userId, userTeam ?? key);
}

/** The same, from a request written down earlier (a pending `/ticket`): its workspace and the person's team. */
export async function actorIn(
  deps: HandlerDeps,
  client: WebClient,
  workspaceId: string,
  userId: string,
  userTeam: string | undefined,
): Promise<Actor> {
  // Requests are the installing workspace's (Slack Connect included); someone of another team — a customer in
  // a shared channel — is never on its support side, whatever a user group says.
  const ownTeam = !userTeam || workspaceId === DEFAULT_WORKSPACE || workspaceId === `slack:${userTeam}`;
  return {
    id: userId,
    platform: "slack",
    workspaceId,
    isAgent: ownTeam && (await deps.agents.isAgent(client, workspaceId, userId)),
    isAdmin: deps.admins?.has(userId) ?? false,
    customerIds: deps.customers.customersOf(userId, userTeam),
  };
}

/**
 * What the person sees when a command fails: a TicketCommandError says what was wrong; anything else is
 * logged in full and answered with a short apology.
 */
export function failureText(thrown: unknown, logger: Logger): string {
  if (thrown instanceof TicketCommandError) return escapeText(thrown.message);
  logger.error({ err: coerceError(thrown) }, "slack handler failed");
  return "Something went wrong on Escalator's side; nothing was changed. Try again in a minute.";
}

/**
 * An ephemeral answer (mrkdwn) in a channel; where the bot cannot post there (a DM, a channel it is not in),
 * a message in the person's own conversation with the app. Failing both is logged.
 */
export async function tellEphemeral(
  client: WebClient,
  logger: Logger,
  channel: string | undefined,
  user: string,
  text: string,
): Promise<void> {
  try {
    if (channel) {
      const shown = await client.chat.postEphemeral({ channel, user, text }).then(
        () => true,
        () => false,
      );
      if (shown) return;
    }
    await client.chat.postMessage({ channel: user, text });
  } catch (error) {
    logger.error({ err: error, channel, user }, "could not tell the person the outcome");
  }
}
