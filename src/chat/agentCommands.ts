import type { Actor, TicketService } from "../tickets/service.js";
import type { Destination, TicketView } from "./port.js";
import type { AgentCommand, TicketCommand } from "./ticketCommand.js";

const agentKinds = new Set(["assign", "away", "back", "search", "queue", "digest", "digestPost", "usage"]);

export function isAgentCommand(command: TicketCommand): command is AgentCommand {
  return agentKinds.has(command.kind);
}

/**
 * What a `/ticket` move answers: chat text (with `<@id>` mentions and `*bold*`, written by Escalator, never
 * by a user) and, for search and queue, tickets that each adapter lists with its own escaping.
 */
export interface AgentReply {
  text: string;
  tickets?: TicketView[];
}

/** Where a `/ticket` move was typed, for the moves that post there (`digest post`). */
export interface CommandPlace {
  /** The conversation it was typed in. */
  destination: Destination;
  /** The request's id on its platform (a Slack trigger id, a Teams activity id): the same on a retry. */
  requestKey: string;
  /** Why the bot cannot post there, when it cannot (Slack: a channel it is not in); asked of agents only. */
  refusal?: () => Promise<string | undefined>;
}

/** Runs the support side's `/ticket` moves once for every platform; adapters render the reply. */
export async function runAgentCommand(
  command: AgentCommand,
  actor: Actor,
  tickets: TicketService,
  here: CommandPlace,
): Promise<AgentReply> {
  switch (command.kind) {
    case "usage":
      return { text: command.text };
    case "assign": {
      const assigneeId = command.assignee.toLowerCase() === "me" ? actor.id : command.assignee;
      const ref = { workspaceId: actor.workspaceId, number: command.number };
      const { ticket, duplicate } = await tickets.record(ref, actor, { type: "assigned", assigneeId });
      return {
        text: `${duplicate ? "Already assigned" : "Assigned"} *#${ticket.number}* to <@${assigneeId}>.`,
      };
    }
    case "away":
      await tickets.setAway(actor, true);
      return { text: "You are marked away: round-robin skips you until you type `/ticket back`." };
    case "back":
      await tickets.setAway(actor, false);
      return { text: "Welcome back: round-robin assigns you new tickets again." };
    case "search": {
      const found = await tickets.search(actor, command.text);
      return {
        text: found.length
          ? `${found.length} ticket${found.length === 1 ? "" : "s"} found:`
          : "No ticket matches.",
        tickets: found,
      };
    }
    case "digest":
      return { text: `${await tickets.digest(actor)}\n${sharePrompt}` };
    case "digestPost": {
      const posted = await tickets.postDigest(actor, here.destination, here.requestKey, here.refusal);
      return {
        text: posted ? "Posting last week's digest here." : "Last week's digest is already on its way here.",
      };
    }
    case "queue": {
      const queue = await tickets.queue(actor);
      return {
        text: queue.length ? "Team queue, soonest breach first:" : "The queue is empty.",
        tickets: queue,
      };
    }
  }
}

const sharePrompt = "`/ticket digest post` shares it in this channel, with its chart.";
