import { beforeEach, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/chat/port.js";
import { dispatchDue } from "../../src/scheduler/dispatcher.js";
import type { Store } from "../../src/store/db.js";
import { claimNotifications, enqueueNotifications, markSent, renewLeases } from "../../src/store/outbox.js";
import { twoReplicas } from "../support/dispatch.js";
import { FakeChat, silentLogger } from "../support/fakes.js";

// Real time here: the point is a platform slower than the lease. Nothing asserts how fast anything is.
const target = { platform: "terminal", workspaceId: "local", channelId: "support" };

/** A chat platform that takes `ms` to answer each message. */
function slowChat(ms: number): FakeChat {
  const chat = new FakeChat();
  const send = chat.send.bind(chat);
  chat.send = async (m: OutgoingMessage) => {
    await new Promise((r) => setTimeout(r, ms));
    return send(m);
  };
  return chat;
}

async function enqueue(store: Store, prefix: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await enqueueNotifications(
    store.prisma,
    keys.map((key) => ({ key, kind: "page", target, payload: { type: "notice", text: key } })),
    new Date(Date.now() - 1000),
  );
  return keys;
}

/** One replica's dispatcher, called every 100 ms until `until` resolves. */
async function keepDispatching(store: Store, chat: FakeChat, until: Promise<unknown>): Promise<void> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    await dispatchDue({
      store,
      ports: { terminal: chat },
      logger: silentLogger,
      replicaId: "escalator:1", // both replicas: same hostname, both pid 1
      now: () => new Date(),
      leaseMs: 1000,
    });
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("delivery fenced by the lease", () => {
  const r = twoReplicas();
  beforeEach(async () => {
    await r.t.store.prisma.notification.deleteMany();
  });

  it("with a platform answering in 2 s and leases of 1 s, two replicas of one name send each page once", {
    timeout: 30_000,
  }, async () => {
    const keys = await enqueue(r.t.store, "slow", 6);
    const chat = slowChat(2000);
    const a = dispatchDue({
      store: r.t.store,
      ports: { terminal: chat },
      logger: silentLogger,
      replicaId: "escalator:1",
      now: () => new Date(),
      leaseMs: 1000,
    });
    // B keeps looking while A's sends are in flight, long past A's first lease.
    await keepDispatching(r.second, chat, a);
    expect((await a).sent).toBe(6);
    expect(chat.sent.map((m) => m.key).sort()).toEqual(keys.sort());
    const rows = await r.t.store.prisma.notification.findMany();
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(rows.map(() => ["sent", 1]));
  });

  it("a lease taken over is no longer the old holder's, even under the same replica name", async () => {
    const [key] = await enqueue(r.t.store, "stalled", 1);
    const start = new Date();
    // A claims the row, then cannot reach the database for longer than its lease.
    const [claimed] = await claimNotifications(r.t.store.queries, {
      owner: "process-a",
      now: start,
      leaseMs: 1000,
      limit: 10,
    });
    expect(claimed?.key).toBe(key);
    const later = new Date(start.getTime() + 1500);
    // B (same name, another process) takes it over and sends it.
    const chat = new FakeChat();
    const b = await dispatchDue({
      store: r.second,
      ports: { terminal: chat },
      logger: silentLogger,
      replicaId: "escalator:1",
      now: () => later,
      leaseMs: 1000,
    });
    expect(b.sent).toBe(1);
    // A comes back: its lease does not renew, and it cannot record the row as its own send.
    expect(await renewLeases(r.t.store.queries, [claimed!.id], "process-a", later, 1000)).toEqual(new Set());
    const recorded = await markSent(
      r.t.store.queries,
      claimed!.id,
      "process-a",
      { channelId: "c", messageId: "from-a" },
      later,
    );
    expect(recorded).toBe(false);
    const row = await r.t.store.prisma.notification.findFirstOrThrow({ where: { key: key! } });
    expect(row.state).toBe("sent");
    expect(row.platformMessageId).toBe(chat.sent[0]?.messageId);
    expect(row.leasedBy).not.toBe("process-a");
  });
});
