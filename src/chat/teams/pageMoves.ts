import type { Activity } from "botbuilder";
import { parseChatTime } from "../../paging/parseTime.js";
import type { TicketEventPayload } from "../../tickets/events.js";
import type { CardData } from "./actions.js";
import type { TeamsHandlerDeps } from "./handlerDeps.js";
import { verbs } from "./render/ticketCard.js";

const field = (data: CardData, key: string): string => {
  const value = data[key];
  return typeof value === "string" ? value.trim() : "";
};

/**
 * The page card's moves (Snooze, Escalate now, Reassign) as the ticket events Slack and the terminal record;
 * whether they may apply (who, the page still running, once per page, the snooze's bound) is the ticket
 * service's rule. Undefined: not a page move. A string: the form cannot be read, said to the clicker.
 */
export function pageMovePayload(
  deps: TeamsHandlerDeps,
  activity: Activity,
  verb: string,
  data: CardData,
): TicketEventPayload | string | undefined {
  switch (verb) {
    case verbs.pageSnooze:
      return snoozePayload(deps, activity, data);
    case verbs.pageEscalate: {
      const pageKey = field(data, "pageKey");
      return {
        type: "pageEscalated",
        reason: field(data, "reason") || "escalated from the page",
        ...(pageKey ? { fromPage: pageKey } : {}),
      };
    }
    case verbs.pageReassign: {
      const person = field(data, "person");
      const schedule = field(data, "schedule");
      if (!person === !schedule) return "Choose one person or one schedule; nothing was changed.";
      return {
        type: "pageReassigned",
        to: person ? { kind: "person", person } : { kind: "schedule", schedule },
      };
    }
  }
  return undefined;
}

function snoozePayload(
  deps: TeamsHandlerDeps,
  activity: Activity,
  data: CardData,
): TicketEventPayload | string {
  const choice = field(data, "snooze") || "15m";
  const typed = choice === "until" ? field(data, "until") : `+${choice}`;
  if (!typed) return "Type when to page you again (e.g. 18:30 or tomorrow 08:00); nothing was changed.";
  const zone = activity.localTimezone || deps.policy.zone;
  const until = parseChatTime(typed, deps.now(), zone);
  if (!until.ok) return `${until.error} Nothing was changed.`;
  return { type: "pageSnoozed", until: until.at.toISO()! };
}

/** What the clicker is told once the move is recorded. */
export function pageMoveDone(number: number, payload: TicketEventPayload, zone: string): string {
  switch (payload.type) {
    case "pageSnoozed": {
      const at = new Date(payload.until).toLocaleString("en-GB", {
        timeZone: zone,
        dateStyle: "medium",
        timeStyle: "short",
      });
      return `😴 Snoozed #${number} until ${at}. You are paged again then unless someone acknowledges; the SLA clock keeps running.`;
    }
    case "pageEscalated":
      return `⏫ Escalated #${number}: the next level is paged now.`;
    case "pageReassigned":
      return `↪️ Reassigned the page for #${number}; ${payload.to.kind === "person" ? "they are" : `whoever is on call for ${payload.to.schedule} is`} paged now.`;
    default:
      return `Done: #${number}.`;
  }
}
