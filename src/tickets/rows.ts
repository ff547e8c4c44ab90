import type { Tx } from "../store/outbox.js";
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

export async function nextTicketNumber(tx: Tx, workspaceId: string): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ lastNumber: number }[]>(
    `INSERT INTO "TicketCounter" ("workspaceId", "lastNumber") VALUES ($1, 1)
     ON CONFLICT ("workspaceId") DO UPDATE SET "lastNumber" = "TicketCounter"."lastNumber" + 1
     RETURNING "lastNumber"`,
    workspaceId,
  );
  return rows[0]!.lastNumber;
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

export async function numberOf(tx: Tx, ticketId: string): Promise<number> {
  return (await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { number: true } })).number;
}

/** Whether this person was sent a page about the ticket. */
export async function wasPaged(tx: Tx, ticketId: string, userId: string): Promise<boolean> {
  const page = await tx.notification.findFirst({
    where: { ticketId, kind: "page", target: { path: ["userId"], equals: userId } },
    select: { id: true },
  });
  return page !== null;
}
