import type { App, GlobalShortcut } from "@slack/bolt";
import { ticketHelp } from "../ticketCommand.js";
import { failureText, type HandlerDeps, tellEphemeral, workspaceOf } from "./handlerDeps.js";
import { createTicketModal } from "./views.js";

export const newTicketShortcutId = "new_ticket";

/**
 * More ways in: a reaction (🎫 `:ticket:` unless SLACK_TICKET_REACTION says otherwise) on any message opens a
 * ticket from it as "Create ticket" does, keyed on the message so a retried event, a second reaction or the
 * shortcut on the same message find the same ticket; the global shortcut "New ticket" opens the form (with a
 * channel to post in) where slash commands are not allowed; `@Escalator help` answers the one who asked.
 */
export function registerWaysIn(app: App, deps: HandlerDeps, reaction: string): void {
  // Written down like a `/ticket` (Slack does not resend an event it had acknowledged), one row per person
  // and message so that each one who reacts is told; the intake worker reads the message and opens it.
  app.event("reaction_added", async ({ event, context }) => {
    if (event.reaction !== reaction || event.item.type !== "message") return;
    const { channel, ts } = event.item;
    const { workspaceId, key } = workspaceOf(context);
    await deps.intake.save({
      id: `slack:reaction:${channel}:${ts}:${event.user}`,
      workspaceId,
      userTeam: key,
      userId: event.user,
      channelId: channel,
      input: { summary: "" },
      reactedTo: ts,
      receivedAt: deps.now().toISO()!,
    });
    deps.intake.wake();
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
