import type { SqlQuery } from "./db.js";

/**
 * One function per operation on the queue of acknowledged chat requests (PendingCommand), kept apart from
 * Prisma so the ack path can write through its own few connections (Store.intake) and the worker through
 * the main pool (Store.queries), neither paying Prisma's request path. A row is waiting while
 * it has no lease; a worker leases it (owner token + leaseUntil, as the outbox does), renews the lease while
 * it works, and deletes it once the person has the answer. A lease that lapses (its process died) makes the
 * row claimable again.
 */

export interface PendingRow {
  id: string;
  platform: string;
  workspaceId: string;
  payload: unknown;
  receivedAt: Date;
  attempts: number;
}

/**
 * Writes one acknowledged request, in one statement; a second write of the same id changes nothing. With
 * `claim` (an InboundEvent id: the platform's request, which a replay repeats) the same statement claims
 * the request, and writes nothing for a replay. True when the row was written.
 */
export async function savePendingCommand(
  sql: SqlQuery,
  row: { id: string; platform: string; workspaceId: string; payload: object; receivedAt: Date },
  claim?: string,
): Promise<boolean> {
  const values = [row.id, row.platform, row.workspaceId, JSON.stringify(row.payload), row.receivedAt];
  const written = claim
    ? await sql.query(
        `WITH claim AS (
           INSERT INTO "InboundEvent" (id, "receivedAt") VALUES ($6, $5) ON CONFLICT (id) DO NOTHING RETURNING id)
         INSERT INTO "PendingCommand" (id, platform, "workspaceId", payload, "receivedAt")
         SELECT $1::text, $2::text, $3::text, $4::jsonb, $5::timestamptz FROM claim
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [...values, claim],
      )
    : await sql.query(
        `INSERT INTO "PendingCommand" (id, platform, "workspaceId", payload, "receivedAt")
         VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
        values,
      );
  return written.length > 0;
}

/**
 * Leases up to `limit` rows, oldest first: waiting ones and ones whose lease lapsed. SKIP LOCKED lets
 * replicas claim side by side without waiting on each other's rows.
 */
export async function claimPendingCommands(
  sql: SqlQuery,
  options: { platform: string; owner: string; now: Date; leaseMs: number; limit: number },
): Promise<PendingRow[]> {
  if (options.limit <= 0) return [];
  const rows = await sql.query<PendingRow>(
    `UPDATE "PendingCommand" SET "leasedBy" = $1, "leaseUntil" = $2, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM "PendingCommand"
         WHERE platform = $3 AND ("leaseUntil" IS NULL OR "leaseUntil" < $4)
         ORDER BY "receivedAt", id
         LIMIT $5
         FOR UPDATE SKIP LOCKED)
      RETURNING id, platform, "workspaceId", payload, "receivedAt", attempts`,
    [
      options.owner,
      new Date(options.now.getTime() + options.leaseMs),
      options.platform,
      options.now,
      options.limit,
    ],
  );
  return rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * Extends this owner's leases on `ids`; returns the ids still held (a missing one was taken over: a claim
 * by another process changes the owner, so a lapsed lease nobody took is still ours to renew).
 */
export async function renewPendingLeases(
  sql: SqlQuery,
  ids: string[],
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql.query<{ id: string }>(
    `UPDATE "PendingCommand" SET "leaseUntil" = $1 WHERE id = ANY($2::text[]) AND "leasedBy" = $3 RETURNING id`,
    [new Date(now.getTime() + leaseMs), ids, owner],
  );
  return new Set(rows.map((r) => r.id));
}

/** Done: the row goes, if this owner still holds it; false when another process took it over meanwhile. */
export async function finishPendingCommand(sql: SqlQuery, id: string, owner: string): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `DELETE FROM "PendingCommand" WHERE id = $1 AND "leasedBy" = $2 RETURNING id`,
    [id, owner],
  );
  return rows.length > 0;
}

/** Gives a row back to wait its turn again, no earlier than `retryAt` (after a failure). */
export async function releasePendingCommand(sql: SqlQuery, id: string, owner: string, retryAt: Date) {
  await sql.query(
    `UPDATE "PendingCommand" SET "leasedBy" = NULL, "leaseUntil" = $1 WHERE id = $2 AND "leasedBy" = $3`,
    [retryAt, id, owner],
  );
}

/**
 * Frees every lease at once: only for the embedded database, which one process holds at a time, so any
 * leased row belongs to a process that died. Returns how many were freed.
 */
export async function releaseDeadPendingLeases(sql: SqlQuery): Promise<number> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "PendingCommand" SET "leasedBy" = NULL, "leaseUntil" = NULL WHERE "leasedBy" IS NOT NULL RETURNING id`,
  );
  return rows.length;
}

/** The queue for /metrics: rows waiting or in progress, and the age of the oldest (null when empty). */
export async function pendingQueueStats(sql: SqlQuery): Promise<{ depth: number; oldest: Date | null }> {
  const rows = await sql.query<{ n: string; oldest: Date | null }>(
    `SELECT count(*)::text AS n, min("receivedAt") AS oldest FROM "PendingCommand"`,
  );
  return { depth: Number(rows[0]?.n ?? 0), oldest: rows[0]?.oldest ?? null };
}
