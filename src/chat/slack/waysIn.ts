import type { App, GlobalShortcut } from "@slack/bolt";
import { SUMMARY_MAX } from "../../tickets/validate.js";
import { ticketHelp } from "../ticketCommand.js";
import { clip, escapeText } from "./blocks.js";
import type { WebClient } from "./client.js";
import { actorFor, failureText, type HandlerDeps, tellEphemeral, workspaceOf } from "./handlerDeps.js";
import { fromSlack } from "./text.js";
import { createTicketModal } from "./views.js";

export const newTicketShortcutId = "new_ticket";

/**
 * More ways in: a reaction (🎫 `:ticket:` unless SLACK_TICKET_REACTION says otherwise) on any message opens a
 * ticket from it as "Create ticket" does, keyed on the message so a retried event, a second reaction or the
 * shortcut on the same message find the same ticket; the global shortcut "New ticket" opens the form (with a
 * channel to post in) where slash commands are not allowed; `@Escalator help` answers the one who asked.
 */
export function registerWaysIn(app: App, deps: HandlerDeps, reaction: string): void {
  app.event("reaction_added", async ({ event, client, context }) => {
    if (event.reaction !== reaction || event.item.type !== "message") return;
    const { channel, ts } = event.item;
    const tell = (text: string) => tellEphemeral(client, deps.logger, channel, event.user, text);
    try {
      await tell(await ticketFromMessage(deps, client, context, event.user, channel, ts));
    } catch (thrown) {
      await tell(failureText(thrown, deps.logger));
    }
  });

  app.shortcut<GlobalShortcut>(newTicketShortcutId, async ({ shortcut, ack, client }) => {
    await ack();
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: createTicketModal(deps.policy, { channelId: "" }),
      });
    } catch (thrown) {
      // A global shortcut has no channel to answer in: a DM from the bot says why.
      await tellEphemeral(client, deps.logger, undefined, shortcut.user.id, failureText(thrown, deps.logger));
    }
  });

  app.event("app_mention", async ({ event, client }) => {
    if (!event.user) return;
    const asked = event.text
      .replace(/<@[A-Z0-9]+>/g, "")
      .trim()
      .toLowerCase();
    const text =
      asked === "" || asked === "help" || asked === "?"
        ? ticketHelp(deps.policy)
        : `I answer \`@Escalator help\` here; everything else is \`/ticket …\` (or react with :${reaction}: to a message to open a ticket from it).`;
    await tellEphemeral(client, deps.logger, event.channel, event.user, text);
  });
}

async function ticketFromMessage(
  deps: HandlerDeps,
  client: WebClient,
  context: Parameters<typeof actorFor>[2],
  userId: string,
  channel: string,
  ts: string,
): Promise<string> {
  const found = await client.conversations
    .replies({ channel, ts, limit: 1, inclusive: true })
    .catch(() => undefined);
  const message = found?.messages?.find((m) => m.ts === ts);
  if (!message)
    return "I could not read that message, so no ticket was opened. Invite Escalator to this channel and react again.";
  const text = fromSlack(message.text ?? "");
  const firstLine = text.split("\n").find((l) => l.trim()) ?? "";
  if (!firstLine) return "That message has no text to make a ticket from; use `/ticket` to write one.";
  const { workspaceId, key } = workspaceOf(context);
  const actor = await actorFor(deps, client, context, userId);
  const link = await client.chat.getPermalink({ channel, message_ts: ts }).catch(() => undefined);
  const customer = deps.customers.find(key, channel);
  const { ticket, duplicate } = await deps.tickets.create(
    actor,
    {
      summary: clip(firstLine, SUMMARY_MAX),
      description: text,
      channel: "chat",
      ...(customer ? { plan: customer.plan, customerId: customer.id } : {}),
      origin: {
        channelId: channel,
        messageId: ts,
        threadId: message.thread_ts ?? ts,
        permalink: link?.permalink ?? null,
      },
      home: { platform: "slack", workspaceId, channelId: channel },
    },
    `slack:from:${channel}:${ts}`,
  );
  return duplicate
    ? `That message already has ticket *#${ticket.number}*: ${escapeText(ticket.summary)}.`
    : `Opened *#${ticket.number}* (${escapeText(ticket.severityLabel)}) from that message. Its card is posted in this channel.`;
}
