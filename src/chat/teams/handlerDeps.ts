import type { Activity, TurnContext } from "botbuilder";
import type { DateTime } from "luxon";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { coerceError } from "../../logger.js";
import type { OncallCommand } from "../../paging/commands.js";
import type { Policy } from "../../policy/types.js";
import { TicketCommandError } from "../../tickets/errors.js";
import type { Actor, TicketService } from "../../tickets/service.js";
import type { CustomerDirectory } from "../customers.js";
import type { TeamsAgentDirectory } from "./agents.js";
import type { ConversationStore } from "./conversations.js";
import { peopleNames } from "./people.js";
import { boldForTeams, type Mention, withMentions } from "./render/text.js";

/** `/oncall …` from Teams: the asker is an AAD object id; answers in markdown with `<@id>` mentions. */
export type TeamsOncallCommand = OncallCommand;

/** What every Teams handler works with; plain parameters so tests can pass their own. */
export interface TeamsHandlerDeps {
  prisma: PrismaClient;
  tickets: TicketService;
  policy: Policy;
  agents: TeamsAgentDirectory;
  conversations: ConversationStore;
  logger: Logger;
  now: () => DateTime;
  oncallCommand?: TeamsOncallCommand | undefined;
  /** The customers file: which customer, plan and triage channel a Teams channel, team or tenant has. */
  customers?: CustomerDirectory | undefined;
  /** TRIAGE_CHANNEL: the team's channel (a Teams channel id or mapped name) for customers naming none. */
  triageChannel?: string | undefined;
}

interface ChannelData {
  tenant?: { id?: string };
}

function tenantOf(activity: Activity): string | undefined {
  return (activity.channelData as ChannelData | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
}

/** Tickets of a Teams tenant are numbered together: "teams:<tenant id>". */
export function workspaceOfActivity(activity: Activity): string {
  return `teams:${tenantOf(activity) ?? "local"}`;
}

/**
 * Teams people are their AAD object ids (stable across chats and the people file's `teams:`). Their customers
 * come from the customers file as in Slack (CustomerDirectory.customersOf): named in a customer's `users:`, or
 * of a tenant in its `tenants:` — the customer's colleagues, who may see and answer its tickets.
 */
export async function actorFor(deps: TeamsHandlerDeps, activity: Activity): Promise<Actor> {
  const id = activity.from.aadObjectId ?? activity.from.id;
  return {
    id,
    platform: "teams",
    workspaceId: workspaceOfActivity(activity),
    isAgent: await deps.agents.isAgent(activity.from.aadObjectId),
    customerIds: deps.customers?.customersOf(id, tenantOf(activity)) ?? [],
  };
}

/** A TicketCommandError says what was wrong; anything else is logged in full and answered with an apology. */
export function failureText(thrown: unknown, logger: Logger): string {
  if (thrown instanceof TicketCommandError) return thrown.message;
  logger.error({ err: coerceError(thrown) }, "teams handler failed");
  return "Something went wrong on Escalator's side; nothing was changed. Try again in a minute.";
}

/**
 * Our answer text (Slack-style `*bold*`, `<@id>` mentions, words already escaped where a person typed them)
 * as a Teams message with mention entities.
 */
export async function answerActivity(
  deps: TeamsHandlerDeps,
  text: string,
): Promise<{ type: "message"; text: string; textFormat: "markdown"; entities?: Mention[] }> {
  const ids = [...text.matchAll(/<@([^>|\s]+)>/g)].map((m) => m[1]!);
  const { nameOf } = await peopleNames(deps.conversations, ids, null);
  // Our markdown stays; HTML never does (a person's words echoed in an answer cannot become a tag).
  const rendered = withMentions(boldForTeams(text), nameOf, escapeHtml);
  return {
    type: "message",
    text: rendered.text,
    textFormat: "markdown",
    ...(rendered.entities.length ? { entities: rendered.entities } : {}),
  };
}

export async function reply(context: TurnContext, deps: TeamsHandlerDeps, text: string): Promise<void> {
  await context.sendActivity(await answerActivity(deps, text));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
