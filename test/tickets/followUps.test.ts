import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import { runTick } from "../../src/scheduler/tick.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock, silentLogger } from "../support/fakes.js";

const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };

describe("changes the policy makes to a ticket itself", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  it("WES: a software error logged at normal severity is raised to high at once", async () => {
    const wes = loadPolicyFile("policies/wes.yaml");
    const clock = new FakeClock(DateTime.fromISO("2026-12-01T10:00:00", { zone: "America/New_York" }));
    const tickets = new TicketService({ store: t.store, policy: wes, now: clock.now });
    const { ticket } = await tickets.create(actor("carol", false), {
      summary: "Totals wrong",
      category: "error",
      home,
    });
    expect(ticket.severity).toBe("high");
    const events = await t.store.prisma.ticketEvent.findMany({
      where: { ticketId: ticket.id },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.type, e.actorId])).toEqual([
      ["created", "carol"],
      ["severityChanged", "escalator"],
    ]);
  });

  it("Support Guidelines: four days without the customer's answer resolve the case, with a reminder first", async () => {
    const guidelines = loadPolicyFile("policies/support-guidelines.yaml");
    const clock = new FakeClock(DateTime.fromISO("2026-11-23T09:00:00", { zone: "America/Denver" }));
    const tickets = new TicketService({ store: t.store, policy: guidelines, now: clock.now });
    const { ticket } = await tickets.create(actor("carol", false), { summary: "Report totals", home });
    await tickets.record({ ticketId: ticket.id }, actor("alice", true), { type: "waitingOnCustomer" });
    clock.advance({ days: 3, minutes: 1 });
    await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
    expect((await tickets.view({ ticketId: ticket.id })).status).toBe("waiting");
    clock.advance({ days: 1 });
    await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
    const row = await t.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect([row.status, row.resolution]).toEqual(["resolved", "no-response"]);
    const keys = (await t.store.prisma.notification.findMany({ where: { ticketId: ticket.id } })).map((n) =>
      n.key.slice(ticket.id.length + 1),
    );
    expect(keys).toEqual(expect.arrayContaining(["c1:autoResolve#1:reminder", "c1:autoResolve#1"]));
  });

  it("Support Guidelines: a severity change says in the thread when the response was due and is due now", async () => {
    const guidelines = loadPolicyFile("policies/support-guidelines.yaml");
    const clock = new FakeClock(DateTime.fromISO("2026-03-02T10:00:00", { zone: "America/Denver" }));
    const tickets = new TicketService({ store: t.store, policy: guidelines, now: clock.now });
    const { ticket } = await tickets.create(actor("carol", false), { summary: "Sync stalls", home });
    clock.set("2026-03-04T10:00:00-07:00");
    await tickets.record({ ticketId: ticket.id }, actor("alice", true), {
      type: "severityChanged",
      from: "normal",
      to: "critical",
      why: "agreed on the call",
    });
    const notes = await t.store.prisma.notification.findMany({
      where: { ticketId: ticket.id, kind: "threadNote" },
    });
    const texts = notes.map((n) => (n.payload as { text: string }).text);
    expect(texts).toContainEqual(
      "↕️ @alice changed the severity from normal to critical: agreed on the call\n" +
        "⏱️ First response: was due Mon 9 Mar 10:00 MDT, now due Thu 5 Mar 10:00 MST.",
    );
  });
});
