import { DateTime } from "luxon";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MessageBody } from "../../src/chat/port.js";
import { RetryableSendError } from "../../src/chat/port.js";
import { Pacer, platformPacing } from "../../src/scheduler/pacer.js";
import {
  claimNotifications,
  enqueueNotifications,
  markSent,
  type NewNotification,
} from "../../src/store/outbox.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { dispatchTo } from "../support/dispatch.js";
import { FakeChat, FakeClock, ticketView } from "../support/fakes.js";

const clock = new FakeClock(DateTime.fromISO("2026-11-24T02:00:00Z", { setZone: true }));
const dm = { platform: "slack", workspaceId: "slack:T1", userId: "UONCALL" };
const channel = { platform: "slack", workspaceId: "slack:T1", channelId: "C1" };

const page = (n: number): NewNotification => ({
  key: `page-${n}`,
  kind: "page",
  target: dm,
  payload: { type: "page", ticket: ticketView(n), level: 1, reason: "you are on call" } as never,
});

/** Every ticket number that reached the platform, one entry per time it was in a message. */
const numbersSent = (chat: FakeChat) =>
  chat.sent
    .flatMap((m) => (m.body.type === "bundle" ? m.body.items : [m.body as MessageBody]))
    .map((b) => ("ticket" in b && b.ticket ? b.ticket.number : -1));

