import type { PrismaClient } from "../generated/prisma/client.js";

/**
 * Claims a button click for `windowMs`: a second click of the same button on the same ticket by the same
 * person inside the window is a double click (two payloads with two different ids: Slack's action_ts,
 * Teams' activity id) and does nothing. A later click claims the row again. Slack and Teams both use it.
 */
export async function claimClick(
  prisma: PrismaClient,
  key: string,
  now: Date,
  windowMs = 5_000,
): Promise<boolean> {
  const before = new Date(now.getTime() - windowMs);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "InboundEvent" (id, "receivedAt") VALUES (${`click:${key}`}, ${now})
    ON CONFLICT (id) DO UPDATE SET "receivedAt" = EXCLUDED."receivedAt"
      WHERE "InboundEvent"."receivedAt" < ${before}
    RETURNING id`;
  return rows.length > 0;
}
