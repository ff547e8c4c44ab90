import type { App } from "@slack/bolt";
import { answerTicketCommand } from "../ticketAnswers.js";
import { parseTicketCommand, ticketHelp } from "../ticketCommand.js";
import { clip, limits } from "./blocks.js";
import { actorFor, failureText, type HandlerDeps, workspaceOf } from "./handlerDeps.js";
import { ticketLine } from "./home.js";
import { ticketCardBlocks } from "./render.js";
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
      const customer = deps.customers.find(key, command.channel_id);
      const now = deps.now();
      const answer = await answerTicketCommand(parsed, {
        tickets: deps.tickets,
        actor,
        format: { bold: (s) => `*${s}*`, userText: (s) => s, line: (t) => ticketLine(t, now) },
        newTicket: {
          ...(customer ? { plan: customer.plan, customerId: customer.id } : {}),
          home: { platform: "slack", workspaceId, channelId: command.channel_id },
        },
        clientKey: `slack:${command.trigger_id}`,
      });
      await ephemeral(answer.text, answer.ticket ? ticketCardBlocks(answer.ticket, now) : undefined);
    } catch (thrown) {
      await ephemeral(failureText(thrown, deps.logger)).catch(() => undefined);
    }
  });
}
