import type { Prisma } from "../generated/prisma/client.js";
import type { PrismaClient, SqlQuery } from "./db.js";

/**
 * One function per outbox operation; the dispatcher and the ticket service are the only callers. Writing
 * new rows runs in the caller's transaction (Prisma); the dispatcher's statements run outside any
 * transaction, straight on the driver (`Store.queries`): through Prisma each cost several times its SQL.
 */

/** The driver the dispatcher's statements run on (Store.queries). */

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
  // Raw SQL, not `createMany`: Prisma never caches a createMany's query plan, so each one ran its WebAssembly
  // query compiler again (~7 % of the server's CPU under a /ticket load).
  const { text, values } = notificationInsert(rows, now);
  return tx.$executeRawUnsafe(text, ...values);
}

/**
 * The outbox insert of `rows`, its parameters numbered from `$first`: a statement of its own, or the last
 * part of a ticket's opening (src/tickets/rows.ts). ON CONFLICT DO NOTHING is what makes a key go out once.
 * Times travel as ISO text (exact to the millisecond, as the columns are).
 */
export function notificationInsert(
  rows: NewNotification[],
  now: Date,
  first = 1,
): { text: string; values: unknown[] } {
  const $ = (i: number) => `$${first + i}`;
  return {
    text: `INSERT INTO "Notification" (key, "ticketId", kind, target, payload, "orderingKey", late, "availableAt", "createdAt")
     SELECT v.key, v.ticket::uuid, v.kind, v.target::jsonb, v.payload::jsonb, v.ordering, v.late, v.available::timestamptz, ${$(8)}::timestamptz
       FROM unnest(${$(0)}::text[], ${$(1)}::text[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::boolean[], ${$(7)}::text[])
            AS v(key, ticket, kind, target, payload, ordering, late, available)
     ON CONFLICT DO NOTHING`,
    values: [
      rows.map((r) => r.key),
      rows.map((r) => r.ticketId ?? null),
      rows.map((r) => r.kind),
      rows.map((r) => JSON.stringify(r.target)),
      rows.map((r) => JSON.stringify(r.payload)),
      rows.map((r) => r.orderingKey ?? null),
      rows.map((r) => r.late ?? false),
      rows.map((r) => (r.availableAt ?? now).toISOString()),
      now.toISOString(),
    ],
  };
}

/** Which kinds go first when more is due than can be sent at once: pages, then alerts, then thread updates. */
const priority = (kind: string) =>
  `CASE ${kind} WHEN 'page' THEN 0 WHEN 'threadNote' THEN 2 WHEN 'ticketCard' THEN 3 ELSE 1 END`;

/**
 * The claim ($1 lease until, $2 owner, $3 now, $4 limit). Every part reads the partial indexes of unsent rows
 * (migration 20261201002000): `state IN ('pending', 'sending')` is what lets the planner pick them. Exported
 * for the test that checks the plan.
 */
export const claimSql = `UPDATE "Notification" SET state = 'sending', "leaseUntil" = $1, "leasedBy" = $2, attempts = attempts + 1
      WHERE id IN (
        SELECT n.id FROM "Notification" n
         WHERE n.state IN ('pending', 'sending')
           AND ((n.state = 'pending' AND n."availableAt" <= $3) OR (n.state = 'sending' AND n."leaseUntil" < $3))
           AND (n."orderingKey" IS NULL OR NOT EXISTS (
                SELECT 1 FROM "Notification" p
                 WHERE p."orderingKey" = n."orderingKey" AND p.id < n.id AND p.state IN ('pending', 'sending')))
         ORDER BY ${priority("n.kind")}, n.id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING id, key, "ticketId", kind, target, payload, "orderingKey", attempts, late, ${priority("kind")} AS priority`;

/**
 * Leases up to `limit` notifications that are due: pending ones whose time has come, and ones whose lease
 * ran out (the process that held them died or lost the database). Only the oldest unsent row of each
 * ordering key (one chat thread) is eligible, so a thread's messages go out in order even across retries.
 * `owner` is a token unique to the claiming process, never a name an operator sets (two replicas may share one).
 */
export async function claimNotifications(
  sql: SqlQuery,
  options: { owner: string; now: Date; leaseMs: number; limit: number },
): Promise<ClaimedNotification[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const rows = await sql.query<ClaimedNotification & { priority: number }>(claimSql, [
    leaseUntil,
    options.owner,
    options.now,
    options.limit,
  ]);
  // RETURNING keeps no order: the batch is sent in priority order, oldest first.
  return rows.sort((a, b) => a.priority - b.priority || a.id - b.id).map(({ priority: _, ...row }) => row);
}

/**
 * Frees every send lease at once: only for the embedded database, whose data folder one process holds at a
 * time, so any row still `sending` was leased by a process that died mid-send (kill -9, power loss). It is
 * sent again now rather than when its lease would run out; if the platform had already taken it, that one
 * message appears twice (the window docs/delivery.md names). Returns how many rows were freed.
 */
export async function releaseDeadLeases(db: PrismaClient, now: Date): Promise<number> {
  const freed = await db.notification.updateMany({
    where: { state: "sending" },
    data: { state: "pending", leaseUntil: null, leasedBy: null, availableAt: now },
  });
  return freed.count;
}

