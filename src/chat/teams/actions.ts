import { createHash } from "node:crypto";
import type { Activity } from "botbuilder";
import { z } from "zod";
import { type ResolutionReason, resolutionReasons, type TicketEventPayload } from "../../tickets/events.js";
import type { Actor } from "../../tickets/service.js";
import { claimClick } from "../clicks.js";
import { createFromForm } from "./createTicket.js";
import { actorFor, failureText, type TeamsHandlerDeps } from "./handlerDeps.js";
import { pageMoveDone, pageMovePayload } from "./pageMoves.js";
import { peopleNames } from "./people.js";
import type { AdaptiveCard } from "./render/card.js";
import { acknowledgedPageCard } from "./render/page.js";
import { verbs } from "./render/ticketCard.js";
import { viewerCard } from "./viewerCard.js";

/** A button's data, as both Action.Execute and its Action.Submit fallback send it (inputs included). */
const cardData = z
  .object({
    verb: z.string().optional(),
    ticketId: z.string().optional(),
    severity: z.string().optional(),
    why: z.string().optional(),
    reason: z.string().optional(),
    note: z.string().optional(),
    form: z.string().optional(),
    /** "1": a page's row in a card of several (bundled pages): acknowledging one answers, the card stays. */
    bundled: z.string().optional(),
  })
  .passthrough();
export type CardData = z.infer<typeof cardData>;

/** What a click comes to: a card that replaces the clicked one for the clicker, or a message to them. */
export type CardOutcome = { card: AdaptiveCard } | { message: string };

/**
 * The card's buttons and the page's Acknowledge, by verb. Who may do what is the ticket service's rule
 * (agents change tickets; requesters and agents reopen; whoever was paged may acknowledge); the answer is
 * the ticket card as this viewer now sees it.
 */
export async function runCardVerb(
  deps: TeamsHandlerDeps,
  activity: Activity,
  verb: string,
  raw: unknown,
): Promise<CardOutcome> {
  const parsed = cardData.safeParse(raw ?? {});
  if (!parsed.success) return { message: "That button's data could not be read; nothing was changed." };
  const data = parsed.data;
  try {
    const actor = await actorFor(deps, activity);
    if (verb === verbs.create) return { message: await createFromForm(deps, activity, actor, data) };
    const ticketId = data.ticketId;
    if (!ticketId) return { message: "That button names no ticket; nothing was changed." };
    if (verb === verbs.refresh)
      return { card: await viewerCard(deps, await deps.tickets.viewAs({ ticketId }, actor), actor.isAgent) };
    if (!(await claimClick(deps.prisma, doubleClickKey(actor, ticketId, verb, data), deps.now().toJSDate())))
      return await doubleClick(deps, actor, ticketId, verb);
    if (verb === verbs.pageAcknowledge)
      return await acknowledgePage(deps, actor, ticketId, activity, data.bundled === "1");
    const move = pageMovePayload(deps, activity, verb, data);
    if (typeof move === "string") return { message: move };
    if (move) {
      const { ticket } = await deps.tickets.record({ ticketId }, actor, move, clickKey(activity, verb));
      return { message: pageMoveDone(ticket.number, move, activity.localTimezone || deps.policy.zone) };
    }
    const payload = await payloadFor(deps, verb, actor, ticketId, data);
    if (typeof payload === "string") return { message: payload };
    const { ticket } = await deps.tickets.record({ ticketId }, actor, payload, clickKey(activity, verb));
    return { card: await viewerCard(deps, ticket, actor.isAgent) };
  } catch (thrown) {
    return { message: failureText(thrown, deps.logger) };
  }
}

/**
 * The event a verb records, or why the button cannot be read. Who may do it is the ticket service's rule
 * table (its refusal is a TicketCommandError, said to the clicker); this only translates.
 */
async function payloadFor(
  deps: TeamsHandlerDeps,
  verb: string,
  actor: Actor,
  ticketId: string,
  data: CardData,
): Promise<TicketEventPayload | string> {
  switch (verb) {
    case verbs.reopen:
      return { type: "reopened", why: "reopened from Teams" };
    case verbs.acknowledge:
      return deps.tickets.acknowledgement({ ticketId }, actor);
    case verbs.wait:
      return { type: "waitingOnCustomer" };
    case verbs.resume:
      return { type: "resumed" };
    case verbs.severity: {
      await deps.tickets.authorize({ ticketId }, actor, "severityChanged");
      const current = await deps.tickets.view({ ticketId });
      const to = deps.policy.severities.find((s) => s.key === data.severity)?.key;
      if (!to)
        return `Severity must be one of ${deps.policy.severities.map((s) => s.key).join(", ")}; nothing was changed.`;
      return { type: "severityChanged", from: current.severity, to, why: data.why?.trim() ?? "" };
    }
    case verbs.resolve: {
      const given = data.reason ?? "fixed";
      const reason = (resolutionReasons as readonly string[]).includes(given)
        ? (given as ResolutionReason)
        : "fixed";
      const note = data.note?.trim();
      return { type: "resolved", reason, ...(note ? { note } : {}) };
    }
  }
  return `Escalator does not know the button “${verb}”; nothing was changed.`;
}

async function acknowledgePage(
  deps: TeamsHandlerDeps,
  actor: Actor,
  ticketId: string,
  activity: Activity,
  bundled: boolean,
): Promise<CardOutcome> {
  const { ticket } = await deps.tickets.record(
    { ticketId },
    actor,
    { type: "acknowledged" },
    clickKey(activity, verbs.pageAcknowledge),
  );
  // One row of several: the card keeps the others' buttons; the clicker is told which one was taken.
  if (bundled) return { message: `✅ You acknowledged #${ticket.number}: ${ticket.summary}` };
  const { nameOf } = await peopleNames(deps.conversations, [actor.id], null);
  // The page is the person's own copy: its button gives way to who acknowledged.
  return { card: acknowledgedPageCard(ticket, actor.id, nameOf) };
}

/** The same button with the same form values, by the same person on the same ticket. */
function doubleClickKey(actor: Actor, ticketId: string, verb: string, data: CardData): string {
  // Every value the form sent counts: a corrected form sent right after a refused one is not a double click.
  const values = createHash("sha256")
    .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))))
    .digest("base64url")
    .slice(0, 16);
  return `${actor.workspaceId}:${actor.id}:${ticketId}:${verb}:${values}`;
}

/** A second click within seconds changes nothing: the card as it is now, or (a page) a word that it was seen. */
async function doubleClick(
  deps: TeamsHandlerDeps,
  actor: Actor,
  ticketId: string,
  verb: string,
): Promise<CardOutcome> {
  if (verb === verbs.pageAcknowledge) return { message: "Your acknowledgement is already in." };
  if (verb === verbs.pageSnooze || verb === verbs.pageEscalate || verb === verbs.pageReassign)
    return { message: "You clicked twice: the first click counts, nothing more was changed." };
  return { card: await viewerCard(deps, await deps.tickets.viewAs({ ticketId }, actor), actor.isAgent) };
}

/** One click, one event: Teams' activity id is the same on a redelivery of the same click. */
function clickKey(activity: Activity, verb: string): string {
  return `teams:${activity.id ?? `${activity.from.id}:${activity.timestamp}`}:${verb}`;
}
