import type { Policy } from "../../policy/types.js";
import type { SqlQuery } from "../../store/db.js";
import { savePendingCommand } from "../../store/pendingCommands.js";
import type { NewTicketInput } from "../../tickets/validate.js";
import { isAgentCommand } from "../agentCommands.js";
import { parseTicketCommand, type TicketCommand } from "../ticketCommand.js";
import { commandClaimId } from "./inbound.js";
import type { SlashCommandForm } from "./slashCommand.js";
import { decodeEntities, fromSlack } from "./text.js";
import type { CreateMeta } from "./views.js";
import { type TeamRef, workspaceIdOf } from "./workspace.js";

// What the ack path of `/ticket` needs, and nothing more: the front door thread (frontLane.ts) imports this
// module too, so it must stay free of Bolt, Prisma and the ticket service.

/**
 * A ticket someone asked for (`/ticket …` or a submitted form), written to the database before Slack is
 * acknowledged: if the process dies after the ack, the next start carries it out and answers the person.
 * Its id is the ticket's client key, so carrying it out twice opens one ticket.
 */
export interface PendingTicket {
  id: string;
  /**
   * The installing (vendor) workspace: the ticket's, whatever the submitter's team. Absent when the front
   * door thread wrote it down (it does not look installations up): `team` is then resolved when carried out.
   */
  workspaceId?: string;
  /** The team Slack named in the request, as Bolt's authorize reads it; set when `workspaceId` is not. */
  team?: TeamRef;
  /** The submitter's own team (in a Slack Connect channel, the customer's): for the customers file. */
  userTeam?: string | undefined;
  userId: string;
  channelId: string;
  input: Pick<NewTicketInput, "summary" | "description" | "severity" | "channel" | "category">;
  origin?: CreateMeta["origin"];
  /** Where the person hears the outcome: the command's response_url, else ephemerally in the channel. */
  responseUrl?: string | undefined;
  /** A 🎫 reaction on this message (its ts): the input is read from the message when carried out. */
  reactedTo?: string;
  receivedAt: string;
}

/**
 * The ack path's one statement, on the connections kept for it (Store.intake, or the front door thread's
 * own); with `claim` (a slash command's key) it also claims the invocation, and writes nothing for a replay.
 * True when written.
 */
export function savePending(sql: SqlQuery, pending: PendingTicket, claim?: string): Promise<boolean> {
  const row = {
    id: pending.id,
    platform: "slack",
    workspaceId: pending.workspaceId ?? workspaceIdOf(pending.team ?? {}),
    payload: pending,
    receivedAt: new Date(pending.receivedAt),
  };
  return savePendingCommand(sql, row, claim === undefined ? undefined : commandClaimId(claim));
}

/** The words of `/ticket …` a policy knows: its severities. */
export type Vocabulary = Pick<Policy, "severities">;

/**
 * `/ticket …` as Slack sends it: agents' moves read the raw text (mentions and channels keep their ids,
 * `<@U…|name>`, `<#C…|name>`); everything else reads plain words.
 */
export function readTicketCommand(text: string, vocabulary: Vocabulary): TicketCommand {
  const raw = parseTicketCommand(decodeEntities(text), vocabulary);
  return isAgentCommand(raw) ? raw : parseTicketCommand(fromSlack(text), vocabulary);
}

/** A direct message: no ticket thread can be followed there (Slack sends no DM replies to the bot). */
export const isDirectMessage = (channelId: string): boolean => channelId.startsWith("D");

/** What a slash command's form carries that a new ticket needs. */
export type SlashCommandFields = Pick<
  SlashCommandForm,
  "trigger_id" | "team_id" | "user_id" | "channel_id" | "response_url"
>;

/** The pending ticket of `/ticket [severity] summary…` (`parsed` is its create command). */
export function pendingTicketOf(
  command: SlashCommandFields,
  parsed: Extract<TicketCommand, { kind: "create" }>,
  where: Pick<PendingTicket, "workspaceId" | "team">,
  receivedAt: string,
): PendingTicket {
  return {
    id: `slack:${command.trigger_id}`,
    ...where,
    userTeam: command.team_id,
    userId: command.user_id,
    channelId: command.channel_id,
    input: { summary: parsed.summary, ...(parsed.severity ? { severity: parsed.severity } : {}) },
    responseUrl: command.response_url,
    receivedAt,
  };
}
