import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseUrl } from "../support/db.js";
import { freePort, killAll, serve, until, waitFor } from "../support/service.js";

const sockets: Socket[] = [];
let proxy: Server | undefined;
let drop: (() => Promise<void>) | undefined;

afterAll(async () => {
  killAll();
  for (const s of sockets) s.destroy();
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await drop?.();
});

/** From now on, `port` leads to the test PostgreSQL (before, nothing listens there: connection refused). */
function openTheWay(port: number): Promise<void> {
  const target = new URL(testDatabaseUrl);
  proxy = createServer((client) => {
    const server = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, server);
    client.pipe(server).pipe(client);
    client.on("error", () => server.destroy());
    server.on("error", () => client.destroy());
  });
  return new Promise((r) => proxy!.listen(port, "127.0.0.1", () => r()));
}

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.json() };
};

describe("faults: PostgreSQL unreachable when the service starts (real process)", () => {
  it("is alive but not ready while it waits, then ready without a restart once the database answers", {
    timeout: 300_000,
  }, async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const dbPort = await freePort();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${dbPort}`;
    const port = await freePort();
    const service = serve({ DATABASE_URL: url.toString(), PORT: String(port) });

    await waitFor(port, "/healthz");
    expect(await get(port, "/healthz")).toEqual({
      status: 200,
      body: { status: "starting", database: "unreachable" },
    });
    expect(await get(port, "/readyz")).toEqual({
      status: 503,
      body: { ready: false, database: "unreachable" },
    });
    expect(service.output()).toMatch(/database unreachable; not ready, retrying/);

    await openTheWay(dbPort);
    await waitFor(port, "/readyz");
    expect(await get(port, "/readyz")).toEqual({
      status: 200,
      body: { ready: true, database: "up", pendingMigrations: [] },
    });
    await until(() => service.output().includes("escalator listening"));
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
  });
});
