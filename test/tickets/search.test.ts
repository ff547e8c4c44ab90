import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

// Support Guidelines: Critical 24 h, High 3 days … business hours 08:00–17:00 Mountain.
const policy = loadPolicyFile("policies/support-guidelines.yaml");
const agent = actor("alice", true);
const customer = actor("carol", false);
const at = (channelId: string) => ({ platform: "terminal" as const, workspaceId: "local", channelId });

describe("/ticket search and /ticket queue", () => {
  let t: TestStore;
  let tickets: TicketService;
  const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" }));
  const numbers = async (text: string) => (await tickets.search(agent, text)).map((v) => v.number);

  beforeAll(async () => {
    t = await openTestStore("pglite");
    tickets = new TicketService({ store: t.store, policy, now: clock.now });
    const open = (summary: string, channel: string, extra: object = {}) =>
      tickets.create(customer, { summary, home: at(channel), ...extra });
    await open("Printer down in the warehouse", "support", { severity: "critical", customerId: "acme" }); // #1
    await open("Export to PDF fails", "support", { customerId: "globex" }); // #2
    await open("Printers print blank pages", "billing", { customerId: "acme" }); // #3
    clock.advance({ days: 2 }); // Thursday 10:00: #1's 24 business hours are over
    await open("Login page slow", "support", { severity: "low", description: "since the printer update" }); // #4
    const old = await open("Printer driver question", "support"); // #5, resolved long ago
    await tickets.record({ ticketId: old.ticket.id }, agent, { type: "resolved", reason: "fixed" });
    clock.advance({ days: 40 });
    await tickets.create(customer, { summary: "Fresh printer jam", home: at("support") }); // #6
  });
  afterAll(() => t.dispose());

  it("finds by words (as prefixes) in summary and description, open and recent only (not one resolved 40 days ago)", async () => {
    expect((await numbers("printer")).sort()).toEqual([1, 3, 4, 6]);
    expect(await numbers("PRINTERS, blank!")).toEqual([3]);
    expect(await numbers("export pdf")).toEqual([2]);
    expect(await numbers("nothing-like-this")).toEqual([]);
  });

  it("finds by customer, #channel, severity and breached", async () => {
    expect((await numbers("customer:acme")).sort()).toEqual([1, 3]);
    expect(await numbers("acme printers")).toEqual([3]);
    expect(await numbers("#billing")).toEqual([3]);
    expect(await numbers("critical")).toEqual([1]);
    expect((await numbers("breached")).sort()).toContain(1);
    expect(await numbers("breached #billing low")).toEqual([]);
  });

  it("explains what to type, and refuses customers", async () => {
    await expect(tickets.search(agent, "   ")).rejects.toThrow("Search for words, a customer");
    await expect(tickets.search(customer, "printer")).rejects.toThrow(
      "Only the support team can search tickets.",
    );
    await expect(tickets.queue(customer)).rejects.toThrow("Only the support team can see the team queue.");
  });

  it("lists the queue soonest breach first, as App Home does", async () => {
    const queue = await tickets.queue(agent);
    const dues = queue.map((v) => v.targets.find((x) => x.due && x.state !== "met")?.due ?? "~");
    expect(dues).toEqual([...dues].sort());
    expect(queue.map((v) => v.number)).not.toContain(5);
  });
});
