import type { SqlQuery } from "../../store/db.js";
import { savePendingCommand } from "../../store/pendingCommands.js";
import type { NewTicketInput } from "../../tickets/validate.js";
import { openedText } from "../ticketAnswers.js";
import { slackAnswers } from "./blocks.js";
import type { WebClient } from "./client.js";
import { ticketFromMessage } from "./fromMessage.js";
import { actorIn, failureText, type HandlerDeps, tellEphemeral } from "./handlerDeps.js";
import { commandClaimId } from "./inbound.js";
import { postToResponseUrl } from "./responseUrl.js";
import type { CreateMeta } from "./views.js";

/** Slack keeps a response_url for 30 minutes; after that the person is told in their DM with the app. */
const RESPONSE_URL_FOR_MS = 29 * 60_000;

/**
 * A ticket someone asked for (`/ticket …` or a submitted form), written to the database before Slack is
 * acknowledged: if the process dies after the ack, the next start carries it out and answers the person.
 * Its id is the ticket's client key, so carrying it out twice opens one ticket.
 */
export interface PendingTicket {
  id: string;
  /** The installing (vendor) workspace: the ticket's, whatever the submitter's team. */
  workspaceId: string;
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
 * The ack path's one statement, on the connections kept for it (Store.intake); with `claim` (a slash
 * command's key) it also claims the invocation, and writes nothing for a replay. True when written.
 */
export function savePending(sql: SqlQuery, pending: PendingTicket, claim?: string): Promise<boolean> {
  const row = {
    id: pending.id,
    platform: "slack",
    workspaceId: pending.workspaceId,
    payload: pending,
    receivedAt: new Date(pending.receivedAt),
  };
  return savePendingCommand(sql, row, claim === undefined ? undefined : commandClaimId(claim));
}

/**
 * Opens the ticket, or refuses where the bot could not follow its thread (nothing written), and tells the
 * person. Run by the intake worker, which deletes the pending row once this returns; a crash before that
 * leaves the row to be carried out again (one ticket: the row's id is its client key).
 */
export async function carryOut(deps: HandlerDeps, client: WebClient, pending: PendingTicket): Promise<void> {
  let answer: string;
  try {
    answer =
      pending.reactedTo === undefined
        ? await openTicket(deps, client, pending)
        : await ticketFromMessage(deps, client, { ...pending, reactedTo: pending.reactedTo });
  } catch (thrown) {
    answer = failureText(thrown, deps.logger);
  }
  await tell(deps, client, pending, answer);
}

async function openTicket(deps: HandlerDeps, client: WebClient, pending: PendingTicket): Promise<string> {
  const access = await deps.access.check(client, pending.workspaceId, pending.channelId);
  if (!access.ok) return `Nothing was opened. ${access.why}`;
  const actor = await actorIn(deps, client, pending.workspaceId, pending.userId, pending.userTeam);
  const customer = deps.customers.find(pending.userTeam, pending.channelId);
  const triage = customer?.triage ?? deps.triageChannel;
  const input: NewTicketInput = {
    ...pending.input,
    ...(customer ? { plan: customer.plan, customerId: customer.id } : {}),
    home: { platform: "slack", workspaceId: pending.workspaceId, channelId: pending.channelId },
    // A ticket opened in the triage channel itself needs no copy there.
    triageChannel: triage && triage !== pending.channelId ? triage : null,
  };
  if (pending.origin) {
    const { channelId, messageId } = pending.origin;
    const link = await client.chat
      .getPermalink({ channel: channelId, message_ts: messageId })
      .catch(() => undefined);
    input.origin = { ...pending.origin, permalink: link?.permalink ?? null };
  }
  const { ticket, duplicate } = await deps.tickets.create(actor, input, pending.id);
  return openedText(ticket, { duplicate, fromMessage: Boolean(pending.origin) }, slackAnswers);
}

async function tell(deps: HandlerDeps, client: WebClient, pending: PendingTicket, text: string) {
  const age = deps.now().toMillis() - Date.parse(pending.receivedAt);
  if (pending.responseUrl && age < RESPONSE_URL_FOR_MS) {
    if (await postToResponseUrl(pending.responseUrl, { response_type: "ephemeral", text })) return;
    deps.logger.warn({ pending: pending.id }, "response_url refused the answer; telling the person directly");
  }
  await tellEphemeral(client, deps.logger, pending.channelId, pending.userId, text);
}
