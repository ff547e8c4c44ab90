import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import type { TicketEventPayload } from "../../src/tickets/events.js";
import type { TicketCommand } from "../../src/tickets/rules.js";
import { type Actor, TicketService } from "../../src/tickets/service.js";
import { authCells, type RelationName } from "../support/authMatrix.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { FakeClock } from "../support/fakes.js";

const policy = loadPolicyFile("policies/support-guidelines.yaml");
const ws = "slack:T0001";
const home = { platform: "slack" as const, workspaceId: ws, channelId: "C1" };
const person = (id: string, extra: Partial<Actor> = {}): Actor => ({
  id,
  platform: "slack",
  workspaceId: ws,
  isAgent: false,
  ...extra,
});

/** Puts tickets in the state a command needs (an agent who is none of the people under test). */
const setup = person("USETUP", { isAgent: true });
const people: Record<RelationName, Actor> = {
  admin: person("UADMIN", { workspaceId: "slack:T0002", isAdmin: true }),
  agent: person("UAGENT", { isAgent: true }),
  agentElsewhere: person("UAGENT9", { workspaceId: "slack:T0002", isAgent: true }),
  requester: person("UREQ"),
  customer: person("UCOLL", { customerIds: ["acme"] }),
  pagedNonAgent: person("UMGR"),
  otherCustomer: person("UOTHER", { customerIds: ["globex"] }),
};

/** The payload for each command and the state the ticket needs for it to apply. */
const pageMoveCommands = ["pageSnoozed", "pageEscalated", "pageReassigned"];
const commands: Record<
  // Moves on a page also need a running ladder: their cells are played in test/chat/slack/pageMoves.test.ts.
  Exclude<TicketCommand, "view" | "pageSnoozed" | "pageEscalated" | "pageReassigned">,
  { payload: TicketEventPayload; before?: TicketEventPayload }
> = {
  comment: { payload: { type: "comment", author: "customer", visibility: "public", text: "hello" } },
  note: { payload: { type: "comment", author: "agent", visibility: "internal", text: "note" } },
  acknowledged: { payload: { type: "acknowledged" } },
  assigned: { payload: { type: "assigned", assigneeId: "UAGENT" } },
  severityChanged: { payload: { type: "severityChanged", from: "", to: "high", why: "" } },
  waitingOnCustomer: { payload: { type: "waitingOnCustomer" } },
  resumed: { payload: { type: "resumed" }, before: { type: "waitingOnCustomer" } },
  resolved: { payload: { type: "resolved", reason: "fixed" } },
  closed: { payload: { type: "closed" }, before: { type: "resolved", reason: "fixed" } },
  reopened: { payload: { type: "reopened" }, before: { type: "resolved", reason: "fixed" } },
};

describe("the ticket service's rule table, cell by cell", () => {
  let t: TestStore;
  let tickets: TicketService;
  beforeAll(async () => {
    t = await openTestStore("pglite");
    const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" }));
    tickets = new TicketService({ store: t.store, policy, now: clock.now });
  });
  afterAll(() => t.dispose());

  async function ticketFor(before?: TicketEventPayload): Promise<string> {
    const { ticket } = await tickets.create(people.requester, {
      summary: "Scanner down",
      home,
      customerId: "acme",
      plan: "standard",
    });
    await t.store.prisma.notification.create({
      data: {
        key: `${ticket.id}:page:test`,
        ticketId: ticket.id,
        kind: "page",
        target: { userId: "UMGR" },
        payload: {},
        state: "sent",
      },
    });
    if (before) await tickets.record({ ticketId: ticket.id }, setup, before);
    return ticket.id;
  }

  it.each(
    authCells
      .filter((c) => !pageMoveCommands.includes(c.command))
      .map((c) => [c.command, c.relation, c.allowed] as const),
  )("%s by %s: allowed %s", async (command, relation, allowed) => {
    const ticketId = await ticketFor(command === "view" ? undefined : commands[command as "comment"].before);
    const actor = people[relation];
    const attempt =
      command === "view"
        ? tickets.viewAs({ ticketId }, actor)
        : tickets.record({ ticketId }, actor, commands[command as "comment"].payload);
    if (allowed) await expect(attempt).resolves.toBeDefined();
    else await expect(attempt).rejects.toMatchObject({ code: "forbidden" });
    const events = await t.store.prisma.ticketEvent.count({
      where: { ticketId, actorId: actor.id, type: { not: "created" } },
    });
    expect(events).toBe(allowed && command !== "view" ? 1 : 0);
  });

  it("a reply counts as the customer's only from the requester or their colleagues", async () => {
    const waiting = await ticketFor({ type: "waitingOnCustomer" });
    const reply = { type: "comment", author: "customer", visibility: "public", text: "any news?" } as const;
    // A paged manager's reply is the support side's: it does not resume the customer's clock.
    await tickets.record({ ticketId: waiting }, people.pagedNonAgent, reply);
    expect((await tickets.view({ ticketId: waiting })).status).toBe("waiting");
    await tickets.record({ ticketId: waiting }, people.customer, reply);
    expect((await tickets.view({ ticketId: waiting })).status).not.toBe("waiting");

    const resolved = await ticketFor({ type: "resolved", reason: "fixed" });
    await expect(tickets.record({ ticketId: resolved }, people.otherCustomer, reply)).rejects.toThrow(
      /only its requester/,
    );
    expect((await tickets.view({ ticketId: resolved })).status).toBe("resolved");
    await tickets.record({ ticketId: resolved }, people.requester, reply);
    expect((await tickets.view({ ticketId: resolved })).status).not.toBe("resolved");
  });
});
