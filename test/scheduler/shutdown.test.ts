import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Delivered, OutgoingMessage } from "../../src/chat/port.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { startScheduler } from "../../src/scheduler/runner.js";
import { enqueueNotifications } from "../../src/store/outbox.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { FakeChat, FakeClock, silentLogger } from "../support/fakes.js";

/** A platform that takes a few milliseconds per message, so a shutdown lands in the middle of the work. */
class SlowChat extends FakeChat {
  override async send(message: OutgoingMessage): Promise<Delivered> {
    await new Promise((r) => setTimeout(r, 3));
    return super.send(message);
  }
}

describe("graceful shutdown under load", () => {
  let t: TestStore;
  const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00Z"));
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  function replica(chat: FakeChat, name: string) {
    const policy = loadPolicyFile("policies/support-guidelines.yaml");
    const tickets = new TicketService({ store: t.store, policy, now: clock.now });
    return startScheduler({
      tick: { store: t.store, tickets, logger: silentLogger },
      dispatch: {
        store: t.store,
        ports: { terminal: chat },
        logger: silentLogger,
        replicaId: name,
        batchSize: 20,
      },
      now: clock.now,
      logger: silentLogger,
      pollMs: 60_000,
    });
  }

  it("a restart mid-delivery loses and repeats nothing, and keeps each thread in order", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      key: `load:${i}`,
      kind: "adminAlert",
      target: { platform: "terminal" as const, workspaceId: "local", channelName: `#c${i % 10}` },
      payload: { type: "adminAlert" as const, text: `m${i}` },
      orderingKey: `thread-${i % 10}`,
    }));
    await enqueueNotifications(t.store.prisma, rows, clock.date());
    const first = new SlowChat("terminal");
    const a = replica(first, "a");
    a.kick();
    while (first.sent.length < 30) await new Promise((r) => setTimeout(r, 5));
    await a.stop();
    // Stopped cleanly: whatever it claimed was sent and recorded; nothing is left half-sent.
    const afterStop = await t.store.prisma.notification.groupBy({ by: ["state"], _count: true });
    expect(afterStop.find((g) => g.state === "sending")).toBeUndefined();
    const sentByA = first.sent.length;
    expect(sentByA).toBeLessThan(300);
    expect(await t.store.prisma.notification.count({ where: { state: "sent" } })).toBe(sentByA);

    const second = new SlowChat("terminal");
    const b = replica(second, "b");
    b.kick();
    await b.settle();
    while ((await t.store.prisma.notification.count({ where: { state: "sent" } })) < 300) {
      b.kick();
      await b.settle();
    }
    await b.stop();
    const keys = [...first.sent, ...second.sent].map((m) => m.key);
    expect(keys).toHaveLength(300);
    expect(new Set(keys).size).toBe(300);
    for (let thread = 0; thread < 10; thread++) {
      const order = keys
        .filter((k) => Number(k.split(":")[1]) % 10 === thread)
        .map((k) => Number(k.split(":")[1]));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
});
