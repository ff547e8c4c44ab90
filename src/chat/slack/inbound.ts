import type { PrismaClient } from "../../generated/prisma/client.js";
import type { SqlQuery } from "../../store/db.js";

/**
 * Claims an Events API delivery by its `event_id` (identical on Slack's retries): true the first time only,
 * on every replica, because the claim is a primary-key insert in the shared database.
 */
export async function claimEvent(prisma: PrismaClient, eventId: string, now: Date): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "InboundEvent" (id, "receivedAt") VALUES (${`slack:${eventId}`}, ${now})
    ON CONFLICT (id) DO NOTHING RETURNING id`;
  return rows.length > 0;
}

/** Gives a claimed event back, so that Slack's redelivery of it is handled after all. */
export async function releaseEvent(prisma: PrismaClient, eventId: string): Promise<void> {
  await prisma.inboundEvent.deleteMany({ where: { id: `slack:${eventId}` } });
}

/** Forgets claims older than `before`: Slack retries within minutes, so a day or two is plenty. */
export async function pruneInboundEvents(prisma: PrismaClient, before: Date): Promise<number> {
  const { count } = await prisma.inboundEvent.deleteMany({ where: { receivedAt: { lt: before } } });
  return count;
}

/**
 * Claims one slash command invocation by its trigger_id: a signed request replayed within Slack's five-minute
 * signature window carries the same trigger_id and is applied once (Slack itself never retries commands).
 * Before the ack, so on the ack path's own connections (Store.intake).
 */
export async function claimCommand(sql: SqlQuery, key: string, now: Date): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `INSERT INTO "InboundEvent" (id, "receivedAt") VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [commandClaimId(key), now],
  );
  return rows.length > 0;
}

/** The InboundEvent row that claims a slash command invocation. */
export const commandClaimId = (key: string) => `slack-command:${key}`;
