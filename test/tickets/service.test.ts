import { DateTime } from "luxon";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import { TicketCommandError } from "../../src/tickets/errors.js";
import { parseLoggedEvent } from "../../src/tickets/events.js";
import { TicketService } from "../../src/tickets/service.js";
import { replay } from "../../src/tickets/state.js";
import { backends, openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

const wetx = loadPolicyFile("policies/wetx.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const customer = actor("carol", false);
const agent = actor("alice", true);

describe.each(backends)("the ticket service on %s", (backend) => {
  let t: TestStore;
  let clock: FakeClock;
  let tickets: TicketService;
  beforeAll(async () => {
    t = await openTestStore(backend);
  });
  afterAll(() => t.dispose());
  beforeEach(() => {
    // Friday 2026-11-20 18:30 Mountain: half an hour before the WETx business day ends.
    clock = new FakeClock(DateTime.fromISO("2026-11-20T18:30:00", { zone: "America/Denver" }));
    tickets = new TicketService({ store: t.store, policy: wetx, now: clock.now });
  });

  const outboxKeys = async (ticketId: string) =>
    (await t.store.prisma.notification.findMany({ where: { ticketId }, orderBy: { id: "asc" } })).map(
      (n) => n.key,
    );

  it("opens a WETx email on Friday 18:30 due Monday 19:00, numbered per workspace, with its card queued", async () => {
    const { ticket } = await tickets.create(
      { ...customer, workspaceId: "acme" },
      { summary: "  Export   fails ", channel: "email", home },
    );
    expect(ticket.number).toBe(1);
    expect(ticket.summary).toBe("Export fails");
    expect(ticket.targets).toEqual([
      {
        name: "firstResponse",
        label: "First response",
        due: "2026-11-23T19:00:00.000-07:00",
        state: "pending",
      },
    ]);
    const second = await tickets.create({ ...customer, workspaceId: "acme" }, { summary: "Second", home });
    const elsewhere = await tickets.create(
      { ...customer, workspaceId: "globex" },
      { summary: "Other", home },
    );
    expect([second.ticket.number, elsewhere.ticket.number]).toEqual([2, 1]);

    const row = await t.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.nextCheckAt?.toISOString()).toBe("2026-11-24T02:00:00.000Z"); // the breach instant
    // The card, and in its thread the status line for the customer ("received").
    expect(await outboxKeys(ticket.id)).toEqual([`${ticket.id}:card:v1:fp`, `${ticket.id}:status1`]);
  });

  it("does nothing twice for a repeated client key (a double click, a platform retry)", async () => {
    const first = await tickets.create(customer, { summary: "Printer down", home }, "click-1");
    const again = await tickets.create(customer, { summary: "Printer down", home }, "click-1");
    expect(again).toEqual({ ticket: first.ticket, duplicate: true });
    const ref = { ticketId: first.ticket.id };
    await tickets.record(
      ref,
      agent,
      { type: "comment", author: "agent", visibility: "public", text: "On it" },
      "reply-1",
    );
    const repeat = await tickets.record(
      ref,
      agent,
      { type: "comment", author: "agent", visibility: "public", text: "On it" },
      "reply-1",
    );
    expect(repeat.duplicate).toBe(true);
    expect(await t.store.prisma.ticketEvent.count({ where: { ticketId: first.ticket.id } })).toBe(2);
  });

  it("takes no number for a repeated click: the next ticket has the next number", async () => {
    const person = { ...customer, workspaceId: "clicks" };
    const first = await tickets.create(person, { summary: "Badge reader", home }, "click-n");
    const again = await tickets.create(person, { summary: "Badge reader", home }, "click-n");
    const next = await tickets.create(person, { summary: "Door", home }, "click-m");
    expect([first.ticket.number, again.ticket.number, next.ticket.number]).toEqual([1, 1, 2]);
    expect(again.duplicate).toBe(true);
  });

  it("does one thing for the same client key arriving at once (two replicas, two clicks)", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => tickets.create(customer, { summary: "Raced", home }, "race-1")),
    );
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const ref = { ticketId: results[0]!.ticket.id };
    const comments = await Promise.all(
      [1, 2, 3].map(() =>
        tickets.record(
          ref,
          agent,
          { type: "comment", author: "agent", visibility: "public", text: "x" },
          "race-2",
        ),
      ),
    );
    expect(comments.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await t.store.prisma.ticketEvent.count({ where: { ticketId: ref.ticketId } })).toBe(2);
  });

  it("numbers 40 tickets opened at once in one workspace 1 to 40, each once, each with its card", async () => {
    const workspace = { ...customer, workspaceId: "burst" };
    const opened = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        tickets.create(workspace, { summary: `Burst ${i}`, channel: "email", home }, `burst-${i}`),
      ),
    );
    expect(opened.map((r) => r.ticket.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const cards = await t.store.prisma.notification.count({
      where: { ticketId: { in: opened.map((r) => r.ticket.id) }, kind: "ticketCard" },
    });
    expect(cards).toBe(40);
  });

  it("meets the first response with the first public agent reply, never with the bot's own words", async () => {
    const { ticket } = await tickets.create(customer, { summary: "Sync stuck", channel: "email", home });
    const ref = { ticketId: ticket.id };
    clock.advance({ minutes: 5 });
    const afterBot = await tickets.record(ref, actor("escalator", true), {
      type: "comment",
      author: "bot",
      visibility: "public",
      text: "Thanks, we got it",
    });
    expect(afterBot.ticket.targets[0]?.state).toBe("pending");
    const afterInternal = await tickets.record(ref, agent, {
      type: "comment",
      author: "agent",
      visibility: "internal",
      text: "looking",
    });
    expect(afterInternal.ticket.targets[0]?.state).toBe("pending");
    const afterReply = await tickets.record(ref, agent, {
      type: "comment",
      author: "agent",
      visibility: "public",
      text: "Can you send the log?",
    });
    expect(afterReply.ticket.targets[0]?.state).toBe("met");
    expect(afterReply.ticket.status).toBe("responded");
    const row = await t.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.respondedAt?.toISOString()).toBe("2026-11-21T01:35:00.000Z");
  });

  it("does not echo a reply typed in a chat thread back into that thread, but tells every other event", async () => {
    const slackHome = { platform: "slack" as const, workspaceId: "slack:T1", channelId: "C1" };
    const { ticket } = await tickets.create(
      { ...customer, platform: "slack", workspaceId: "slack:T1" },
      { summary: "Echo", home: slackHome },
    );
    const ref = { ticketId: ticket.id };
    const slackAgent = { ...agent, platform: "slack" as const, workspaceId: "slack:T1" };
    await tickets.record(ref, slackAgent, {
      type: "comment",
      author: "agent",
      visibility: "public",
      text: "On it",
    });
    await tickets.record(ref, slackAgent, { type: "acknowledged" });
    const keys = await outboxKeys(ticket.id);
    expect(keys.filter((k) => /:e\d+$/.test(k)).map((k) => k.slice(ticket.id.length + 1))).toEqual(["e3"]);
  });

  it("walks the lifecycle and refuses what does not fit, saying why", async () => {
    const { ticket } = await tickets.create(customer, { summary: "Crash on save", home });
    const ref = { ticketId: ticket.id };
    await expect(tickets.record(ref, agent, { type: "closed" })).rejects.toThrow(
      /resolve the ticket before closing it/,
    );
    await tickets.record(ref, agent, { type: "waitingOnCustomer" });
    await expect(tickets.record(ref, agent, { type: "waitingOnCustomer" })).rejects.toThrow(
      /already waiting/,
    );
    const resumed = await tickets.record(ref, customer, {
      type: "comment",
      author: "customer",
      visibility: "public",
      text: "here",
    });
    expect(resumed.ticket.status).toBe("open");
    await tickets.record(ref, agent, { type: "resolved", reason: "fixed" });
    // The customer writes back: the ticket reopens in a new cycle.
    const replied = await tickets.record(ref, customer, {
      type: "comment",
      author: "customer",
      visibility: "public",
      text: "still broken",
    });
    expect(replied.ticket.status).toBe("open");
    await expect(tickets.record(ref, customer, { type: "resolved", reason: "fixed" })).rejects.toThrow(
      /only the support team can resolve tickets/,
    );
    await tickets.record(ref, agent, { type: "resolved", reason: "fixed" });
    await tickets.record(ref, agent, { type: "closed" });
    await expect(
      tickets.record(ref, customer, { type: "comment", author: "customer", visibility: "public", text: "x" }),
    ).rejects.toThrow(/closed; reopen it/);
    const reopened = await tickets.record(ref, customer, { type: "reopened", why: "it came back" });
    expect(reopened.ticket.status).toBe("open");

    // The row is a cache of the log: replaying the events gives the same ticket.
    const rows = await t.store.prisma.ticketEvent.findMany({
      where: { ticketId: ticket.id },
      orderBy: { seq: "asc" },
    });
    const state = replay(rows.map(parseLoggedEvent));
    const row = await t.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect({ status: row.status, cycle: row.cycle, version: row.version }).toEqual({
      status: state.status,
      cycle: 3,
      version: rows.length,
    });
    expect(rows.map((r) => r.type)).toEqual([
      "created",
      "waitingOnCustomer",
      "comment",
      "resolved",
      "reopened",
      "comment",
      "resolved",
      "closed",
      "reopened",
    ]);
  });

  it("explains a bad severity, channel or summary and writes nothing", async () => {
    const before = await t.store.prisma.ticket.count();
    await expect(tickets.create(customer, { summary: "x", severity: "urgent", home })).rejects.toThrow(
      "Severity must be one of normal; got “urgent”.",
    );
    await expect(tickets.create(customer, { summary: "x", channel: "fax", home })).rejects.toThrow(
      "The contact channel must be one of text, phone, voicemail, chat, email, portal; got “fax”.",
    );
    await expect(tickets.create(customer, { summary: "   ", home })).rejects.toBeInstanceOf(
      TicketCommandError,
    );
    await expect(
      tickets.record({ workspaceId: "local", number: 999 }, agent, { type: "closed" }),
    ).rejects.toThrow("There is no ticket #999.");
    expect(await t.store.prisma.ticket.count()).toBe(before);
  });
});
