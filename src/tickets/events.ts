import { z } from "zod";

/**
 * The ticket event log. Every change to a ticket is one of these, appended with its actor, platform and
 * instant; the ticket row is a cache of what the log says (see `replay` in state.ts).
 */
export const resolutionReasons = [
  "fixed",
  "third-party",
  "no-response",
  "duplicate",
  "not-a-defect",
] as const;
export type ResolutionReason = (typeof resolutionReasons)[number];

/**
 * Who a page is reassigned to: a person (as the platform names them, like assignees: a Slack user id, or a
 * name in the terminal) or a schedule (whoever it has on call).
 */
export const pageTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("person"), person: z.string().min(1) }),
  z.object({ kind: z.literal("schedule"), schedule: z.string().min(1) }),
]);
export type PageTarget = z.infer<typeof pageTarget>;

export const ticketEventPayload = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("created"),
    summary: z.string(),
    description: z.string(),
    severity: z.string(),
    channel: z.string(),
    plan: z.string(),
    category: z.string(),
  }),
  z.object({
    type: z.literal("comment"),
    /** Who wrote it: a person on the support side, the customer, or the bot itself (never a response). */
    author: z.enum(["agent", "customer", "bot"]),
    visibility: z.enum(["public", "internal"]),
    text: z.string(),
  }),
  z.object({ type: z.literal("assigned"), assigneeId: z.string().nullable() }),
  z.object({ type: z.literal("acknowledged") }),
  z.object({ type: z.literal("severityChanged"), from: z.string(), to: z.string(), why: z.string() }),
  z.object({ type: z.literal("waitingOnCustomer") }),
  z.object({ type: z.literal("resumed") }),
  z.object({ type: z.literal("resolved"), reason: z.enum(resolutionReasons), note: z.string().optional() }),
  z.object({ type: z.literal("closed") }),
  z.object({ type: z.literal("reopened"), why: z.string().optional() }),
  // Moves on a running page (the paging ladder); they change who is paged when, never the SLA clock.
  z.object({ type: z.literal("pageSnoozed"), until: z.string() }),
  z.object({
    type: z.literal("pageEscalated"),
    reason: z.string(),
    /** The page the button was on: escalating from a page that is no longer the latest does nothing. */
    fromPage: z.string().optional(),
  }),
  z.object({ type: z.literal("pageReassigned"), to: pageTarget }),
]);

export type TicketEventPayload = z.infer<typeof ticketEventPayload>;
export type TicketEventType = TicketEventPayload["type"];

export interface LoggedEvent {
  seq: number;
  at: Date;
  actorId: string;
  source: string;
  payload: TicketEventPayload;
}

/** Rows read back from the database are checked once here; inside, the types are trusted. */
export function parseLoggedEvent(row: {
  seq: number;
  at: Date;
  actorId: string;
  source: string;
  payload: unknown;
}): LoggedEvent {
  return {
    seq: row.seq,
    at: row.at,
    actorId: row.actorId,
    source: row.source,
    payload: ticketEventPayload.parse(row.payload),
  };
}
