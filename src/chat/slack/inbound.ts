import type { PrismaClient } from "../../generated/prisma/client.js";

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

/**
 * Claims a button click for `windowMs`: a second click of the same button on the same ticket by the same
 * person inside the window is a double click (two payloads, two different action_ts) and does nothing.
 * A later click claims the row again.
 */
export async function claimClick(
  prisma: PrismaClient,
  key: string,
  now: Date,
  windowMs = 5_000,
): Promise<boolean> {
  const before = new Date(now.getTime() - windowMs);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "InboundEvent" (id, "receivedAt") VALUES (${`slack-click:${key}`}, ${now})
    ON CONFLICT (id) DO UPDATE SET "receivedAt" = EXCLUDED."receivedAt"
      WHERE "InboundEvent"."receivedAt" < ${before}
    RETURNING id`;
  return rows.length > 0;
}

/** Forgets claims older than `before`: Slack retries within minutes, so a day or two is plenty. */
export async function pruneInboundEvents(prisma: PrismaClient, before: Date): Promise<number> {
  const { count } = await prisma.inboundEvent.deleteMany({ where: { receivedAt: { lt: before } } });
  return count;
}

/**
 * Claims one slash command invocation by its trigger_id: a signed request replayed within Slack's five-minute
 * signature window carries the same trigger_id and is applied once (Slack itself never retries commands).
 */
export async function claimCommand(prisma: PrismaClient, key: string, now: Date): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "InboundEvent" (id, "receivedAt") VALUES (${`slack-command:${key}`}, ${now})
    ON CONFLICT (id) DO NOTHING RETURNING id`;
  return rows.length > 0;
}
