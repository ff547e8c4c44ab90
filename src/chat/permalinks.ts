import type { PrismaClient } from "../generated/prisma/client.js";
import type { Platform } from "./port.js";

/** The permalinks of tickets' cards (their threads) on one platform, in one query: ticket id → link. */
export async function cardPermalinks(
  prisma: PrismaClient,
  platform: Platform,
  ticketIds: string[],
): Promise<Map<string, string>> {
  const roots = await prisma.chatLink.findMany({
    where: { ticketId: { in: ticketIds }, platform, kind: "root" },
    orderBy: { id: "asc" },
    select: { ticketId: true, permalink: true },
  });
  const links = new Map<string, string>();
  for (const r of roots) if (r.permalink && !links.has(r.ticketId)) links.set(r.ticketId, r.permalink);
  return links;
}
