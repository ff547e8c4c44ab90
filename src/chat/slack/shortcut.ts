import type { App, MessageShortcut } from "@slack/bolt";
import { SUMMARY_MAX } from "../../tickets/validate.js";
import { clip } from "./blocks.js";
import { refuseFormWhereUnfollowable } from "./commands.js";
import { failureText, type HandlerDeps, workspaceOf } from "./handlerDeps.js";
import { fromSlack } from "./text.js";
import { createTicketModal } from "./views.js";

export const createFromMessageId = "create_ticket_from_message";

/**
 * "Create ticket" on any message: the form opens at once (trigger_id lives 3 s), prefilled from the message;
 * the ticket links back to it (origin channel, ts and thread; the permalink is fetched on submit).
 */
export function registerMessageShortcut(app: App, deps: HandlerDeps): void {
  app.shortcut<MessageShortcut>(createFromMessageId, async ({ shortcut, ack, client, respond, context }) => {
    await ack();
    const text = fromSlack(shortcut.message.text);
    const firstLine = text.split("\n").find((l) => l.trim()) ?? "";
    try {
      const opened = await client.views.open({
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
            summary: clip(firstLine.trim(), SUMMARY_MAX),
            description: text.trim(),
            channel: "chat",
          },
        ),
      });
      const { workspaceId } = workspaceOf(context);
      await refuseFormWhereUnfollowable(deps, client, workspaceId, shortcut.channel.id, opened.view?.id);
    } catch (thrown) {
      await respond({ response_type: "ephemeral", text: failureText(thrown, deps.logger) }).catch(
        () => undefined,
      );
    }
  });
}
