import type { Policy } from "../policy/types.js";
import type { Tx } from "../store/outbox.js";

/**
 * Round-robin assignment of new tickets (the policy file's `chat.roundRobin`). Whose turn it is lives in the
 * RoundRobinTurn table: every replica and every restart reads the same order, and the pool's rows are locked
 * while one ticket takes its turn, so two replicas never hand the same turn out twice.
 */

/** The pool a new ticket draws from, if round-robin applies to where it was opened. */
export function roundRobinPool(
  policy: Policy,
  homeChannelId: string,
): { pool: string; agents: string[] } | undefined {
  const rr = policy.chat.roundRobin;
  if (!rr) return undefined;
  if (rr.channels && !rr.channels.includes(homeChannelId)) return undefined;
  return { pool: rr.channels ? `${policy.id}:${homeChannelId}` : policy.id, agents: rr.agents };
}

/** The agent whose turn is oldest, skipping agents who are away; records the turn. Undefined if all are out. */
export async function takeTurn(
  tx: Tx,
  workspaceId: string,
  pool: { pool: string; agents: string[] },
): Promise<string | undefined> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "RoundRobinTurn" (pool, "agentId") SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    pool.pool,
    pool.agents,
  );
  // Lock the whole pool first, then read it in a new statement, which sees the turn the last holder committed.
  await tx.$queryRawUnsafe(`SELECT 1 FROM "RoundRobinTurn" WHERE pool = $1 FOR UPDATE`, pool.pool);
  const next = await tx.$queryRawUnsafe<{ agentId: string; top: number }[]>(
    `SELECT t."agentId", (SELECT max("lastTurn") FROM "RoundRobinTurn" WHERE pool = $1) AS top
       FROM "RoundRobinTurn" t
      WHERE t.pool = $1 AND t."agentId" = ANY($2::text[])
        AND NOT EXISTS (SELECT 1 FROM "AgentAway" a WHERE a."workspaceId" = $3 AND a."agentId" = t."agentId")
      ORDER BY t."lastTurn", array_position($2::text[], t."agentId")
      LIMIT 1`,
    pool.pool,
    pool.agents,
    workspaceId,
  );
  const chosen = next[0];
  if (!chosen) return undefined;
  await tx.$executeRawUnsafe(
    `UPDATE "RoundRobinTurn" SET "lastTurn" = $3, assigned = assigned + 1 WHERE pool = $1 AND "agentId" = $2`,
    pool.pool,
    chosen.agentId,
    Number(chosen.top) + 1,
  );
  return chosen.agentId;
}

/** Marks an agent out (skipped by round-robin) or back. */
export async function setAway(tx: Tx, workspaceId: string, agentId: string, away: boolean, now: Date) {
  if (away)
    await tx.agentAway.upsert({
      where: { workspaceId_agentId: { workspaceId, agentId } },
      create: { workspaceId, agentId, since: now },
      update: {},
    });
  else await tx.agentAway.deleteMany({ where: { workspaceId, agentId } });
}
