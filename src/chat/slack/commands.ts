import type { App } from "@slack/bolt";
import { runAgentCommand } from "../agentCommands.js";
import { parseTicketCommand, ticketHelp } from "../ticketCommand.js";
import { clip, limits } from "./blocks.js";
import { actorFor, failureText, type HandlerDeps, workspaceOf } from "./handlerDeps.js";
import { ticketLine } from "./home.js";
import { ticketCardBlocks } from "./render.js";
import { plainText } from "./shortcut.js";
import { createTicketModal } from "./views.js";

/**
 * `/ticket [severity] summary…` opens a ticket at once; `/ticket` alone opens the form; `list`, `142`,
 * `help`. Acked first (3 s), answered ephemerally through the response_url afterwards.
 */
export function registerTicketCommand(app: App, deps: HandlerDeps, name = "/ticket"): void {
  app.command(name, async ({ command, ack, respond, client, context }) => {
    const parsed = parseTicketCommand(command.text ?? "", deps.policy);
    if (parsed.kind === "help")
      return ack({ response_type: "ephemeral", text: ticketHelp(deps.policy, name) });
    await ack();
    const ephemeral = (text: string, blocks?: object[]) =>
      respond({
        response_type: "ephemeral",
        text: clip(text, limits.fallbackText),
        ...(blocks ? { blocks } : {}),
      });
    try {
      if (parsed.kind === "modal") {
        // trigger_id is valid for 3 s: open the form before anything slow.
        await client.views.open({
          trigger_id: command.trigger_id,
          view: createTicketModal(deps.policy, { channelId: command.channel_id }),
        });
        return;
      }
      const actor = await actorFor(deps, client, context, command.user_id);
      const { workspaceId, key } = workspaceOf(context);
      if (parsed.kind === "list") {
        const mine = await deps.tickets.list({ workspaceId, personId: actor.id, limit: 20 });
        const now = deps.now();
        await ephemeral(
          mine.length ? mine.map((t) => `• ${ticketLine(t, now)}`).join("\n") : "You have no open tickets.",
        );
        return;
      }
      if (parsed.kind === "show") {
        const ticket = await deps.tickets.view({ workspaceId, number: parsed.number });
        if (!actor.isAgent && ticket.requesterId !== actor.id) {
          await ephemeral(
            `Ticket #${parsed.number} is not one of yours; only its requester and agents can see it.`,
          );
          return;
        }
        await ephemeral(`#${ticket.number} ${ticket.summary}`, ticketCardBlocks(ticket, deps.now()));
        return;
      }
      if (parsed.kind !== "create") {
        const reply = await runAgentCommand(parsed, actor, deps.tickets);
        const now = deps.now();
        const lines = (reply.tickets ?? []).map((t) => `• ${ticketLine(t, now)}`);
        await ephemeral([reply.text, ...lines].join("\n"));
        return;
      }
      const customer = deps.customers.find(key, command.channel_id);
      const { ticket, duplicate } = await deps.tickets.create(
        actor,
        {
          summary: plainText(parsed.summary),
          ...(parsed.severity ? { severity: parsed.severity } : {}),
          ...(customer ? { plan: customer.plan, customerId: customer.id } : {}),
          home: { platform: "slack", workspaceId, channelId: command.channel_id },
        },
        `slack:${command.trigger_id}`,
      );
      await ephemeral(
        `${duplicate ? "Already opened" : "Opened"} *#${ticket.number}* (${ticket.severityLabel}): ${ticket.summary}. ` +
          "Its card is posted in this channel; follow it and reply in the card's thread.",
      );
    } catch (thrown) {
      await ephemeral(failureText(thrown, deps.logger)).catch(() => undefined);
    }
  });
}
