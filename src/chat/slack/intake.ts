import type { NewTicketInput } from "../../tickets/validate.js";
import { openedText } from "../ticketAnswers.js";
import { slackAnswers } from "./blocks.js";
import type { WebClient } from "./client.js";
import { ticketFromMessage } from "./fromMessage.js";
import { actorIn, failureText, type HandlerDeps, tellEphemeral } from "./handlerDeps.js";
import type { PendingTicket } from "./pending.js";
import { postToResponseUrl } from "./responseUrl.js";

/** Slack keeps a response_url for 30 minutes; after that the person is told in their DM with the app. */
const RESPONSE_URL_FOR_MS = 29 * 60_000;

/** A pending ticket whose workspace is known (resolved from its team when the front door wrote it down). */
export type PlacedTicket = PendingTicket & { workspaceId: string };

/** The request's workspace and a client with its bot token; throws when Escalator is not installed there. */
export type PlaceOf = (pending: PendingTicket) => Promise<{ workspaceId: string; client: WebClient }>;

/**
 * Opens the ticket, or refuses where the bot could not follow its thread (nothing written), and tells the
 * person. Run by the intake worker, which deletes the pending row once this returns; a crash before that
 * leaves the row to be carried out again (one ticket: the row's id is its client key).
 */
export async function carryOut(deps: HandlerDeps, placeOf: PlaceOf, asked: PendingTicket): Promise<void> {
  let answer: string;
  let client: WebClient | undefined;
  try {
    const place = await placeOf(asked);
    client = place.client;
    const pending = { ...asked, workspaceId: place.workspaceId };
    answer =
      pending.reactedTo === undefined
        ? await openTicket(deps, client, pending)
        : await ticketFromMessage(deps, client, { ...pending, reactedTo: pending.reactedTo });
  } catch (thrown) {
    answer = failureText(thrown, deps.logger);
  }
  await tell(deps, client, asked, answer);
}

async function openTicket(deps: HandlerDeps, client: WebClient, pending: PlacedTicket): Promise<string> {
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

async function tell(
  deps: HandlerDeps,
  client: WebClient | undefined,
  pending: PendingTicket,
  text: string,
): Promise<void> {
  const age = deps.now().toMillis() - Date.parse(pending.receivedAt);
  if (pending.responseUrl && age < RESPONSE_URL_FOR_MS) {
    if (await postToResponseUrl(pending.responseUrl, { response_type: "ephemeral", text })) return;
    deps.logger.warn({ pending: pending.id }, "response_url refused the answer; telling the person directly");
  }
  if (client) await tellEphemeral(client, deps.logger, pending.channelId, pending.userId, text);
  else
    deps.logger.error(
      { pending: pending.id },
      "a /ticket's answer could not be given: no way left to reach the person",
    );
}
