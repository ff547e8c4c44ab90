import { SUMMARY_MAX } from "../../tickets/validate.js";
import { clip, escapeText } from "./blocks.js";
import type { WebClient } from "./client.js";
import { actorIn, type HandlerDeps } from "./handlerDeps.js";
import type { PlacedTicket } from "./intake.js";
import { fromSlack } from "./text.js";

/**
 * A ticket from a message someone reacted to (🎫): its first line is the summary, the whole text the
 * description, and the ticket links back to it. Keyed on the message, so a second reaction, another person's
 * or "Create ticket" on the same message find the same ticket. Returns what to tell the person.
 */
export async function ticketFromMessage(
  deps: HandlerDeps,
  client: WebClient,
  pending: PlacedTicket & { reactedTo: string },
): Promise<string> {
  const { channelId: channel, reactedTo: ts } = pending;
  const found = await client.conversations
    .replies({ channel, ts, limit: 1, inclusive: true })
    .catch(() => undefined);
  const message = found?.messages?.find((m) => m.ts === ts);
  if (!message)
    return "I could not read that message, so no ticket was opened. Invite Escalator to this channel and react again.";
  const text = fromSlack(message.text ?? "");
  const firstLine = text.split("\n").find((l) => l.trim()) ?? "";
  if (!firstLine) return "That message has no text to make a ticket from; use `/ticket` to write one.";
  const actor = await actorIn(deps, client, pending.workspaceId, pending.userId, pending.userTeam);
  const link = await client.chat.getPermalink({ channel, message_ts: ts }).catch(() => undefined);
  const customer = deps.customers.find(pending.userTeam, channel);
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
      home: { platform: "slack", workspaceId: pending.workspaceId, channelId: channel },
    },
    `slack:from:${channel}:${ts}`,
  );
  return duplicate
    ? `That message already has ticket *#${ticket.number}*: ${escapeText(ticket.summary)}.`
    : `Opened *#${ticket.number}* (${escapeText(ticket.severityLabel)}) from that message. Its card is posted in this channel.`;
}
