import { DateTime } from "luxon";
import type { PolicyEvent, TicketHistory } from "../policy/types.js";
import type { LoggedEvent } from "./events.js";

/** The ticket log as the policy engine reads it: only what moves a clock. */
export function policyHistory(events: LoggedEvent[], zone: string): TicketHistory {
  const mapped = events.flatMap((e) => toPolicyEvent(e, zone));
  const opened = mapped[0];
  if (opened?.type !== "opened") throw new Error("a ticket's log starts with its created event");
  return { openedAt: opened.at, events: mapped };
}

function toPolicyEvent(event: LoggedEvent, zone: string): PolicyEvent[] {
  const at = DateTime.fromJSDate(event.at, { zone });
  const p = event.payload;
  switch (p.type) {
    case "created":
      return [
        { type: "opened", at, severity: p.severity, channel: p.channel, plan: p.plan, category: p.category },
      ];
    case "comment":
      if (p.author === "agent" && p.visibility === "public") return [{ type: "agentReply", at }];
      if (p.author === "customer") return [{ type: "customerReply", at }];
      return [];
    case "severityChanged":
      return [{ type: "severityChanged", at, severity: p.to, by: event.actorId, why: p.why }];
    case "waitingOnCustomer":
      return [{ type: "waitingOnCustomer", at }];
    case "resumed":
      return [{ type: "resumed", at }];
    case "resolved":
      return [{ type: "resolved", at, reason: p.reason }];
    case "reopened":
      return [{ type: "reopened", at }];
    case "closed":
      return [{ type: "closed", at }];
    case "assigned":
    case "acknowledged":
    // Paging moves change who is paged when; the SLA clock runs on regardless.
    case "pageSnoozed":
    case "pageEscalated":
    case "pageReassigned":
      return [];
  }
}
