import { DateTime } from "luxon";
import type { RichText, TicketView } from "../chat/port.js";
import { inZone } from "../zone.js";
import type { LoggedEvent } from "./events.js";
import { pageMoves } from "./rules.js";

/**
 * The note posted for each event, as structure: who did it (a user id, which each renderer mentions its
 * own way) and what anyone typed (summary, comment, why, note), which renderers show as plain text.
 */
export function describeEvent(event: LoggedEvent, ticket: TicketView): RichText {
  const who = event.actorId === "escalator" ? "Escalator" : { person: event.actorId };
  const p = event.payload;
  switch (p.type) {
    case "created":
      return [who, ` opened #${ticket.number}: `, { typed: p.summary }];
    case "comment":
      return p.visibility === "internal"
        ? ["📝 ", who, " (internal): ", { typed: p.text }]
        : ["💬 ", who, ": ", { typed: p.text }];
    case "assigned":
      return p.assigneeId
        ? ["👤 ", who, " assigned the ticket to ", { person: p.assigneeId }, "."]
        : ["👤 ", who, " unassigned the ticket."];
    case "acknowledged":
      return ["👍 ", who, " acknowledged the ticket."];
    case "severityChanged":
      return [
        "↕️ ",
        who,
        ` changed the severity from ${p.from} to ${p.to}: `,
        { typed: p.why },
        rescheduled(ticket, event.at),
      ];
    case "waitingOnCustomer":
      return ["⏸️ ", who, " is waiting on the customer; the clock is paused."];
    case "resumed":
      return ["▶️ ", who, " resumed the ticket; the clock runs again."];
    case "resolved":
      return [
        "✅ ",
        who,
        ` resolved the ticket (${p.reason})`,
        ...(p.note ? [": ", { typed: p.note }] : ["."]),
      ];
    case "closed":
      return ["🔒 ", who, " closed the ticket."];
    case "reopened":
      return ["🔁 ", who, " reopened the ticket", ...(p.why ? [": ", { typed: p.why }] : ["."])];
    case "pageSnoozed": {
      const until = inZone(DateTime.fromISO(p.until), ticket.zone).toFormat("ccc d LLL HH:mm ZZZZ");
      return ["😴 ", who, ` snoozed the page until ${until}; the SLA clock keeps running.`];
    }
    case "pageEscalated":
      return ["⏫ ", who, " escalated the page to the next level now: ", { typed: p.reason }];
    case "pageReassigned":
      return [
        "↪️ ",
        who,
        " reassigned the page to ",
        p.to.kind === "person" ? { person: p.to.person } : `whoever is on call for ${p.to.schedule}`,
        ".",
      ];
  }
}

/**
 * Whether an event is for the support team only (the customer's thread must not show it): internal notes,
 * and the on-call engineer's moves on a page (snooze, escalate with its reason, reassign).
 */
export function isInternal(event: LoggedEvent): boolean {
  const { payload } = event;
  return (payload.type === "comment" && payload.visibility === "internal") || pageMoves.has(payload.type);
}

/** The words as plain text, people as `@id`: for logs and renderers that cannot mention. */
export function plainWords(parts: RichText): string {
  return parts
    .map((part) => (typeof part === "string" ? part : "person" in part ? `@${part.person}` : part.typed))
    .join("");
}

/** A line "⏱️ First response: was due …, now due …." for each target this change moved. */
function rescheduled(ticket: TicketView, at: Date): string {
  const when = (iso: string | null | undefined) =>
    iso ? inZone(DateTime.fromISO(iso), ticket.zone).toFormat("ccc d LLL HH:mm ZZZZ") : "no target";
  const lines = ticket.targets
    .filter((t) => t.rescheduledAt && DateTime.fromISO(t.rescheduledAt).toMillis() === at.getTime())
    .map((t) =>
      when(t.previousDue) === when(t.due)
        ? `\n⏱️ ${t.label}: still due ${when(t.due)} (raising a ticket never gives it longer).`
        : `\n⏱️ ${t.label}: ${t.previousDue ? `was due ${when(t.previousDue)}` : "had no target"}, ${t.due ? `now due ${when(t.due)}` : "now has none"}.`,
    );
  return lines.join("");
}
