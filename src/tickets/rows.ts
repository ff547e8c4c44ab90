import type { SqlQuery } from "../store/db.js";
import { notificationInsert, type Tx } from "../store/outbox.js";
import type { NewTicketColumns, StepWrites } from "./append.js";
import { notFound } from "./errors.js";
import type { TicketState } from "./state.js";

/** The ticket table's own operations, one function each; the ticket service is their only caller. */

export type TicketRef = { ticketId: string } | { workspaceId: string; number: number };

export function rowFields(state: TicketState) {
  return {
    summary: state.summary,
    description: state.description,
    severity: state.severity,
    channel: state.channel,
    plan: state.plan,
    category: state.category,
    status: state.status,
    assigneeId: state.assigneeId,
    cycle: state.cycle,
    resolution: state.resolution,
    openedAt: state.openedAt,
    respondedAt: state.respondedAt,
    resolvedAt: state.resolvedAt,
    closedAt: state.closedAt,
    version: state.version,
  };
}

/**
 * A new ticket's number (the workspace's next), in one statement with the replay check: when an event
 * already carries `clientKey` (a repeated click, a retry) no number is taken and that event's ticket is
 * answered instead.
 */
export async function takeTicketNumber(
  sql: SqlQuery,
  workspaceId: string,
  clientKey: string | null,
): Promise<{ number: number } | { repeatOf: string }> {
  const rows = await sql.query<{ number: number | null; repeatOf: string | null }>(
    `WITH seen AS (SELECT "ticketId" FROM "TicketEvent" WHERE "clientKey" = $2::text),
          taken AS (
            INSERT INTO "TicketCounter" ("workspaceId", "lastNumber")
            SELECT $1::text, 1 WHERE NOT EXISTS (SELECT 1 FROM seen)
            ON CONFLICT ("workspaceId") DO UPDATE SET "lastNumber" = "TicketCounter"."lastNumber" + 1
            RETURNING "lastNumber")
     SELECT (SELECT "lastNumber" FROM taken) AS number, (SELECT "ticketId"::text FROM seen) AS "repeatOf"`,
    [workspaceId, clientKey],
  );
  const { number, repeatOf } = rows[0]!;
  return repeatOf !== null ? { repeatOf } : { number: number! };
}

/**
 * Writes a new ticket in one statement: its row, its "created" event and its outbox rows. One statement is
 * atomic on its own, so an opening that needs nothing else runs outside any transaction (one round trip,
 * one commit); a repeated client key fails it whole on the event's unique index. `sql` is the driver, or a
 * command's transaction (viaPrisma).
 */
export async function insertOpening(sql: SqlQuery, w: StepWrites, opening: NewTicketColumns): Promise<void> {
  const { text, values } = openingStatement(w, opening);
  await sql.query(text, values);
}

/** A Prisma transaction as a driver, for the statements written once for both (insertOpening). */
export function viaPrisma(tx: Tx): SqlQuery {
  return { query: <T>(text: string, values: unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...values) };
}

function openingStatement(w: StepWrites, opening: NewTicketColumns): { text: string; values: unknown[] } {
  const at = (d: Date | null) => d?.toISOString() ?? null;
  const { row, event } = w;
  const ticket = [
    w.ticketId,
    opening.workspaceId,
    opening.number,
    opening.policyId,
    row.summary,
    row.description,
    row.severity,
    row.channel,
    row.plan,
    row.category,
    opening.customerId ?? null,
    row.status,
    opening.requesterId,
    row.assigneeId,
    opening.homePlatform,
    opening.homeChannelId,
    opening.triageChannel ?? null,
    row.cycle,
    row.resolution,
    at(row.openedAt),
    at(row.respondedAt),
    at(row.resolvedAt),
    at(row.closedAt),
    at(row.nextCheckAt),
    at(row.nextDueAt),
    row.version,
  ];
  const logged = [
    event.seq,
    event.payload.type,
    event.actorId,
    event.source,
    event.at.toISOString(),
    JSON.stringify(event.payload),
    event.clientKey,
  ];
  const outbox = notificationInsert(w.notifications, w.now, ticket.length + logged.length + 1);
  const e = ticket.length;
  return {
    text: `WITH ticket AS (
      INSERT INTO "Ticket" (id, "workspaceId", number, "policyId", summary, description, severity, channel, plan,
        category, "customerId", status, "requesterId", "assigneeId", "homePlatform", "homeChannelId",
        "triageChannel", cycle, resolution, "openedAt", "respondedAt", "resolvedAt", "closedAt", "nextCheckAt",
        "nextDueAt", version, "updatedAt")
      VALUES ($1::uuid, $2, $3::int, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::int, $19,
        $20::timestamptz, $21::timestamptz, $22::timestamptz, $23::timestamptz, $24::timestamptz,
        $25::timestamptz, $26::int, now())),
    event AS (
      INSERT INTO "TicketEvent" ("ticketId", seq, type, "actorId", source, at, payload, "clientKey")
      VALUES ($1::uuid, $${e + 1}::int, $${e + 2}, $${e + 3}, $${e + 4}, $${e + 5}::timestamptz, $${e + 6}::jsonb,
        $${e + 7}))
    ${outbox.text}`,
    values: [...ticket, ...logged, ...outbox.values],
  };
}

