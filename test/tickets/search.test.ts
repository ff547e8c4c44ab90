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

  it("keeps the soonest breach first when more than 200 tickets are open (the old breached one is not cut off)", async () => {
    await t.store.sql.exec(`
      INSERT INTO "Ticket" (id, "workspaceId", number, "policyId", summary, description, severity, channel, plan,
                            category, "customerId", "requesterId", "homePlatform", "homeChannelId", "openedAt",
                            "nextCheckAt", status, version, "updatedAt")
      SELECT gen_random_uuid(), "workspaceId", 100 + n, "policyId", summary || ' ' || n, description, severity,
             channel, plan, category, "customerId", "requesterId", "homePlatform", "homeChannelId", "openedAt",
             "nextCheckAt", status, 1, now()
        FROM "Ticket", generate_series(1, 250) AS n WHERE number = 6;
      INSERT INTO "TicketEvent" ("ticketId", seq, type, "actorId", source, at, payload)
      SELECT t.id, 1, 'created', e."actorId", e.source, e.at, e.payload
        FROM "Ticket" t, "TicketEvent" e JOIN "Ticket" six ON six.id = e."ticketId" AND six.number = 6
       WHERE t.number > 100 AND e.seq = 1;`);
    const queue = await tickets.queue(agent, 3);
    expect(queue[0]?.number).toBe(1); // breached weeks ago; 250 newer tickets are open
    const dues = queue.map((v) => v.targets.find((x) => x.due && x.state !== "met")?.due ?? "~");
    expect(dues).toEqual([...dues].sort());
  });

  it("sorts by the stored time to breach, which rows from before the column get at the scheduler's next look", async () => {
    // The copies above have no nextDueAt, as rows written before migration 20261201005000; it made them due.
    const unset = `SELECT count(*)::int AS n FROM "Ticket" WHERE "nextDueAt" IS NULL AND status = 'open'`;
    expect((await t.store.sql.query<{ n: number }>(unset))[0]?.n).toBe(250);
    await t.store.sql.exec(
      `UPDATE "Ticket" SET "nextCheckAt" = LEAST("nextCheckAt", "openedAt") WHERE number > 100`,
    );
    const due = await t.store.sql.query<{ id: string }>(
      `SELECT id::text FROM "Ticket" WHERE "nextCheckAt" <= '${clock.now().toISO()}'`,
    );
    await t.store.prisma.$transaction((tx) =>
      tickets.reevaluate(
        tx,
        due.map((r) => r.id),
        clock.now(),
      ),
    );
    expect((await t.store.sql.query<{ n: number }>(unset))[0]?.n).toBe(0);
    const resolved = await t.store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Ticket" WHERE status = 'resolved' AND "nextDueAt" IS NOT NULL`,
    );
    expect(resolved[0]?.n).toBe(0);
    const queue = await tickets.queue(agent, 5);
    expect(queue.map((v) => v.number).slice(0, 4)).toEqual([1, 3, 2, 4]); // by due; a tie: the newest first
  });
});
