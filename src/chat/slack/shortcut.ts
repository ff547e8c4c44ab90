import type { App, MessageShortcut } from "@slack/bolt";
import { SUMMARY_MAX } from "../../tickets/validate.js";
import { clip } from "./blocks.js";
import { failureText, type HandlerDeps } from "./handlerDeps.js";
import { createTicketModal } from "./views.js";

export const createFromMessageId = "create_ticket_from_message";

/**
 * "Create ticket" on any message: the form opens at once (trigger_id lives 3 s), prefilled from the message;
 * the ticket links back to it (origin channel, ts and thread; the permalink is fetched on submit).
 */
export function registerMessageShortcut(app: App, deps: HandlerDeps): void {
  app.shortcut<MessageShortcut>(createFromMessageId, async ({ shortcut, ack, client, respond }) => {
    await ack();
    const text = shortcut.message.text ?? "";
    const firstLine = text.split("\n").find((l) => l.trim()) ?? "";
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: createTicketModal(
          deps.policy,
          {
            channelId: shortcut.channel.id,
            origin: {
              channelId: shortcut.channel.id,
              messageId: shortcut.message.ts,
              threadId: shortcut.message.thread_ts ?? shortcut.message.ts,
            },
          },
          {
            summary: clip(plainText(firstLine), SUMMARY_MAX),
            description: plainText(text),
            channel: "chat",
          },
        ),
      });
    } catch (thrown) {
      await respond({ response_type: "ephemeral", text: failureText(thrown, deps.logger) }).catch(
        () => undefined,
      );
    }
  });
}

/** Slack's message markup read as plain words: <@U1|ann> → @ann, <https://x|x> → x, &amp; → &. */
export function plainText(text: string): string {
  return text
    .replace(
      /<([@#!])[^|>]*\|([^>]+)>/g,
      (_m, sigil: string, label: string) => `${sigil === "!" ? "" : sigil}${label}`,
    )
    .replace(/<([^|>]+)\|([^>]+)>/g, "$2")
    .replace(/<([^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}
