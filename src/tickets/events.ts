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
