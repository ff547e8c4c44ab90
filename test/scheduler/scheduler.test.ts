import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetryableSendError } from "../../src/chat/port.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { dispatchDue } from "../../src/scheduler/dispatcher.js";
import { runTick } from "../../src/scheduler/tick.js";
import { openStore, type Store } from "../../src/store/db.js";
import { claimNotifications, enqueueNotifications } from "../../src/store/outbox.js";
import { noRecipients, type Recipients } from "../../src/tickets/notifications.js";
import { TicketService } from "../../src/tickets/service.js";
import { backends, openTestStore, type TestStore } from "../support/db.js";
import { dispatchTo, twoReplicas } from "../support/dispatch.js";
import { actor, FakeChat, FakeClock, silentLogger } from "../support/fakes.js";

const wetx = loadPolicyFile("policies/wetx.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const customer = actor("carol", false);
const recipients: Recipients = { ...noRecipients, people: (who) => [`person:${who}`] };
// Friday 2026-11-20 18:30 Mountain; a WETx email is due Monday 19:00 (02:00Z Tuesday).
const friday = "2026-11-20T18:30:00-07:00";

function service(store: Store, clock: FakeClock) {
  return new TicketService({ store, policy: wetx, now: clock.now, recipients });
}

function replica(store: Store, clock: FakeClock, replicaId: string, chat: FakeChat) {
  return {
    tick: () =>
      runTick({ store, tickets: service(store, clock), logger: silentLogger, batchSize: 100 }, clock.now()),
    dispatch: () =>
      dispatchDue({
        store,
        ports: { terminal: chat },
        logger: silentLogger,
        replicaId,
        now: clock.date,
        random: () => 0.5,
      }),
  };
}

describe("two scheduler replicas on one PostgreSQL with 1,000 tickets falling due", () => {
  let t: TestStore;
  let second: Store;
  const clock = new FakeClock(DateTime.fromISO(friday, { setZone: true }));
  beforeAll(async () => {
    t = await openTestStore("postgres");
    second = await openStore({ kind: "postgres", url: t.url! });
    const tickets = service(t.store, clock);
    // Ten at a time: the store takes concurrent commands, and a busy CI machine gets there sooner.
    for (let i = 0; i < 1000; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          tickets.create(customer, {
            summary: `Ticket ${i + j}`,
            channel: "email",
            plan: (i + j) % 10 === 0 ? "gold" : "standard",
            home,
          }),
        ),
      );
    }
    // Generous limits: a loaded machine may slow this file, never fail it.
  }, 600_000);
  afterAll(async () => {
    await second.close();
    await t.dispose();
  });

  it("delivers every notification exactly once, also when one replica dies mid-tick", async () => {
    const chat = new FakeChat();
    const a = replica(t.store, clock, "a", chat);
    const b = replica(second, clock, "b", chat);
    await Promise.all([a.dispatch(), b.dispatch()]); // the cards, and the gold plan's tier-2 and TAM notices
    expect(chat.sent.filter((m) => m.body.type === "ticketCard")).toHaveLength(1000);
    expect(chat.sent.filter((m) => m.key.includes(":c1:esc:tam:notify"))).toHaveLength(100);

    clock.set("2026-11-24T02:00:00Z"); // Monday 19:00 Mountain: every first response is breached

    // Replica A dies in the middle of its tick: its transaction never commits.
    const dying = new TicketService({ store: t.store, policy: wetx, now: clock.now, recipients });
    let batches = 0;
    dying.reevaluate = async function (this: TicketService, ...args) {
      // Its first batch commits; it dies while holding the second.
      if (++batches > 1) throw new Error("replica A killed");
      return TicketService.prototype.reevaluate.apply(this, args);
    };
    const died = runTick(
      { store: t.store, tickets: dying, logger: silentLogger, batchSize: 200 },
      clock.now(),
    );
    const [aResult, bResult] = await Promise.allSettled([died, b.tick()]);
    expect(aResult.status).toBe("rejected");
    expect(bResult.status).toBe("fulfilled");
    // What A held comes back to the pool when its transaction dies; the next tick (B's, or A's after restart) takes it.
    await Promise.all([a.tick(), b.tick()]);

    // A claims a batch of sends and dies before sending: its lease runs out and B sends them.
    const abandoned = await claimNotifications(t.store.queries, {
      owner: "a-before-restart",
      now: clock.date(),
      leaseMs: 60_000,
      limit: 30,
    });
    expect(abandoned).toHaveLength(30);
    await Promise.all([a.dispatch(), b.dispatch()]);
    clock.advance({ minutes: 2 });
    await Promise.all([a.dispatch(), b.dispatch()]);

    const breachNotes = chat.sent.filter((m) => m.key.endsWith(":c1:firstResponse:breach"));
    expect(breachNotes).toHaveLength(1000);
    const channelPosts = chat.sent.filter((m) => m.key.includes(":post:"));
    expect(channelPosts).toHaveLength(1000);
    const goldLevel1 = chat.sent.filter((m) => m.key.includes("gold-level-1:notify"));
    expect(goldLevel1).toHaveLength(100);
    const keys = chat.sent.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length); // nothing twice
    const outbox = await t.store.prisma.notification.groupBy({ by: ["state"], _count: true });
    expect(outbox).toEqual([{ state: "sent", _count: keys.length }]);
  }, 600_000);
});

