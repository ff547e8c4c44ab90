import type { Activity } from "botbuilder";
import { resolutionReasons } from "../../tickets/events.js";
import type { TicketView } from "../port.js";
import type { TeamsHandlerDeps } from "./handlerDeps.js";
import { peopleNames } from "./people.js";
import type { AdaptiveCard } from "./render/card.js";
import { cardActivity } from "./render/index.js";
import { ticketCard } from "./render/ticketCard.js";

/** The ticket card as one viewer sees it: agents get the buttons that change it, customers their own. */
export async function viewerCard(
  deps: TeamsHandlerDeps,
  ticket: TicketView,
  isAgent: boolean,
): Promise<AdaptiveCard> {
  const ids = [
    ticket.requesterId,
    ...(ticket.assigneeId ? [ticket.assigneeId] : []),
    ...deps.agents.listed(),
  ];
  const names = await peopleNames(deps.conversations, ids, ticket.requesterId);
  return ticketCard(ticket, {
    now: deps.now(),
    nameOf: names.nameOf,
    severities: deps.policy.severities,
    resolutionReasons,
    refreshUserIds: names.refreshUserIds,
    viewer: { isAgent },
  });
}

export async function ticketCardFor(
  deps: TeamsHandlerDeps,
  ticket: TicketView,
  isAgent: boolean,
): Promise<Partial<Activity>> {
  return cardActivity(`#${ticket.number} ${ticket.summary}`, await viewerCard(deps, ticket, isAgent));
}
