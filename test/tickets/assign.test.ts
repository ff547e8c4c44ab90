import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

const policy = loadPolicyFile("policies/support-guidelines.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const alice = actor("alice", true);
const carol = actor("carol", false);
const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" }));

describe("assigning a ticket to a named person", () => {
  let t: TestStore;
  let tickets: TicketService;
  const asked: string[] = [];
  beforeAll(async () => {
    t = await openTestStore("pglite");
    tickets = new TicketService({ store: t.store, policy, now: clock.now });
    tickets.agents.register("terminal", async (_workspace, person) => {
      asked.push(person);
      return ["alice", "bob"].includes(person);
    });
    await tickets.create(carol, { summary: "printer down", home });
  });
  afterAll(() => t.dispose());

  it("assigns to an agent the platform knows", async () => {
    const { ticket } = await tickets.record({ workspaceId: "local", number: 1 }, alice, {
      type: "assigned",
      assigneeId: "bob",
    });
    expect(ticket.assigneeId).toBe("bob");
  });

  it("refuses someone who is not an agent, says why, and logs nothing", async () => {
    const events = await t.store.prisma.ticketEvent.count();
    await expect(
      tickets.record({ workspaceId: "local", number: 1 }, alice, { type: "assigned", assigneeId: "carol" }),
    ).rejects.toThrow(
      "#1: the person you named is not a support agent, so the ticket cannot be assigned to them",
    );
    expect(await t.store.prisma.ticketEvent.count()).toBe(events);
    expect((await tickets.view({ workspaceId: "local", number: 1 })).assigneeId).toBe("bob");
  });

  it("takes an agent at their word when they assign themselves (no lookup)", async () => {
    asked.length = 0;
    await tickets.record({ workspaceId: "local", number: 1 }, alice, {
      type: "assigned",
      assigneeId: "alice",
    });
    expect(asked).toEqual([]);
  });
});
