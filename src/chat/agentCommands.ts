import type { Actor, TicketService } from "../tickets/service.js";
import type { AgentCommand } from "./ticketCommand.js";

/**
 * Runs the support side's `/ticket` moves once for every platform. The answer is chat text with `<@id>`
 * mentions and `*bold*`; each adapter renders it (Slack as mrkdwn, the terminal as plain text).
 */
export async function runAgentCommand(
  command: AgentCommand,
  actor: Actor,
  tickets: TicketService,
): Promise<string> {
  switch (command.kind) {
    case "usage":
      return command.text;
    case "assign": {
      const assigneeId = command.assignee.toLowerCase() === "me" ? actor.id : command.assignee;
      const ref = { workspaceId: actor.workspaceId, number: command.number };
      const { ticket, duplicate } = await tickets.record(ref, actor, { type: "assigned", assigneeId });
      return `${duplicate ? "Already assigned" : "Assigned"} *#${ticket.number}* to <@${assigneeId}>.`;
    }
    case "away":
      await tickets.setAway(actor, true);
      return "You are marked away: round-robin skips you until you type `/ticket back`.";
    case "back":
      await tickets.setAway(actor, false);
      return "Welcome back: round-robin assigns you new tickets again.";
  }
}
