import type { DateTime } from "luxon";
import type { Policy, PolicyEvent, TicketFacts, TicketHistory } from "./types.js";

/** A ticket event with its instant as epoch ms, the form the arithmetic works in. */
export type LoggedEvent = PolicyEvent & { ms: number };

/** A stretch of a ticket between an opening (or reopening) and the next reopening. */
export interface Cycle {
  number: number;
  start: number;
  /** First resolution or closure in the cycle; targets stop there. */
  end: number | null;
  events: LoggedEvent[];
}

/** A wait on the customer: [start, end); end is Infinity while still waiting now. */
export interface Pause {
  start: number;
  end: number;
}

/** Events known at `now`, oldest first (stable for equal instants, so the log order decides). */
export function eventsUntil(history: TicketHistory, now: DateTime): LoggedEvent[] {
  const limit = now.toMillis();
  return history.events
    .map((event) => ({ ...event, ms: event.at.toMillis() }))
    .filter((event) => event.ms <= limit)
    .sort((a, b) => a.ms - b.ms);
}

export function splitCycles(openedAt: number, events: LoggedEvent[]): Cycle[] {
  const cycles: Cycle[] = [{ number: 1, start: openedAt, end: null, events: [] }];
  for (const event of events) {
    if (event.type === "reopened") {
      cycles.push({ number: cycles.length + 1, start: event.ms, end: null, events: [] });
      continue;
    }
    const cycle = cycles[cycles.length - 1]!;
    cycle.events.push(event);
    if ((event.type === "resolved" || event.type === "closed") && cycle.end === null) cycle.end = event.ms;
  }
  return cycles;
}

/** Facts at opening over the policy defaults, then every severity change in log order. */
export function currentFacts(policy: Policy, events: LoggedEvent[]): TicketFacts {
  const opened = events.find((e) => e.type === "opened");
  const facts: TicketFacts = { ...policy.defaults };
  if (opened?.type === "opened") {
    for (const field of ["severity", "channel", "plan", "category"] as const) {
      const value = opened[field];
      if (value) facts[field] = value;
    }
  }
  for (const event of events) if (event.type === "severityChanged") facts.severity = event.severity;
  return facts;
}

/** Waits on the customer in a cycle; a customer reply or an explicit resume ends one. */
export function pausesOf(cycle: Cycle): Pause[] {
  const pauses: Pause[] = [];
  let open: number | null = null;
  for (const event of cycle.events) {
    if (cycle.end !== null && event.ms > cycle.end) break;
    if (event.type === "waitingOnCustomer" && open === null) open = event.ms;
    if ((event.type === "customerReply" || event.type === "resumed") && open !== null) {
      pauses.push({ start: open, end: event.ms });
      open = null;
    }
  }
  if (open !== null) pauses.push({ start: open, end: cycle.end ?? Number.POSITIVE_INFINITY });
  return pauses;
}

export function agentRepliesOf(cycle: Cycle): number[] {
  return cycle.events
    .filter((e) => e.type === "agentReply" && (cycle.end === null || e.ms <= cycle.end))
    .map((e) => e.ms);
}

/** Every severity change, oldest first, as the rule phases read them. */
export function severityChangesOf(events: LoggedEvent[]): { ms: number; severity: string }[] {
  return events.flatMap((e) => (e.type === "severityChanged" ? [{ ms: e.ms, severity: e.severity }] : []));
}