/** Marks one row sent, if it is still ours (fenced by the owner token); false when it was taken over. */
export async function markSent(
  sql: SqlQuery,
  id: number,
  owner: string,
  delivered: { channelId: string; messageId: string },
  now: Date,
): Promise<boolean> {
  return (await markSentMany(sql, owner, [{ id, ...delivered }], now)).has(id);
}

/** Marks rows sent in one statement; returns the ids that were still ours. */
export async function markSentMany(
  sql: SqlQuery,
  owner: string,
  rows: { id: number; channelId: string; messageId: string }[],
  now: Date,
): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const recorded = await sql.query<{ id: number }>(
    `UPDATE "Notification" AS n
        SET state = 'sent', "sentAt" = $1, "leaseUntil" = NULL, "lastError" = NULL,
            "platformMessageId" = v.message, "platformThreadId" = v.channel
       FROM unnest($2::int[], $3::text[], $4::text[]) AS v(id, message, channel)
      WHERE n.id = v.id AND n."leasedBy" = $5 AND n.state = 'sending'
      RETURNING n.id`,
    [now, rows.map((r) => r.id), rows.map((r) => r.messageId), rows.map((r) => r.channelId), owner],
  );
  return new Set(recorded.map((r) => r.id));
}

/**
 * Extends this owner's leases on `ids` (the rows it holds, in flight or waiting their turn) and returns the
 * ids still held. A row missing from the answer was taken over after our lease ran out: it must not be sent
 * by us, and if it is in flight it must not be recorded by us.
 */
export async function renewLeases(
  sql: SqlQuery,
  ids: number[],
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await sql.query<{ id: number }>(
    `UPDATE "Notification" SET "leaseUntil" = $1
      WHERE id = ANY($2::int[]) AND "leasedBy" = $3 AND state = 'sending' AND "leaseUntil" > $4
      RETURNING id`,
    [new Date(now.getTime() + leaseMs), ids, owner, now],
  );
  return new Set(rows.map((r) => r.id));
}

/** Back to pending for a later attempt, if the row is still ours; `paced` rows keep their attempt count. */
export async function markRetry(
  sql: SqlQuery,
  id: number,
  owner: string,
  availableAt: Date,
  error: string | null,
  paced = false,
): Promise<void> {
  await markRetryMany(sql, [id], owner, availableAt, error, paced);
}

/** `markRetry` for several rows at once (a bundle, or rows waiting for one slot), in one statement. */
export async function markRetryMany(
  sql: SqlQuery,
  ids: number[],
  owner: string,
  availableAt: Date,
  error: string | null,
  paced = false,
): Promise<void> {
  if (ids.length === 0) return;
  // A null error keeps the last one; a paced row gives back the attempt its claim counted.
  await sql.query(
    `UPDATE "Notification"
        SET state = 'pending', "availableAt" = $1, "leaseUntil" = NULL, "leasedBy" = NULL,
            "lastError" = COALESCE($2, "lastError"), attempts = attempts - $3
      WHERE id = ANY($4::int[]) AND "leasedBy" = $5 AND state = 'sending'`,
    [availableAt, error === null ? null : error.slice(0, 1000), paced ? 1 : 0, ids, owner],
  );
}

/**
 * Rows sent back to wait for their pace slots, each its own instant, in one statement (a batch of card
 * redraws waits for as many different slots as it has rows); their attempt count is kept. The rows of
 * their threads queued behind them wait as long: they could not go before them anyway, and a row that is
 * due but blocked is looked at by every claim (with 100 tickets a second into 20 channels, thousands of
 * notes behind their cards made each claim cost 30 ms of the database's time).
 */
export async function markWaiting(
  sql: SqlQuery,
  owner: string,
  rows: { id: number; at: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `WITH waiting AS (
       UPDATE "Notification" AS n
          SET state = 'pending', "availableAt" = v.at::timestamptz, "leaseUntil" = NULL, "leasedBy" = NULL,
              attempts = n.attempts - 1
         FROM unnest($1::int[], $2::text[]) AS v(id, at)
        WHERE n.id = v.id AND n."leasedBy" = $3 AND n.state = 'sending'
        RETURNING n."orderingKey", n."availableAt")
     UPDATE "Notification" AS behind SET "availableAt" = w."availableAt"
       FROM waiting w
      WHERE behind."orderingKey" = w."orderingKey" AND behind.state = 'pending'
        AND behind."availableAt" < w."availableAt"`,
    [rows.map((r) => r.id), rows.map((r) => r.at.toISOString()), owner],
  );
}

/** Given up, if the row is still ours; false when another process has taken it over meanwhile. */
export async function markFailed(sql: SqlQuery, id: number, owner: string, error: string): Promise<boolean> {
  const rows = await sql.query<{ id: number }>(
    `UPDATE "Notification" SET state = 'failed', "leaseUntil" = NULL, "lastError" = $1
      WHERE id = $2 AND "leasedBy" = $3 AND state = 'sending'
      RETURNING id`,
    [error.slice(0, 1000), id, owner],
  );
  return rows.length === 1;
}
