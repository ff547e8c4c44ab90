import type { Activity, TurnContext } from "botbuilder";
import { oncallHelp } from "../../paging/commands.js";
import { isAgentCommand, runAgentCommand } from "../agentCommands.js";
import { answerTicketCreate, answerTicketQuery, ticketLine } from "../ticketAnswers.js";
import { parseTicketCommand, ticketHelp, unknownSeverityText } from "../ticketCommand.js";
import { baseConversationId } from "./conversations.js";
import { newTicketFields } from "./customer.js";
import { actorFor, failureText, reply, type TeamsHandlerDeps, workspaceOfActivity } from "./handlerDeps.js";
import { createTicketForm } from "./render/createForm.js";
import { cardActivity } from "./render/index.js";
import { teamsAnswers } from "./render/text.js";
import { ticketCardFor } from "./viewerCard.js";

/** The words that start a command when the bot is spoken to; anything else is a reply (or help). */
export const commandWords = new Set(["ticket", "oncall", "help", "?"]);

/** The first word of what was said to the bot, without a leading "/". */
export function commandWord(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? "").replace(/^\//, "").toLowerCase();
}

/**
 * `ticket …`, `oncall …` and `help`, typed in a personal chat or said to the bot (@mention) in a group chat
 * or channel: the same parser, answers and bad-input messages as Slack's slash commands.
 */
export async function runTextCommand(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  text: string,
): Promise<void> {
  const word = commandWord(text);
  const rest = text.trim().split(/\s+/).slice(1).join(" ");
  try {
    if (word === "ticket") return await ticketCommand(context, deps, rest);
    if (word === "oncall") return await oncallCommand(context, deps, rest);
    if (word === "help" || word === "?") return await reply(context, deps, help(deps));
    await reply(context, deps, `I don't know “${text.trim()}”.\n\n${help(deps)}`);
  } catch (thrown) {
    await reply(context, deps, failureText(thrown, deps.logger));
  }
}

function help(deps: TeamsHandlerDeps): string {
  const parts = [ticketHelp(deps.policy, "ticket")];
  if (deps.oncallCommand) parts.push(oncallHelp("oncall"));
  return parts.join("\n\n");
}

async function ticketCommand(context: TurnContext, deps: TeamsHandlerDeps, text: string): Promise<void> {
  const activity = context.activity;
  const parsed = parseTicketCommand(text, deps.policy);
  if (parsed.kind === "help") return reply(context, deps, ticketHelp(deps.policy, "ticket"));
  if (parsed.kind === "unknownSeverity")
    return reply(context, deps, unknownSeverityText(parsed.typed, deps.policy, "ticket"));
  const conversationId = baseConversationId(activity.conversation.id);
  if (parsed.kind === "modal") {
    await context.sendActivity(
      cardActivity("New ticket", createTicketForm(deps.policy, { conversationId }, "message")),
    );
    return;
  }
  const actor = await actorFor(deps, activity);
  if (isAgentCommand(parsed)) {
    // assign, away, back, search, queue, digest [post]: run once for every platform (agentCommands.ts).
    // `digest post` goes where this was typed: the bot can post there, it was just spoken to in it.
    const done = await runAgentCommand(parsed, actor, deps.tickets, {
      destination: {
        platform: "teams",
        workspaceId: workspaceOfActivity(activity),
        channelId: conversationId,
      },
      requestKey: `teams:${activity.id ?? `${conversationId}:${activity.timestamp}`}`,
    });
    const lines = (done.tickets ?? []).map((t) => `- ${ticketLine(t, deps.now(), teamsAnswers)}`);
    return reply(context, deps, [done.text, ...lines].join("\n"));
  }
  const answer =
    parsed.kind === "create"
      ? await answerTicketCreate(parsed, {
          tickets: deps.tickets,
          actor,
          format: teamsAnswers,
          newTicket: newTicketFields(deps, activity, conversationId),
          clientKey: `teams:${activity.id ?? `${conversationId}:${activity.timestamp}`}`,
        })
      : await answerTicketQuery(parsed, {
          tickets: deps.tickets,
          actor,
          format: teamsAnswers,
          now: deps.now(),
        });
  if (!answer.ticket) return reply(context, deps, answer.text);
  await context.sendActivity(await ticketCardFor(deps, answer.ticket, actor.isAgent));
}

async function oncallCommand(context: TurnContext, deps: TeamsHandlerDeps, text: string): Promise<void> {
  if (!deps.oncallCommand) return reply(context, deps, "On-call schedules are not set up here.");
  const activity = context.activity;
  const actor = await actorFor(deps, activity);
  const zone = (activity as Activity & { localTimezone?: string }).localTimezone ?? deps.policy.zone;
  const input = await mentionsAsIds(context, deps, text);
  const answer = await deps.oncallCommand(input, actor.id, zone, deps.now(), actor.isAgent);
  await reply(context, deps, answer);
}

/**
 * `<at>Dana</at>` in what was typed → `<@dana's AAD object id>`, from the message's mention entities (the
 * bot's own mention is already gone). A person Teams does not tell us the AAD id of keeps their name.
 */
async function mentionsAsIds(context: TurnContext, deps: TeamsHandlerDeps, text: string): Promise<string> {
  const mentions = (context.activity.entities ?? []).filter((e) => e.type === "mention") as {
    text?: string;
    mentioned?: { id: string; name?: string; aadObjectId?: string };
  }[];
  let out = text;
  for (const m of mentions) {
    if (!m.text || !m.mentioned || m.mentioned.id === context.activity.recipient.id) continue;
    const aad = m.mentioned.aadObjectId ?? (await aadIdOf(deps, m.mentioned.id));
    out = out.split(m.text).join(aad ? `<@${aad}>` : `@${m.mentioned.name ?? ""}`);
  }
  return out;
}

async function aadIdOf(deps: TeamsHandlerDeps, teamsUserId: string): Promise<string | undefined> {
  const row = await deps.prisma.teamsConversation.findFirst({
    where: { userId: teamsUserId, kind: "personal" },
    select: { userAadId: true },
  });
  return row?.userAadId ?? undefined;
}
