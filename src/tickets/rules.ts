import type { Policy } from "../policy/types.js";
import type { TicketEventPayload } from "./events.js";
import type { TicketState } from "./state.js";
import { resolveSeverity } from "./validate.js";

/** What only the support side may do; a customer may comment and reopen. */
const agentOnly: Partial<Record<TicketEventPayload["type"], string>> = {
  assigned: "assign tickets",
  acknowledged: "acknowledge tickets",
  severityChanged: "change the severity",
  waitingOnCustomer: "set a ticket to waiting on the customer",
  resumed: "resume a ticket",
  resolved: "resolve tickets",
  closed: "close tickets",
  pageSnoozed: "snooze a page",
  pageEscalated: "escalate a page",
  pageReassigned: "reassign a page",
};

/** Whoever was paged about a ticket may act on the page, even if they are not on the support side. */
export const pageMoves: ReadonlySet<TicketEventPayload["type"]> = new Set([
  "acknowledged",
  "pageSnoozed",
  "pageEscalated",
  "pageReassigned",
]);

/** What only the support side may see or ask for, besides changing tickets. */
const agentQueries = {
  search: "search tickets",
  queue: "see the team queue",
  digest: "ask for the SLA digest",
} as const;
export type AgentQuery = keyof typeof agentQueries;

export function queryPermission(actor: { isAgent: boolean }, what: AgentQuery): string | undefined {
  return actor.isAgent ? undefined : `Only the support team can ${agentQueries[what]}.`;
}

export function permission(actor: { isAgent: boolean }, payload: TicketEventPayload): string | undefined {
  const what = agentOnly[payload.type];
  if (actor.isAgent || !what) return undefined;
  return `only the support team can ${what}; reply in the thread instead`;
}

/** Fills in what the command cannot know (the current severity) and checks values against the policy. */
export function completePayload(
  policy: Policy,
  state: TicketState,
  payload: TicketEventPayload,
): TicketEventPayload {
  if (payload.type !== "severityChanged") return payload;
  return { ...payload, from: state.severity, to: resolveSeverity(policy, payload.to) };
}

export function reopensOnReply(state: TicketState, payload: TicketEventPayload): boolean {
  return payload.type === "comment" && payload.author === "customer" && state.status === "resolved";
}
