import type { Actor, TicketService } from "../tickets/service.js";
import type { NewTicketInput } from "../tickets/validate.js";
import type { TicketView } from "./port.js";
import type { TicketCommand } from "./ticketCommand.js";

/** How a platform writes our answers: its bold, its escape for words a person typed, its ticket line. */
export interface AnswerFormat {
  bold(text: string): string;
  userText(text: string): string;
  line(ticket: TicketView): string;
}

export type TicketAnswer = { text: string; ticket?: TicketView };

/**
 * `/ticket list`, `/ticket 142` and `/ticket [severity] summary` on any platform: the same decisions and the
 * same words, drawn in each platform's format. Errors (TicketCommandError) are the caller's to show.
 */
export async function answerTicketCommand(
  command: TicketCommand & { kind: "list" | "show" | "create" },
  ctx: {
    tickets: TicketService;
    actor: Actor;
    format: AnswerFormat;
    /** Where the card goes and what else the new ticket carries (customer, plan). */
    newTicket: Omit<NewTicketInput, "summary" | "severity">;
    clientKey: string;
  },
): Promise<TicketAnswer> {
  const { tickets, actor, format } = ctx;
  if (command.kind === "list") {
    const mine = await tickets.list({ workspaceId: actor.workspaceId, personId: actor.id, limit: 20 });
    return {
      text: mine.length ? mine.map((t) => `• ${format.line(t)}`).join("\n") : "You have no open tickets.",
    };
  }
  if (command.kind === "show") {
    // Who may look is the ticket service's rule; a refusal is a TicketCommandError the caller shows.
    const ticket = await tickets.viewAs({ workspaceId: actor.workspaceId, number: command.number }, actor);
    return { text: `#${ticket.number} ${format.userText(ticket.summary)}`, ticket };
  }
  const { ticket, duplicate } = await tickets.create(
    actor,
    {
      ...ctx.newTicket,
      summary: command.summary,
      ...(command.severity ? { severity: command.severity } : {}),
    },
    ctx.clientKey,
  );
  return {
    text:
      `${duplicate ? "Already opened" : "Opened"} ${format.bold(`#${ticket.number}`)} (${ticket.severityLabel}): ${format.userText(ticket.summary)}. ` +
      "Its card is posted in this channel; follow it and reply in the card's thread.",
  };
}