export async function findTicket(tx: Tx, ref: TicketRef) {
  const ticket =
    "ticketId" in ref
      ? await tx.ticket.findUnique({ where: { id: ref.ticketId } })
      : await tx.ticket.findUnique({
          where: { workspaceId_number: { workspaceId: ref.workspaceId, number: ref.number } },
        });
  if (!ticket)
    throw notFound("ticketId" in ref ? "That ticket does not exist." : `There is no ticket #${ref.number}.`);
  return ticket;
}

/** Serialises commands on one ticket (and against the scheduler) with a row lock. */
export async function lockTicket(tx: Tx, ref: TicketRef): Promise<string> {
  const rows =
    "ticketId" in ref
      ? await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text FROM "Ticket" WHERE id = $1::uuid FOR UPDATE`,
          ref.ticketId,
        )
      : await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text FROM "Ticket" WHERE "workspaceId" = $1 AND number = $2 FOR UPDATE`,
          ref.workspaceId,
          ref.number,
        );
  const id = rows[0]?.id;
  if (!id)
    throw notFound("ticketId" in ref ? "That ticket does not exist." : `There is no ticket #${ref.number}.`);
  return id;
}

/** Whether this person was sent a page about the ticket. */
export async function wasPaged(tx: Tx, ticketId: string, userId: string): Promise<boolean> {
  const page = await tx.notification.findFirst({
    where: { ticketId, kind: "page", target: { path: ["userId"], equals: userId } },
    select: { id: true },
  });
  return page !== null;
}

export interface TicketFilter {
  workspaceId: string;
  /** As requester or assignee. */
  personId?: string;
  includeClosed?: boolean;
  limit?: number;
  /** Only tickets numbered below this (a page through a workspace's tickets, newest first). */
  beforeNumber?: number;
}

export function findTickets(tx: Tx, filter: TicketFilter) {
  return tx.ticket.findMany({
    where: {
      workspaceId: filter.workspaceId,
      ...(filter.beforeNumber !== undefined ? { number: { lt: filter.beforeNumber } } : {}),
      ...(filter.includeClosed ? {} : { status: { in: ["open", "responded", "waiting"] } }),
      ...(filter.personId ? { OR: [{ requesterId: filter.personId }, { assigneeId: filter.personId }] } : {}),
    },
    orderBy: { number: "desc" },
    take: filter.limit ?? 50,
  });
}

/**
 * The team queue's rows: open tickets, soonest breach first, from the index on (workspaceId, nextDueAt) —
 * the database sorts and limits; no ticket is evaluated to pick them. Ties: newest first.
 */
export function queueTickets(tx: Tx, workspaceId: string, limit: number) {
  return tx.ticket.findMany({
    where: { workspaceId, status: { in: ["open", "responded", "waiting"] } },
    orderBy: [{ nextDueAt: { sort: "asc", nulls: "last" } }, { number: "desc" }],
    take: limit,
  });
}

/**
 * A ticket by a chat message of one of its threads: its card's or the message it was created from (the
 * customer's side), or its copy's in the triage channel (the team's side).
 */
export async function ticketByThread(
  tx: Tx,
  platform: string,
  channelId: string,
  threadId: string,
): Promise<{ ticketId: string; side: "customer" | "team" } | undefined> {
  const link = await tx.chatLink.findFirst({
    where: {
      platform,
      channelId,
      OR: [{ threadId }, { messageId: threadId }],
      kind: { in: ["root", "origin", "triage"] },
    },
    select: { ticketId: true, kind: true },
  });
  return link ? { ticketId: link.ticketId, side: link.kind === "triage" ? "team" : "customer" } : undefined;
}

export async function ticketIdByThread(
  tx: Tx,
  platform: string,
  channelId: string,
  threadId: string,
): Promise<string | undefined> {
  const found = await ticketByThread(tx, platform, channelId, threadId);
  return found?.side === "customer" ? found.ticketId : undefined;
}