describe("two dispatchers and a slow chat API", () => {
  const r = twoReplicas();

  it("never send a row twice when sending a batch outlasts its lease", { timeout: 60_000 }, async () => {
    const target = { platform: "terminal", workspaceId: "local", channelId: "support" };
    await enqueueNotifications(
      r.t.store.prisma,
      Array.from({ length: 20 }, (_, i) => ({
        key: `slow-${i}`,
        kind: "notice",
        target,
        payload: { type: "notice", text: `${i}` },
      })),
      new Date(Date.now() - 1000),
    );
    const chat = new FakeChat();
    const slowSend = chat.send.bind(chat);
    chat.send = async (m) => {
      await new Promise((r) => setTimeout(r, 150)); // 20 sends take 3 s; the lease is 1 s
      return slowSend(m);
    };
    const dispatcher = (store: Store, replicaId: string) =>
      dispatchDue({
        store,
        ports: { terminal: chat },
        logger: silentLogger,
        replicaId,
        now: () => new Date(),
        leaseMs: 1000,
      });
    const a = dispatcher(r.t.store, "a");
    await new Promise((r) => setTimeout(r, 1300)); // A's lease on the rest of its batch has run out
    await Promise.all([a, dispatcher(r.second, "b")]);
    const keys = chat.sent.map((m) => m.key).sort();
    expect(keys).toEqual(Array.from({ length: 20 }, (_, i) => `slow-${i}`).sort());
  });
});

