import { DateTime } from "luxon";
import type { TicketView } from "../chat/port.js";
import type { LoggedEvent } from "./events.js";
import { clock } from "./notifications.js";

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
      return `↕️ ${who} changed the severity from ${p.from} to ${p.to}: ${p.why}`;
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
    case "pageSnoozed":
      return `😴 ${who} snoozed the page until ${clock(DateTime.fromISO(p.until), ticket.zone)}; the SLA clock keeps running.`;
    case "pageEscalated":
      return `⏫ ${who} escalated the page to the next level now: ${p.reason}`;
    case "pageReassigned":
      return `↪️ ${who} reassigned the page to ${p.to.kind === "person" ? `<@${p.to.person}>` : `whoever is on call for ${p.to.schedule}`}.`;
  }
}
