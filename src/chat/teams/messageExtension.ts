import type { Activity, MessagingExtensionAction, MessagingExtensionActionResponse } from "botbuilder";
import { SUMMARY_MAX } from "../../tickets/validate.js";
import { runCardVerb } from "./actions.js";
import { baseConversationId, threadRootOf } from "./conversations.js";
import { failureText, type TeamsHandlerDeps } from "./handlerDeps.js";
import { htmlToText } from "./html.js";
import { type CreateFormData, createTicketForm } from "./render/createForm.js";
import { cardAttachment } from "./render/index.js";
import { clip } from "./render/text.js";
import { verbs } from "./render/ticketCard.js";

/** The message-extension action command's id (manifest composeExtensions[0].commands[0].id). */
export const createFromMessageCommand = "createTicket";

/**
 * "Create ticket" on a message (fetchTask): a dialog with the form, prefilled from the message's words
 * (its HTML stripped); the ticket links back to the message.
 */
export function createFromMessageDialog(
  deps: TeamsHandlerDeps,
  activity: Activity,
  action: MessagingExtensionAction,
): MessagingExtensionActionResponse {
  const message = action.messagePayload;
  const conversationId = baseConversationId(activity.conversation.id);
  const text = htmlToText(message?.body?.content ?? "");
  const firstLine = text.split("\n").find((l) => l.trim()) ?? "";
  const data: CreateFormData = {
    conversationId,
    ...(message?.id
      ? {
          origin: {
            channelId: conversationId,
            messageId: message.id,
            threadId: message.replyToId ?? threadRootOf(activity.conversation.id) ?? message.id,
            permalink: message.linkToMessage ?? null,
          },
        }
      : {}),
  };
  const form = createTicketForm(deps.policy, data, "dialog", {
    summary: clip(firstLine, SUMMARY_MAX),
    description: text,
    channel: "chat",
  });
  return {
    task: {
      type: "continue",
      value: { title: "Create ticket", height: "large", width: "medium", card: cardAttachment(form) },
    },
  };
}

/** The dialog's submission: the ticket is opened; the dialog shows what happened (within Teams' 5 s). */
export async function submitCreateFromMessage(
  deps: TeamsHandlerDeps,
  activity: Activity,
  action: MessagingExtensionAction,
): Promise<MessagingExtensionActionResponse> {
  try {
    const outcome = await runCardVerb(deps, activity, verbs.create, action.data);
    const text = "message" in outcome ? outcome.message : "Done.";
    return { task: { type: "message", value: text } };
  } catch (thrown) {
    return { task: { type: "message", value: failureText(thrown, deps.logger) } };
  }
}
