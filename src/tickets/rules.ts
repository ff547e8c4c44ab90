import type { Policy } from "../policy/types.js";
import type { TicketEventPayload } from "./events.js";
import type { TicketState } from "./state.js";
import { resolveSeverity } from "./validate.js";

/**
 * Who someone is to one ticket. Decided here from facts the adapters translate (their id, whether their
 * platform counts them on the support side, their workspace, the customers the customers file names them
 * for), never by the adapters themselves.
 */
export type Relation =
  | "admin"
  | "agent"
  | "agentElsewhere"
  | "requester"
  | "customer"
  | "pagedNonAgent"
  | "otherCustomer";

/** Everything a person can ask of an existing ticket: each event type, a thread note, and looking at it. */
export type TicketCommand = Exclude<TicketEventPayload["type"], "created"> | "note" | "view";

const supportSide = ["admin", "agent"] as const satisfies readonly Relation[];
const customerSide = ["requester", "customer"] as const satisfies readonly Relation[];

/**
 * THE rule table: which relations may give which command. An agent of another workspace is treated like any
 * outsider; a paged person who is not an agent may look, acknowledge and reply; another customer may do nothing.
 */
export const ticketRules: Readonly<Record<TicketCommand, readonly Relation[]>> = {
  view: [...supportSide, ...customerSide, "pagedNonAgent"],
  comment: [...supportSide, ...customerSide, "pagedNonAgent"],
  note: [...supportSide],
  acknowledged: [...supportSide, "pagedNonAgent"],
  assigned: supportSide,
  severityChanged: supportSide,
  waitingOnCustomer: supportSide,
  resumed: supportSide,
  resolved: supportSide,
  closed: supportSide,
  reopened: [...supportSide, ...customerSide],
  pageSnoozed: [...supportSide, "pagedNonAgent"],
  pageEscalated: [...supportSide, "pagedNonAgent"],
  pageReassigned: [...supportSide, "pagedNonAgent"],
};

/** What the refusal names, per command. */
const what: Record<TicketCommand, string> = {
  view: "see this ticket",
  comment: "reply on this ticket",
  note: "add internal notes",
  acknowledged: "acknowledge tickets",
  assigned: "assign tickets",
  severityChanged: "change the severity",
  waitingOnCustomer: "set a ticket to waiting on the customer",
  resumed: "resume a ticket",
  resolved: "resolve tickets",
  closed: "close tickets",
  reopened: "reopen this ticket",
  pageSnoozed: "snooze a page",
  pageEscalated: "escalate a page",
  pageReassigned: "reassign a page",
};

const theCustomer = "its requester, their colleagues and the support team";
const support = "the support team";
const allowedTo: Record<TicketCommand, string> = {
  view: theCustomer,
  comment: theCustomer,
  note: support,
  acknowledged: "the support team and whoever was paged",
  assigned: support,
  severityChanged: support,
  waitingOnCustomer: support,
  resumed: support,
  resolved: support,
  closed: support,
  reopened: theCustomer,
  pageSnoozed: "the support team and whoever was paged",
  pageEscalated: "the support team and whoever was paged",
  pageReassigned: "the support team and whoever was paged",
};

/** The moves on a page besides Acknowledge: the paging ladder checks them too (see paging.ts). */
export const pageMoves: ReadonlySet<TicketEventPayload["type"]> = new Set([
  "pageSnoozed",
  "pageEscalated",
  "pageReassigned",
]);

/** What only the support side may see or ask for, besides tickets themselves. */
const agentQueries = {
  search: "search tickets",
  queue: "see the team queue",
  digest: "ask for the SLA digest",
} as const;
export type AgentQuery = keyof typeof agentQueries;

export function queryPermission(actor: { isAgent: boolean }, query: AgentQuery): string | undefined {
  return actor.isAgent ? undefined : `Only the support team can ${agentQueries[query]}.`;
}

/** The facts about a person the rules need; adapters fill them in (Actor in service.ts has them all). */
export interface ActorFacts {
  id: string;
  workspaceId: string;
  isAgent: boolean;
  isAdmin?: boolean;
  /** Customers (customers file ids) this person belongs to, by name or by their own workspace. */
  customerIds?: readonly string[];
}

export interface TicketFacts {
  workspaceId: string;
  requesterId: string;
  customerId: string | null;
}

export function relationOf(actor: ActorFacts, ticket: TicketFacts, paged: boolean): Relation {
  if (actor.isAdmin) return "admin";
  if (actor.isAgent && actor.workspaceId === ticket.workspaceId) return "agent";
  if (actor.id === ticket.requesterId) return "requester";
  if (ticket.customerId && actor.customerIds?.includes(ticket.customerId)) return "customer";
  if (actor.isAgent) return "agentElsewhere";
  return paged ? "pagedNonAgent" : "otherCustomer";
}

export function commandOf(payload: TicketEventPayload): TicketCommand | undefined {
  if (payload.type === "created") return undefined;
  if (payload.type === "comment" && payload.visibility === "internal") return "note";
  return payload.type;
}

/** Undefined when allowed; otherwise the refusal in words for the person. */
export function permission(relation: Relation, command: TicketCommand): string | undefined {
  if (ticketRules[command].includes(relation)) return undefined;
  const hint = (customerSide as readonly Relation[]).includes(relation)
    ? "; reply in the thread instead"
    : "";
  return `only ${allowedTo[command]} can ${what[command]}${hint}`;
}

/**
 * Fills in what the command cannot know (the current severity), checks values against the policy, and says
 * whose side a comment is on from the writer's relation (a reply counts as the customer's only when it is).
 */
export function completePayload(
  policy: Policy,
  state: TicketState,
  payload: TicketEventPayload,
  relation: Relation,
): TicketEventPayload {
  if (payload.type === "comment" && payload.author !== "bot") {
    const customer = (customerSide as readonly Relation[]).includes(relation);
    return { ...payload, author: customer ? "customer" : "agent" };
  }
  if (payload.type !== "severityChanged") return payload;
  return { ...payload, from: state.severity, to: resolveSeverity(policy, payload.to) };
}

export function reopensOnReply(state: TicketState, payload: TicketEventPayload): boolean {
  return payload.type === "comment" && payload.author === "customer" && state.status === "resolved";
}
