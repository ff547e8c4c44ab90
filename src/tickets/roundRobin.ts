import type { DateTime } from "luxon";
import type { Platform } from "../chat/port.js";
import type { Policy } from "../policy/types.js";
import type { Tx } from "../store/outbox.js";
import type { Recipients } from "./notifications.js";

/**
 * Round-robin assignment of new tickets (the policy file's `chat.roundRobin`). Whose turn it is lives in the
 * RoundRobinTurn table: every replica and every restart reads the same order, and the pool's rows are locked
 * while one ticket takes its turn, so two replicas never hand the same turn out twice.
 */

export interface RoundRobinPool {
  /** The turn table's key: the policy, and the channel when the pool names channels. */
  pool: string;
  /** On-call schedules whose people on call are on shift. */
  schedules: string[];
  /** The listed agents: the pool without schedules, the fallback with them. */
  agents: string[];
}

/** The pool a new ticket draws from, if round-robin applies to where it was opened (the first that matches). */
export function roundRobinPool(policy: Policy, homeChannelId: string): RoundRobinPool | undefined {
  const configured = policy.chat.roundRobin;
  const pools = Array.isArray(configured) ? configured : configured ? [configured] : [];
  const rr = pools.find((p) => !p.channels || p.channels.includes(homeChannelId));
  if (!rr) return undefined;
  return {
    pool: rr.channels ? `${policy.id}:${homeChannelId}` : policy.id,
    schedules: rr.schedules ?? [],
    agents: rr.agents ?? [],
  };
}

/** Who takes turns for a ticket opened at `at`, in turn order of preference, and why when it is a fallback. */
export interface Shift {
  agents: string[];
  /** Set when the schedules put nobody on shift: what the operator is told. */
  nobodyOnShift?: string;
}

/**
 * Pure: the agents on shift at `at` — whoever the pool's schedules put on call (as chat ids of the ticket's
 * platform) — or, when they have nobody, the listed agents. A pool without schedules is its listed agents.
 */
export function onShift(
  pool: RoundRobinPool,
  recipients: Recipients,
  platform: Platform,
  at: DateTime,
): Shift {
  if (pool.schedules.length === 0) return { agents: pool.agents };
  const people = pool.schedules.flatMap((id) => {
    const target = recipients.onCall(id, at);
    return target?.kind === "person" ? [recipients.chatId(target.person, platform)] : [];
  });
  if (people.length > 0) return { agents: [...new Set(people)] };
  return {
    agents: pool.agents,
    nobodyOnShift: `schedule${pool.schedules.length > 1 ? "s" : ""} ${pool.schedules.join(", ")} put nobody on shift`,
  };
}

/** The agent whose turn is oldest, skipping agents who are away; records the turn. Undefined if all are out. */
export async function takeTurn(
  tx: Tx,
  workspaceId: string,
  pool: { pool: string; agents: string[] },
): Promise<string | undefined> {
  if (pool.agents.length === 0) return undefined;
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
