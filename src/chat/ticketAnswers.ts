import type { DateTime } from "luxon";
import type { Actor, TicketService } from "../tickets/service.js";
import type { NewTicketInput } from "../tickets/validate.js";
import type { TicketView } from "./port.js";
import type { TicketCommand } from "./ticketCommand.js";
import { timeLeft } from "./ticketWords.js";

/** How a platform writes our answers: its bold, its escape for words a person typed, its dates and mentions. */
export interface AnswerFormat {
  bold(text: string): string;
  userText(text: string): string;
  /** An instant in the ticket's zone. */
  date(iso: string, zone: string): string;
  mention(userId: string): string;
}

export type TicketAnswer = { text: string; ticket?: TicketView };

/**
 * `/ticket list` and `/ticket 142` on any platform: the same decisions and the same words, drawn in each
 * platform's format. Errors (TicketCommandError) are the caller's to show.
 */
export async function answerTicketQuery(
  command: TicketCommand & { kind: "list" | "show" },
  ctx: { tickets: TicketService; actor: Actor; format: AnswerFormat; now: DateTime },
): Promise<TicketAnswer> {
  const { tickets, actor, format } = ctx;
  if (command.kind === "list") {
    const mine = await tickets.list({ workspaceId: actor.workspaceId, personId: actor.id, limit: 20 });
    return {
      text: mine.length
        ? mine.map((t) => `• ${ticketLine(t, ctx.now, format)}`).join("\n")
        : "You have no open tickets.",
    };
  }
  // Who may look is the ticket service's rule; a refusal is a TicketCommandError the caller shows.
  const ticket = await tickets.viewAs({ workspaceId: actor.workspaceId, number: command.number }, actor);
  return { text: `#${ticket.number} ${format.userText(ticket.summary)}`, ticket };
}

/** `/ticket [severity] summary` on any platform: opens the ticket and says so in the shared words. */
export async function answerTicketCreate(
  command: TicketCommand & { kind: "create" },
  ctx: {
    tickets: TicketService;
    actor: Actor;
    format: AnswerFormat;
    /** Where the card goes and what else the new ticket carries (customer, plan, triage channel). */
    newTicket: Omit<NewTicketInput, "summary" | "severity">;
    clientKey: string;
  },
): Promise<TicketAnswer> {
  const { ticket, duplicate } = await ctx.tickets.create(
    ctx.actor,
    {
      ...ctx.newTicket,
      summary: command.summary,
      ...(command.severity ? { severity: command.severity } : {}),
    },
    ctx.clientKey,
  );
  return { text: openedText(ticket, { duplicate, fromMessage: false }, ctx.format) };
}

/** The answer to whoever opened a ticket, from `/ticket`, the form or "Create ticket" on a message. */
export function openedText(
  ticket: Pick<TicketView, "number" | "severityLabel" | "summary">,
  how: { duplicate: boolean; fromMessage: boolean },
  format: AnswerFormat,
): string {
  const what = `${format.bold(`#${ticket.number}`)} (${format.userText(ticket.severityLabel)}): ${format.userText(ticket.summary)}`;
  if (how.duplicate && how.fromMessage) return `That message already has ticket ${what}.`;
  return `${how.duplicate ? "Already opened" : "Opened"} ${what}. Its card is in this channel; follow it and reply in the card's thread.`;
}

/** "#12 Printer down · High · Open · @alice — First response due Mon 19:00 (2 h left)". */
export function ticketLine(t: TicketView, now: DateTime, format: AnswerFormat): string {
  const next = t.targets.find((x) => x.due && (x.state === "pending" || x.state === "breached"));
  const due = !next?.due
    ? ""
    : next.immediate && next.state === "pending"
      ? ` — ${next.label}: respond now (breached at ${format.date(next.due, t.zone)})`
      : ` — ${next.label} due ${format.date(next.due, t.zone)} (${timeLeft(next.due, now)})`;
  const who = t.assigneeId ? ` · ${format.mention(t.assigneeId)}` : " · unassigned";
  return `${format.bold(`#${t.number}`)} ${format.userText(`${t.summary} · ${t.severityLabel} · ${t.status}`)}${who}${due}`;
}
