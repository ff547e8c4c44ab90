import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Delivered, type OutgoingMessage, RetryableSendError } from "../../src/chat/port.js";
import { enqueueNotifications } from "../../src/store/outbox.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { dispatchTo } from "../support/dispatch.js";
import { FakeChat, FakeClock } from "../support/fakes.js";

/** A platform that is down (every send fails as retryable, like a 503) until `upAt`. */
class FlakyChat extends FakeChat {
  attempts = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly upAt: DateTime,
  ) {
    super("terminal");
  }
  override async send(message: OutgoingMessage): Promise<Delivered> {
    this.attempts++;
    if (this.clock.now() < this.upAt) throw new RetryableSendError("503 service unavailable");
    return super.send(message);
  }
}

describe("faults: the platform down, the wall clock jumping", () => {
  let t: TestStore;
  const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00Z"));
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      key: `${prefix}:${i}`,
      kind: "adminAlert",
      target: { platform: "terminal" as const, workspaceId: "local", channelName: `#c${i % 5}` },
      payload: { type: "adminAlert" as const, text: `${prefix} ${i}` },
      orderingKey: `${prefix}-thread-${i % 5}`,
    }));
  const dispatch = (chat: FakeChat) => dispatchTo(t.store, { terminal: chat }, clock.date);

  it("delivers everything after ten minutes of outage, once each, in order per thread", async () => {
    const chat = new FlakyChat(clock, clock.now().plus({ minutes: 10 }));
    await enqueueNotifications(t.store.prisma, rows("outage", 50), clock.date());
    // Twenty simulated minutes, a dispatcher pass every 15 s (the poll), more written while down.
    for (let step = 0; step < 80; step++) {
      if (step === 10) await enqueueNotifications(t.store.prisma, rows("during", 20), clock.date());
      await dispatch(chat);
      clock.advance({ seconds: 15 });
    }
    const keys = chat.sent.map((m) => m.key);
    expect(keys).toHaveLength(70);
    expect(new Set(keys).size).toBe(70);
    expect(await t.store.prisma.notification.count({ where: { state: { not: "sent" } } })).toBe(0);
    for (const prefix of ["outage", "during"])
      for (let thread = 0; thread < 5; thread++) {
        const order = keys
          .filter((k) => k.startsWith(`${prefix}:`) && Number(k.split(":")[1]) % 5 === thread)
          .map((k) => Number(k.split(":")[1]));
        expect(order).toEqual([...order].sort((x, y) => x - y));
      }
    expect(chat.attempts).toBeGreaterThan(70); // it did fail while down
  });

  it("neither repeats nor loses a message when the wall clock jumps back an hour and forward a day", async () => {
    const chat = new FakeChat("terminal");
    await enqueueNotifications(t.store.prisma, rows("jump", 20), clock.date());
    await dispatch(chat);
    const first = chat.sent.length;
    clock.advance({ hours: -1 });
    await enqueueNotifications(t.store.prisma, rows("back", 10), clock.date());
    await dispatch(chat);
    clock.advance({ days: 1 });
    await dispatch(chat);
    const keys = chat.sent.map((m) => m.key);
    expect(first).toBe(20);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
  });
});
