import { DateTime } from "luxon";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RetryableSendError } from "../../src/chat/port.js";
import { Pacer, platformPacing } from "../../src/scheduler/pacer.js";
import { enqueueNotifications, type NewNotification } from "../../src/store/outbox.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { dispatchTo } from "../support/dispatch.js";
import { FakeChat, FakeClock } from "../support/fakes.js";

const clock = new FakeClock(DateTime.fromISO("2026-11-24T02:00:00Z", { setZone: true }));
const channel = (channelId: string) => ({ platform: "slack", workspaceId: "slack:T1", channelId });

function row(key: string, kind: string, target: object, orderingKey?: string): NewNotification {
  return { key, kind, target, payload: { type: "notice", text: key }, orderingKey: orderingKey ?? null };
}

describe("delivery order and pacing", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());
  beforeEach(async () => {
    await t.store.prisma.notification.deleteMany();
  });

  const dispatch = (chat: FakeChat, options: { batchSize?: number; pacer?: Pacer; paced?: boolean } = {}) =>
    dispatchTo(t.store, { slack: chat }, clock.date, {
      concurrency: 1,
      batchSize: options.batchSize ?? 100,
      pacer: options.pacer ?? new Pacer(),
      ...(options.paced ? {} : { pacing: () => [] }),
    });

  it("sends pages first, then escalations, then thread notes and card redraws; a thread stays in order", async () => {
    await enqueueNotifications(
      t.store.prisma,
      [
        row("card-1", "ticketCard", channel("C1"), "ticket:1"),
        row("note-1", "threadNote", channel("C1"), "ticket:1"),
        row("card-2", "ticketCard", channel("C2"), "ticket:2"),
        row("alert", "escalation", channel("C9")),
        row("page-a", "page", { platform: "slack", workspaceId: "slack:T1", userId: "U1" }),
        row("page-b", "page", { platform: "slack", workspaceId: "slack:T1", userId: "U2" }),
      ],
      clock.date(),
    );
    const chat = new FakeChat("slack");
    await dispatch(chat, { batchSize: 2 });
    expect(chat.sent.map((m) => m.key)).toEqual(["page-a", "page-b", "alert", "card-1", "note-1", "card-2"]);
  });

  it("paces a channel at its platform's rate: a burst, then one a second; a 429 holds the whole channel", async () => {
    const ms = { now: 0 };
    const pacer = new Pacer(() => ms.now);
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 14 }, (_, i) => row(`post-${i}`, "escalation", channel("C1"))),
      clock.date(),
    );
    const chat = new FakeChat("slack");
    await dispatch(chat, { pacer, paced: true });
    expect(chat.sent).toHaveLength(10); // Slack's burst for one channel
    const waiting = await t.store.prisma.notification.findMany({
      where: { state: "pending" },
      orderBy: { id: "asc" },
    });
    expect(waiting.map((r) => r.availableAt.getTime() - clock.date().getTime())).toEqual([
      1000, 2000, 3000, 4000,
    ]);
    expect(waiting.every((r) => r.attempts === 0)).toBe(true); // waiting its turn is not a failed attempt

    clock.advance({ seconds: 2 });
    ms.now = 2000;
    chat.failNext(new RetryableSendError("ratelimited", 30_000));
    await dispatch(chat, { pacer, paced: true });
    expect(chat.sent).toHaveLength(10); // the 429 came on the first; the second waits with it
    clock.advance({ seconds: 31 });
    ms.now = 33_000;
    await dispatch(chat, { pacer, paced: true });
    expect(chat.sent.map((m) => m.key)).toContain("post-13");
    expect(new Set(chat.sent.map((m) => m.key)).size).toBe(14);
  });

  it("a card waiting for its channel's slot holds its thread's notes to the same instant, then both go in order", async () => {
    const ms = { now: 0 };
    const pacer = new Pacer(() => ms.now);
    const start = clock.date().getTime();
    await enqueueNotifications(
      t.store.prisma,
      Array.from({ length: 12 }, (_, i) => [
        row(`card-${i}`, "ticketCard", channel("C1"), `ticket:${i}`),
        row(`note-${i}`, "threadNote", channel("C1"), `ticket:${i}`),
      ]).flat(),
      clock.date(),
    );
    const chat = new FakeChat("slack");
    await dispatch(chat, { pacer, paced: true });
    // The burst took ten cards; their notes wait for the next slots, behind the two cards still to go.
    const pending = await t.store.prisma.notification.findMany({
      where: { state: "pending" },
      orderBy: { id: "asc" },
    });
    const waits = Object.fromEntries(pending.map((r) => [r.key, r.availableAt.getTime() - start]));
    expect(waits["card-10"]).toBe(1000);
    expect(waits["note-10"]).toBe(1000); // not due before its card: no claim looks at it until then
    expect(waits["card-11"]).toBe(2000);
    expect(waits["note-11"]).toBe(2000);
    for (let second = 1; second <= 14; second++) {
      clock.advance({ seconds: 1 });
      ms.now = second * 1000;
      await dispatch(chat, { pacer, paced: true });
    }
    const keys = chat.sent.map((m) => m.key);
    expect(new Set(keys).size).toBe(24);
    for (let i = 0; i < 12; i++) expect(keys.indexOf(`card-${i}`)).toBeLessThan(keys.indexOf(`note-${i}`));
  });

  it("paces Teams per conversation and per tenant, and never the terminal", () => {
    expect(platformPacing({ platform: "terminal", workspaceId: "local", channelId: "x" }, false)).toEqual([]);
    const teams = platformPacing({ platform: "teams", workspaceId: "teams:t", channelId: "19:a" }, false);
    expect(teams.map(([key]) => key)).toEqual(["teams:teams:t:19:a", "teams:teams:t"]);
    const edit = platformPacing(channel("C1") as never, true);
    expect(edit.map(([key]) => key)).toEqual(["slack:slack:T1:edits"]);
  });
});
