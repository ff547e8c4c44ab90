import { connect, createServer, type Server, type Socket } from "node:net";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchDue } from "../../src/scheduler/dispatcher.js";
import { checkReadiness } from "../../src/server/health.js";
import { openStore, type Store } from "../../src/store/db.js";
import { applyMigrations, readMigrations } from "../../src/store/migrate.js";
import { enqueueNotifications } from "../../src/store/outbox.js";
import { openWhenReachable } from "../../src/store/reachable.js";
import { createTestDatabase } from "../support/db.js";
import { FakeChat, FakeClock, silentLogger } from "../support/fakes.js";

/** A TCP proxy to the test PostgreSQL server that the test can cut (every connection dropped) and restore. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private up = true;
  readonly server: Server = createServer((client) => {
    if (!this.up) return client.destroy();
    const upstream = connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  constructor(private readonly target: { host: string; port: number }) {}
  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }
  restore(): void {
    this.up = true;
  }
}

describe("faults: PostgreSQL unreachable at start and mid-run (through a proxy the test cuts)", () => {
  let proxy: CuttableProxy;
  let store: Store;
  let drop: () => Promise<void>;
  const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00Z"));
  const expected = readMigrations().map((m) => m.name);
  const waits: number[] = [];
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const target = new URL(db.url);
    proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const port = await new Promise<number>((resolve) =>
      proxy.server.listen(0, "127.0.0.1", () => resolve((proxy.server.address() as { port: number }).port)),
    );
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${port}`;
    // Unreachable at start: the service waits for it (logging each attempt) and comes up by itself.
    proxy.cut();
    store = await openWhenReachable(() => openStore({ kind: "postgres", url: viaProxy.toString() }), {
      logger: silentLogger,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) proxy.restore();
      },
    });
  });
  afterAll(async () => {
    await store.close();
    proxy.server.close();
    await drop();
  });

  it("is not ready while the database is unreachable, and recovers without a restart", async () => {
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(await checkReadiness(store, expected)).toMatchObject({ ready: false }); // not migrated yet
    await applyMigrations(store.sql);
    expect(await checkReadiness(store, expected)).toMatchObject({ ready: true, database: "up" });

    const rows = Array.from({ length: 20 }, (_, i) => ({
      key: `db:${i}`,
      kind: "adminAlert",
      target: { platform: "terminal" as const, workspaceId: "local", channelName: "#ops" },
      payload: { type: "adminAlert" as const, text: `m${i}` },
      orderingKey: "ops",
    }));
    await enqueueNotifications(store.prisma, rows.slice(0, 10), clock.date());
    const chat = new FakeChat("terminal");
    const dispatch = () =>
      dispatchDue({
        store,
        ports: { terminal: chat },
        logger: silentLogger,
        replicaId: "r",
        now: clock.date,
      });
    await dispatch();
    expect(chat.sent).toHaveLength(10);

    // A minute without the database: writes and sends fail (loudly), readiness says so.
    proxy.cut();
    await expect(enqueueNotifications(store.prisma, rows.slice(10), clock.date())).rejects.toThrow();
    await expect(dispatch()).rejects.toThrow();
    expect(await checkReadiness(store, expected)).toMatchObject({ ready: false });
    clock.advance({ minutes: 1 });

    proxy.restore();
    expect(await checkReadiness(store, expected)).toMatchObject({ ready: true });
    await enqueueNotifications(store.prisma, rows.slice(10), clock.date());
    await dispatch();
    const keys = chat.sent.map((m) => m.key);
    expect(keys).toEqual(rows.map((r) => r.key));
  });
});
