import type { LoggedEvent, ResolutionReason, TicketEventPayload } from "./events.js";

export type TicketStatus = "open" | "responded" | "waiting" | "resolved" | "closed";

/** The ticket as its log says it is; the ticket row stores the same fields. */
export interface TicketState {
  summary: string;
  description: string;
  severity: string;
  channel: string;
  plan: string;
  category: string;
  status: TicketStatus;
  assigneeId: string | null;
  cycle: number;
  resolution: ResolutionReason | null;
  openedAt: Date;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  version: number;
}

/** Why a command cannot apply to a ticket in its current state, in words for the person who typed it. */
export function refusal(state: TicketState, payload: TicketEventPayload): string | undefined {
  const { status } = state;
  switch (payload.type) {
    case "created":
      return "the ticket exists already";
    case "comment":
      return status === "closed" ? "the ticket is closed; reopen it to add to it" : undefined;
    case "assigned":
    case "acknowledged":
    case "severityChanged":
      if (status === "closed" || status === "resolved") return `the ticket is ${status}; reopen it first`;
      if (payload.type === "severityChanged" && payload.from === payload.to)
        return `the severity is already ${payload.to}`;
      return undefined;
    case "waitingOnCustomer":
      if (status === "waiting") return "the ticket is already waiting on the customer";
      return status === "open" || status === "responded" ? undefined : `the ticket is ${status}`;
    case "resumed":
      return status === "waiting" ? undefined : "the ticket is not waiting on the customer";
    case "resolved":
      return status === "resolved" || status === "closed" ? `the ticket is already ${status}` : undefined;
    case "closed":
      if (status === "closed") return "the ticket is already closed";
      return status === "resolved" ? undefined : "resolve the ticket before closing it";
    case "reopened":
      return status === "resolved" || status === "closed" ? undefined : "the ticket is still open";
    case "pageSnoozed":
    case "pageEscalated":
    case "pageReassigned":
      return status === "resolved" || status === "closed"
        ? `the ticket is ${status}; nobody is paged`
        : undefined;
  }
}

/** The state after one event. Pure: replaying a ticket's whole log gives the ticket row. */
export function applyEvent(state: TicketState | undefined, event: LoggedEvent): TicketState {
  const p = event.payload;
  if (p.type === "created") {
    const { type: _type, ...facts } = p;
    return {
      ...facts,
      status: "open",
      assigneeId: null,
      cycle: 1,
      resolution: null,
      openedAt: event.at,
      respondedAt: null,
      resolvedAt: null,
      closedAt: null,
      version: event.seq,
    };
  }
  if (!state) throw new Error(`event ${event.seq} (${p.type}) comes before the ticket was created`);
  const next: TicketState = { ...state, version: event.seq };
  switch (p.type) {
    case "comment":
      return applyComment(next, p.author, p.visibility, event.at);
    case "assigned":
      return { ...next, assigneeId: p.assigneeId };
    case "acknowledged":
      return { ...next, assigneeId: next.assigneeId ?? event.actorId };
    case "severityChanged":
      return { ...next, severity: p.to };
    case "waitingOnCustomer":
      return { ...next, status: "waiting" };
    case "resumed":
      return { ...next, status: next.respondedAt ? "responded" : "open" };
    case "resolved":
      return { ...next, status: "resolved", resolution: p.reason, resolvedAt: event.at };
    case "closed":
      return { ...next, status: "closed", closedAt: event.at };
    case "pageSnoozed":
    case "pageEscalated":
    case "pageReassigned":
      return next;
    case "reopened":
      return {
        ...next,
        status: "open",
        cycle: next.cycle + 1,
        resolution: null,
        resolvedAt: null,
        closedAt: null,
        respondedAt: null,
      };
  }
}

function applyComment(state: TicketState, author: string, visibility: string, at: Date): TicketState {
  if (author === "agent" && visibility === "public") {
    const status = state.status === "open" ? "responded" : state.status;
    return { ...state, status, respondedAt: state.respondedAt ?? at };
  }
  // A customer's reply resumes a paused clock.
  if (author === "customer" && state.status === "waiting") {
    return { ...state, status: state.respondedAt ? "responded" : "open" };
  }
  return state;
}

export function replay(events: LoggedEvent[]): TicketState {
  let state: TicketState | undefined;
  for (const event of events) state = applyEvent(state, event);
  if (!state) throw new Error("a ticket needs at least its created event");
  return state;
}
