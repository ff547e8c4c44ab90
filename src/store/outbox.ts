import type { Prisma } from "../generated/prisma/client.js";
import type { PrismaClient } from "./db.js";

/** One function per outbox operation; the dispatcher and the ticket service are the only callers. */

export type Tx = Prisma.TransactionClient | PrismaClient;

export interface NewNotification {
  key: string;
  ticketId?: string | null;
  kind: string;
  target: Prisma.InputJsonValue;
  payload: Prisma.InputJsonValue;
  orderingKey?: string | null;
  availableAt?: Date;
  late?: boolean;
}

export interface ClaimedNotification {
  id: number;
  key: string;
  ticketId: string | null;
  kind: string;
  target: unknown;
  payload: unknown;
  orderingKey: string | null;
  attempts: number;
  late: boolean;
}

/**
 * Writes notifications; a key already in the outbox is skipped, which is what makes a page go out once.
 * `now` comes from the caller's clock (simulated time in tests and the terminal), not the database's.
 */
export async function enqueueNotifications(tx: Tx, rows: NewNotification[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.notification.createMany({
    data: rows.map((r) => ({
      key: r.key,
      ticketId: r.ticketId ?? null,
      kind: r.kind,
      target: r.target,
      payload: r.payload,
      orderingKey: r.orderingKey ?? null,
      late: r.late ?? false,
      availableAt: r.availableAt ?? now,
      createdAt: now,
    })),
    skipDuplicates: true,
  });
  return result.count;
}

/**
 * Leases up to `limit` notifications that are due: pending ones whose time has come, and ones whose lease
 * ran out (the replica that held them died). Only the oldest unsent row of each ordering key (one chat
 * thread) is eligible, so a thread's messages go out in order even across retries.
 */
export async function claimNotifications(
  db: PrismaClient,
  options: { replicaId: string; now: Date; leaseMs: number; limit: number },
): Promise<ClaimedNotification[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  return db.$queryRawUnsafe<ClaimedNotification[]>(
    `UPDATE "Notification" SET state = 'sending', "leaseUntil" = $1, "leasedBy" = $2, attempts = attempts + 1
      WHERE id IN (
        SELECT n.id FROM "Notification" n
         WHERE ((n.state = 'pending' AND n."availableAt" <= $3) OR (n.state = 'sending' AND n."leaseUntil" < $3))
           AND (n."orderingKey" IS NULL OR NOT EXISTS (
                SELECT 1 FROM "Notification" p
                 WHERE p."orderingKey" = n."orderingKey" AND p.id < n.id AND p.state IN ('pending', 'sending')))
         ORDER BY n.id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING id, key, "ticketId", kind, target, payload, "orderingKey", attempts, late`,
    leaseUntil,
    options.replicaId,
    options.now,
    options.limit,
  );
}

export async function markSent(
  db: PrismaClient,
  id: number,
  replicaId: string,
  delivered: { channelId: string; messageId: string },
  now: Date,
): Promise<void> {
  await db.notification.updateMany({
    where: { id, leasedBy: replicaId, state: "sending" },
    data: {
      state: "sent",
      sentAt: now,
      leaseUntil: null,
      platformMessageId: delivered.messageId,
      platformThreadId: delivered.channelId,
      lastError: null,
    },
  });
}

/**
 * Renews this replica's lease on one row just before sending it: a batch is claimed at once but sent one by
 * one, so a slow platform could outlast the lease and another replica would send the row too. False when
 * the lease is no longer ours (expired and taken over): the row must not be sent by us.
 */
export async function renewLease(
  db: PrismaClient,
  id: number,
  replicaId: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const { count } = await db.notification.updateMany({
    where: { id, leasedBy: replicaId, state: "sending", leaseUntil: { gt: now } },
    data: { leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/** Back to pending for a later attempt, if the row is still ours. */
export async function markRetry(
  db: PrismaClient,
  id: number,
  replicaId: string,
  availableAt: Date,
  error: string,
): Promise<void> {
  await db.notification.updateMany({
    where: { id, leasedBy: replicaId, state: "sending" },
    data: {
      state: "pending",
      availableAt,
      leaseUntil: null,
      leasedBy: null,
      lastError: error.slice(0, 1000),
    },
  });
}

/** Given up, if the row is still ours; false when another replica has taken it over meanwhile. */
export async function markFailed(
  db: PrismaClient,
  id: number,
  replicaId: string,
  error: string,
): Promise<boolean> {
  const { count } = await db.notification.updateMany({
    where: { id, leasedBy: replicaId, state: "sending" },
    data: { state: "failed", leaseUntil: null, lastError: error.slice(0, 1000) },
  });
  return count === 1;
}
