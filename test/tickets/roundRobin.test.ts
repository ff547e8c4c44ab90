import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import type { Policy } from "../../src/policy/types.js";
import { openStore } from "../../src/store/db.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

const base = loadPolicyFile("policies/support-guidelines.yaml");
const policy: Policy = { ...base, chat: { ...base.chat, roundRobin: { agents: ["alice", "bob", "dana"] } } };
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const customer = actor("carol", false);

// Tuesday 2026-11-17 10:00 Mountain; every ticket opens at the same instant (turns, not timestamps, decide).
const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" }));

describe("round-robin assignment over three agents on PostgreSQL", () => {
  let t: TestStore;
  const service = (store = t.store) => new TicketService({ store, policy, now: clock.now });
  const open = async (tickets: TicketService, n: number) => {
    const assignees: (string | null)[] = [];
    for (let i = 0; i < n; i++)
      assignees.push((await tickets.create(customer, { summary: `printer ${i}`, home })).ticket.assigneeId);
    return assignees;
  };
  beforeAll(async () => {
    t = await openTestStore("postgres");
  });
  afterAll(() => t.dispose());

  it("takes turns in order, carries on after a restart, and skips an agent who is away", async () => {
    expect(await open(service(), 4)).toEqual(["alice", "bob", "dana", "alice"]);
    // A restart: a new process, a new connection; whose turn it is was in the database.
    const restarted = await openStore({ kind: "postgres", url: t.url! });
    try {
      const after = service(restarted);
      expect(await open(after, 2)).toEqual(["bob", "dana"]);
      await after.setAway(actor("bob", true), true);
      expect(await open(after, 3)).toEqual(["alice", "dana", "alice"]);
      await after.setAway(actor("bob", true), false);
      expect(await open(after, 1)).toEqual(["bob"]); // the longest wait goes first when back
    } finally {
      await restarted.close();
    }
    const log = await t.store.prisma.ticketEvent.findFirst({ where: { type: "assigned" } });
    expect(log).toMatchObject({ actorId: "escalator" });
  });

  it("hands out each turn once when two replicas open tickets at the same moment", async () => {
    const other = await openStore({ kind: "postgres", url: t.url! });
    try {
      const replicas = [service(), service(other)];
      const before = await t.store.prisma.roundRobinTurn.findMany({ orderBy: { agentId: "asc" } });
      const opened = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          replicas[i % 2]!.create(customer, { summary: `burst ${i}`, home }).then((r) => r.ticket.assigneeId),
        ),
      );
      const counts = Object.fromEntries(
        ["alice", "bob", "dana"].map((a) => [a, opened.filter((x) => x === a).length]),
      );
      expect(counts).toEqual({ alice: 4, bob: 4, dana: 4 });
      const after = await t.store.prisma.roundRobinTurn.findMany({ orderBy: { agentId: "asc" } });
      expect(after.map((r, i) => r.assigned - before[i]!.assigned)).toEqual([4, 4, 4]);
    } finally {
      await other.close();
    }
  });

  it("says who may not take turns: a customer cannot mark themselves away", async () => {
    await expect(service().setAway(customer, true)).rejects.toThrow("Only support agents");
  });
});
