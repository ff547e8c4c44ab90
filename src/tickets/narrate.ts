import { DateTime } from "luxon";
import type { TicketView } from "../chat/port.js";
import type { LoggedEvent } from "./events.js";

/** The line posted in the ticket's thread for each event; `<@id>` is a person, rendered per platform. */
export function describeEvent(event: LoggedEvent, ticket: TicketView): string {
  const who = event.actorId === "escalator" ? "Escalator" : `<@${event.actorId}>`;
  const p = event.payload;
  switch (p.type) {
    case "created":
      return `${who} opened #${ticket.number}: ${p.summary}`;
    case "comment":
      return p.visibility === "internal" ? `📝 ${who} (internal): ${p.text}` : `💬 ${who}: ${p.text}`;
    case "assigned":
      return p.assigneeId
        ? `👤 ${who} assigned the ticket to <@${p.assigneeId}>.`
        : `👤 ${who} unassigned the ticket.`;
    case "acknowledged":
      return `👍 ${who} acknowledged the ticket.`;
    case "severityChanged":
      return `↕️ ${who} changed the severity from ${p.from} to ${p.to}: ${p.why}${rescheduled(ticket, event.at)}`;
    case "waitingOnCustomer":
      return `⏸️ ${who} is waiting on the customer; the clock is paused.`;
    case "resumed":
      return `▶️ ${who} resumed the ticket; the clock runs again.`;
    case "resolved":
      return `✅ ${who} resolved the ticket (${p.reason})${p.note ? `: ${p.note}` : "."}`;
    case "closed":
      return `🔒 ${who} closed the ticket.`;
    case "reopened":
      return `🔁 ${who} reopened the ticket${p.why ? `: ${p.why}` : "."}`;
  }
}

/** A line "⏱️ First response: was due …, now due …." for each target this change moved. */
function rescheduled(ticket: TicketView, at: Date): string {
  const when = (iso: string | null | undefined) =>
    iso ? DateTime.fromISO(iso).setZone(ticket.zone).toFormat("ccc d LLL HH:mm ZZZZ") : "no target";
  const lines = ticket.targets
    .filter((t) => t.rescheduledAt && DateTime.fromISO(t.rescheduledAt).toMillis() === at.getTime())
    .map((t) => `\n⏱️ ${t.label}: was due ${when(t.previousDue)}, now due ${when(t.due)}.`);
  return lines.join("");
}
