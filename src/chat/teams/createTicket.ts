import type { Activity } from "botbuilder";
import { z } from "zod";
import type { Actor } from "../../tickets/service.js";
import { openedText } from "../ticketAnswers.js";
import type { CardData } from "./actions.js";
import { newTicketFields } from "./customer.js";
import type { TeamsHandlerDeps } from "./handlerDeps.js";
import { teamsAnswers } from "./render/text.js";

const formData = z.object({
  conversationId: z.string().min(1),
  origin: z
    .object({
      channelId: z.string(),
      messageId: z.string(),
      threadId: z.string().nullable(),
      permalink: z.string().nullable(),
    })
    .optional(),
});

/**
 * The create form's submission (from a chat card or the "Create ticket" dialog): opens the ticket with its
 * card in the form's conversation, linked to the message it was made from. Returns the answer for the person.
 */
export async function createFromForm(
  deps: TeamsHandlerDeps,
  activity: Activity,
  actor: Actor,
  data: CardData,
): Promise<string> {
  const form = formData.safeParse(safeJson(data.form));
  if (!form.success) return "That form could not be read; nothing was created. Try again from the message.";
  const { conversationId, origin } = form.data;
  const text = (key: string) => {
    const value = (data as Record<string, unknown>)[key];
    return typeof value === "string" && value.trim() ? value : undefined;
  };
  // One ticket per message: "Create ticket" twice on the same message finds the first one.
  const clientKey = origin
    ? `teams:from:${origin.channelId}:${origin.messageId}`
    : `teams:form:${activity.id ?? activity.timestamp}`;
  const { ticket, duplicate } = await deps.tickets.create(
    actor,
    {
      summary: text("summary") ?? "",
      description: text("description") ?? "",
      severity: text("severity"),
      channel: text("channel"),
      category: text("category"),
      ...newTicketFields(deps, activity, conversationId),
      ...(origin ? { origin } : {}),
    },
    clientKey,
  );
  return openedText(ticket, { duplicate, fromMessage: Boolean(origin) }, teamsAnswers);
}

function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
