import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../src/logger.js";
import { type FrontDoor, type LaneNote, openFrontDoor } from "../../src/server/frontDoor.js";
import { closeServer, listen } from "../../src/server/http.js";
import { testDatabaseUrl } from "../support/db.js";
import { freePort } from "../support/serve.js";

/** What the service behind the door saw. */
interface Seen {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const lines: { level: string; fields: object; message: string }[] = [];
const logger = Object.fromEntries(
  ["info", "warn", "error", "debug"].map((level) => [
    level,
    (fields: object, message: string) => lines.push({ level, fields, message }),
  ]),
) as unknown as Logger;
const logged = (level: string, pattern: RegExp) =>
  lines.some((l) => l.level === level && pattern.test(l.message));

async function eventually(check: () => void | Promise<void>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe("the front door thread", () => {
  const seen: Seen[] = [];
  const notes: LaneNote[] = [];
  const observed: string[] = [];
  const acks: number[] = [];
  let upstream: Server;
  let door: FrontDoor;
  let base: string;

  beforeAll(async () => {
    upstream = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, headers: req.headers });
      res.writeHead(201, { "content-type": "text/plain", "x-from": "service" });
      res.end(`service: ${req.method} ${req.url} ${body}`);
    });
    const upstreamPort = await listen(upstream, 0, "127.0.0.1");
    door = await openFrontDoor({
      port: 0,
      host: "127.0.0.1",
      upstream: { host: "127.0.0.1", port: upstreamPort },
      databaseUrl: testDatabaseUrl,
      poolSize: 1,
      lanes: [
        { module: new URL("../support/testLane.ts", import.meta.url).href, options: { path: "/lane" } },
      ],
      logger,
      observe: (route, method, status) => observed.push(`${method} ${route} ${status}`),
      answered: (ms) => acks.push(ms),
      onNote: (note) => notes.push(note),
    });
    base = `http://127.0.0.1:${door.port}`;
  });
  afterAll(async () => {
    await door?.close();
    await closeServer(upstream);
  });

  it("hands the service every request unchanged and relays its answer, with one request id for both", async () => {
    const res = await fetch(`${base}/calendar/feed.ics?token=abc`, { headers: { "x-custom": "kept" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-from")).toBe("service");
    expect(await res.text()).toBe("service: GET /calendar/feed.ics?token=abc ");
    const got = seen.at(-1)!;
    expect(got.headers["x-custom"]).toBe("kept");
    expect(got.headers["x-request-id"]).toBe(res.headers.get("x-request-id"));

    const post = await fetch(`${base}/lane`, { method: "POST", body: "not mine" });
    expect(await post.text()).toBe("service: POST /lane not mine"); // the body the lane read, passed on whole
    expect(seen.at(-1)!.headers["content-length"]).toBe("8");
  });

  it("answers what its lane takes without the service, and tells the service what it did", async () => {
    const before = seen.length;
    const res = await fetch(`${base}/lane`, { method: "POST", body: "mine" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("answered by the lane");
    expect(seen).toHaveLength(before);
    await eventually(() => {
      expect(notes).toContainEqual({ kind: "queued", platform: "test" });
      expect(observed).toContain("POST /lane 200");
      expect(acks.length).toBeGreaterThan(0);
      expect(logged("warn", /the lane took it/)).toBe(true);
    });
  });

  it("leaves a request to the service when its lane fails, and logs the failure", async () => {
    const res = await fetch(`${base}/lane`, { method: "POST", body: "throw" });
    expect(await res.text()).toBe("service: POST /lane throw");
    await eventually(() => expect(logged("error", /front door lane failed/)).toBe(true));
  });

  it("answers 502 while the service does not answer", async () => {
    const port = await freePort();
    const closed = await openFrontDoor({
      port: 0,
      host: "127.0.0.1",
      upstream: { host: "127.0.0.1", port },
      databaseUrl: testDatabaseUrl,
      poolSize: 1,
      lanes: [],
      logger,
      onNote: () => undefined,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${closed.port}/healthz`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ error: "the service is not answering" });
      await eventually(() => expect(logged("error", /did not answer a forwarded request/)).toBe(true));
    } finally {
      await closed.close();
    }
  });

  it("starts again on the same port when its thread stops, and says so", async () => {
    await fetch(`${base}/lane`, { method: "POST", body: "crash" }).catch(() => undefined);
    await eventually(() =>
      expect(logged("error", /front door thread stopped; starting it again/)).toBe(true),
    );
    await eventually(async () => {
      const res = await fetch(`${base}/lane`, { method: "POST", body: "mine" });
      expect(await res.text()).toBe("answered by the lane");
    });
    expect(logged("info", /listening again/)).toBe(true);
  });

  it("refuses to start on a port that is taken, naming it", async () => {
    await expect(
      openFrontDoor({
        port: door.port,
        host: "127.0.0.1",
        upstream: { host: "127.0.0.1", port: 1 },
        databaseUrl: testDatabaseUrl,
        poolSize: 1,
        lanes: [],
        logger,
        onNote: () => undefined,
      }),
    ).rejects.toThrow(new RegExp(`HTTP port ${door.port} on 127.0.0.1: .*EADDRINUSE`));
  });
});