describe("pages waiting behind one conversation's pace go as one message", () => {
  let t: TestStore;
  let ms: { now: number };
  let pacer: Pacer;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());
  beforeEach(async () => {
    await t.store.prisma.notification.deleteMany();
    ms = { now: 0 };
    pacer = new Pacer(() => ms.now);
  });
  const later = (seconds: number) => {
    clock.advance({ seconds });
    ms.now += seconds * 1000;
  };
  const dispatch = (chat: FakeChat) => dispatchTo(t.store, { slack: chat }, clock.date, { pacer });

  it("the burst goes one by one; the pages past it go together at the next slot, each recorded once", async () => {
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 24 }, (_, i) => page(i + 1)),
      clock.date(),
    );
    const chat = new FakeChat("slack");
    await dispatch(chat);
    expect(chat.sent.map((m) => m.body.type)).toEqual(Array(10).fill("page")); // Slack's burst for one DM
    // More fall due while the rest wait: they join the same slot.
    await enqueueNotifications(t.store.prisma, [page(25), page(26)], clock.date());
    await dispatch(chat);
    expect(chat.sent).toHaveLength(10);
    later(1);
    await dispatch(chat);
    const bundle = chat.sent.at(-1)!;
    expect(chat.sent).toHaveLength(11);
    expect(bundle.body.type).toBe("bundle");
    expect(numbersSent(chat)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    const rows = await t.store.prisma.notification.findMany({
      where: { key: { in: ["page-11", "page-26"] } },
    });
    expect(rows.map((r) => [r.state, r.platformMessageId, r.attempts])).toEqual([
      ["sent", bundle.messageId, 1],
      ["sent", bundle.messageId, 1],
    ]);
  });

  it("pages past the burst hold a slot each, 45 to a slot a second apart, and are claimed again only then", async () => {
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 200 }, (_, i) => page(i + 1)),
      clock.date(),
    );
    const chat = new FakeChat("slack");
    const start = clock.date().getTime();
    const waiting = async () => {
      const rows = await t.store.prisma.notification.findMany({ where: { state: "pending" } });
      const bySlot = new Map<number, number>();
      for (const r of rows) {
        const second = Math.round((r.availableAt.getTime() - start) / 1000);
        bySlot.set(second, (bySlot.get(second) ?? 0) + 1);
      }
      return Object.fromEntries(bySlot);
    };
    await dispatch(chat);
    expect(chat.sent).toHaveLength(10);
    expect(await waiting()).toEqual({ 1: 45, 2: 45, 3: 45, 4: 45, 5: 10 });
    later(1);
    await dispatch(chat);
    expect(chat.sent.slice(10).map((m) => m.body.type)).toEqual(["bundle"]);
    // The others were not claimed and put back: their slots are as they were.
    expect(await waiting()).toEqual({ 2: 45, 3: 45, 4: 45, 5: 10 });
    for (let second = 2; second <= 5; second++) {
      later(1);
      await dispatch(chat);
    }
    expect(chat.sent).toHaveLength(15);
    expect(numbersSent(chat)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it("a page due just before the slot waits for it with the others, and they go as one message", async () => {
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 15 }, (_, i) => page(i + 1)),
      clock.date(),
    );
    const chat = new FakeChat("slack");
    await dispatch(chat);
    later(0.98);
    await enqueueNotifications(t.store.prisma, [page(16)], clock.date());
    await dispatch(chat);
    expect(chat.sent).toHaveLength(10);
    later(0.02);
    await dispatch(chat);
    expect(chat.sent.slice(10).map((m) => m.body.type)).toEqual(["bundle"]);
    expect(numbersSent(chat)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it("a bundle the platform refuses is retried whole, and no page goes twice", async () => {
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 14 }, (_, i) => page(i + 1)),
      clock.date(),
    );
    const chat = new FakeChat("slack");
    await dispatch(chat);
    later(1);
    chat.failNext(new RetryableSendError("503 service unavailable"));
    await dispatch(chat);
    expect(chat.sent).toHaveLength(10);
    const waiting = await t.store.prisma.notification.findMany({ where: { state: "pending" } });
    expect(waiting.map((r) => r.key).sort()).toEqual(["page-11", "page-12", "page-13", "page-14"]);
    expect(new Set(waiting.map((r) => r.availableAt.getTime())).size).toBe(1); // they retry together
    later(60);
    await dispatch(chat);
    expect(numbersSent(chat)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it("a process that dies mid-send of a bundle: the next holder sends it whole, the old holder records nothing", async () => {
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 3 }, (_, i) => page(i + 1)),
      clock.date(),
    );
    // The dead process had claimed them all (its send never answered).
    const dead = await claimNotifications(t.store.queries, {
      owner: "dead",
      now: clock.date(),
      leaseMs: 60_000,
      limit: 10,
    });
    expect(dead).toHaveLength(3);
    later(61); // its lease ran out
    for (let i = 0; i < 10; i++) pacer.reserve(platformPacing(dm as never, false), `earlier-${i}`); // no burst left
    const chat = new FakeChat("slack");
    await dispatch(chat);
    later(1);
    await dispatch(chat);
    expect(chat.sent.map((m) => m.body.type)).toEqual(["bundle"]);
    expect(numbersSent(chat)).toEqual([1, 2, 3]);
    // The dead process's late answer is not recorded as its own.
    expect(
      await markSent(t.store.queries, dead[0]!.id, "dead", { channelId: "D", messageId: "x" }, clock.date()),
    ).toBe(false);
    const rows = await t.store.prisma.notification.findMany();
    expect(rows.map((r) => [r.state, r.platformMessageId])).toEqual(
      rows.map(() => ["sent", chat.sent[0]!.messageId]),
    );
  });

  it("never bundles a thread: notes and card redraws keep their order; alerts to a channel's top level may share", async () => {
    const thread = { ...channel, thread: "ticket" };
    const note = (i: number): NewNotification => ({
      key: `note-${i}`,
      ticketId: null,
      kind: "threadNote",
      target: thread,
      payload: { type: "threadNote", ticket: ticketView(1), text: `note ${i}` } as never,
      orderingKey: "ticket:1",
    });
    const alert = (n: number): NewNotification => ({
      key: `alert-${n}`,
      kind: "escalation",
      target: channel,
      payload: { type: "escalation", ticket: ticketView(n), title: `#${n} escalated`, text: "High" } as never,
    });
    await enqueueNotifications(
      t.store.prisma,
      [
        ...Array.from({ length: 4 }, (_, i) => note(i)),
        ...Array.from({ length: 12 }, (_, i) => alert(i + 1)),
      ],
      clock.date(),
    );
    const chat = new FakeChat("slack");
    for (let step = 0; step < 12; step++) {
      await dispatch(chat);
      later(1);
    }
    expect(chat.sent.filter((m) => m.body.type === "threadNote").map((m) => m.key)).toEqual([
      "note-0",
      "note-1",
      "note-2",
      "note-3",
    ]);
    const bundled = chat.sent.flatMap((m) => (m.body.type === "bundle" ? m.body.items : []));
    expect(bundled.length).toBeGreaterThan(1);
    expect(bundled.every((b) => b.type === "escalation")).toBe(true);
    expect(numbersSent(chat)).toHaveLength(16); // every note and alert, once
  });
});