describe.each(backends)("delivery through a flaky chat API on %s", (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  });
  afterAll(() => t.dispose());

  it("waits out a 429 with Retry-After and a run of 500s, then delivers everything in thread order", async () => {
    const clock = new FakeClock(DateTime.fromISO(friday, { setZone: true }));
    const tickets = service(t.store, clock);
    const { ticket } = await tickets.create(customer, { summary: "Flaky", channel: "email", home });
    const ref = { ticketId: ticket.id };
    for (const text of ["one", "two", "three"]) {
      await tickets.record(ref, actor("alice", true), {
        type: "comment",
        author: "agent",
        visibility: "internal",
        text,
      });
    }
    const chat = new FakeChat();
    chat.failNext(
      new RetryableSendError("ratelimited", 30_000),
      new RetryableSendError("500"),
      new RetryableSendError("500"),
      new RetryableSendError("500"),
    );
    const deliver = () => dispatchTo(t.store, { terminal: chat }, clock.date);
    expect(await deliver()).toEqual({ sent: 0, retried: 1, failed: 0 });
    clock.advance({ seconds: 29 });
    expect((await deliver()).sent).toBe(0); // Retry-After is honoured: nothing before 30 s
    for (let i = 0; i < 6; i++) {
      clock.advance({ seconds: 31 });
      await deliver();
    }
    const texts = chat.texts();
    expect(texts[0]).toBe("[card]");
    expect(texts.filter((x) => x !== "[card]")).toEqual([
      expect.stringMatching(/^ℹ️ We received your request \(#\d+\)/), // the customer's status line
      "📝 @alice (internal): one",
      "📝 @alice (internal): two",
      "📝 @alice (internal): three",
    ]);
    // The card became the thread root; the notes went into its thread.
    const root = chat.sent[0]?.messageId;
    for (const m of chat.sent.slice(1)) {
      if (m.body.type === "ticketCard")
        expect(m.edit?.messageId).toBe(root); // the card is edited in place
      else expect(m.thread?.messageId).toBe(root);
    }
    const row = await t.store.prisma.notification.findFirstOrThrow({
      where: { ticketId: ticket.id, key: { contains: ":card:" } },
      orderBy: { id: "asc" },
    });
    expect(row.attempts).toBe(5);
  });

  it("after two hours down, fires each missed step once on restart, marked late", async () => {
    const clock = new FakeClock(DateTime.fromISO(friday, { setZone: true }));
    const tickets = service(t.store, clock);
    // Monday 08:00: a gold email, due Tuesday 19:00; level 1 at the breach, level 2 four business hours on.
    clock.set("2026-11-23T08:00:00-07:00");
    const { ticket } = await tickets.create(customer, {
      summary: "Gold outage",
      channel: "email",
      plan: "gold",
      home,
    });
    // The service is down from Tuesday 18:30 until Wednesday 12:00 (business hours resume 07:00).
    clock.set("2026-11-25T12:00:00-07:00");
    await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
    clock.advance({ minutes: 1 });
    await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
    const rows = await t.store.prisma.notification.findMany({
      where: { ticketId: ticket.id, late: true },
      orderBy: { id: "asc" },
    });
    const keys = rows.map((r) => r.key.slice(ticket.id.length + 1));
    expect(keys.sort()).toEqual([
      "c1:firstResponse:breach",
      "c1:firstResponse:esc:breach-notice",
      "c1:firstResponse:esc:breach-notice:post:#wetx-support",
      "c1:firstResponse:esc:gold-level-1",
      "c1:firstResponse:esc:gold-level-1:notify:escalation-level-1:person:escalation-level-1",
      "c1:firstResponse:esc:gold-level-2",
      "c1:firstResponse:esc:gold-level-2:notify:escalation-level-2:person:escalation-level-2",
    ]);
    const note = rows.find((r) => r.key.endsWith(":c1:firstResponse:breach"));
    expect((note?.payload as { text?: string } | undefined)?.text).toBe(
      "🔴 First response target missed: it was due at Tue 24 Nov 19:00 MST (late: due Tue 24 Nov 19:00 MST; Escalator was not running)",
    );
    // Level 3 is 16 business hours after the breach (Thursday): not yet, and nothing fired twice.
    expect(
      await t.store.prisma.notification.count({
        where: { ticketId: ticket.id, key: { contains: "level-3" } },
      }),
    ).toBe(0);
  });
});

describe("a ticket that cannot be evaluated", () => {
  it("does not hold up the others in its batch, and is retried later", async () => {
    const t = await openTestStore("pglite");
    try {
      const clock = new FakeClock(DateTime.fromISO(friday, { setZone: true }));
      const errors: string[] = [];
      const tickets = new TicketService({
        store: t.store,
        policy: wetx,
        now: clock.now,
        onTicketError: (id, error) => errors.push(`${id}: ${error.message}`),
      });
      const good = await tickets.create(customer, { summary: "Fine", channel: "email", home });
      const bad = await tickets.create(customer, { summary: "Corrupt", channel: "email", home });
      // A log row no version of Escalator wrote (say, edited by hand).
      await t.store.prisma.ticketEvent.updateMany({
        where: { ticketId: bad.ticket.id, seq: 1 },
        data: { payload: { type: "teleported" } },
      });
      clock.set("2026-11-24T02:00:00Z");
      const result = await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
      expect(result.evaluated).toBe(2);
      const breach = await t.store.prisma.notification.count({
        where: { key: `${good.ticket.id}:c1:firstResponse:breach` },
      });
      expect(breach).toBe(1);
      expect(errors).toEqual([
        expect.stringMatching(new RegExp(`^${bad.ticket.id}: event 1 cannot be read`)),
      ]);
      const row = await t.store.prisma.ticket.findUniqueOrThrow({ where: { id: bad.ticket.id } });
      expect(row.nextCheckAt?.toISOString()).toBe("2026-11-24T02:15:00.000Z");
    } finally {
      await t.dispose();
    }
  });
});
