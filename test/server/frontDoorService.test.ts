import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, listen } from "../../src/server/http.js";
import { createTestDatabase } from "../support/db.js";
import { freePort, waitHealthy } from "../support/serve.js";
import { killAll, type Served, serve, until } from "../support/service.js";

// The service as deployed on PostgreSQL with Slack over HTTP: its public port is the front door thread's.
const secret = "front-door-signing-secret";

/** A Slack Web API that records every call (response_url answers included) and says yes. */
function fakeSlack() {
  const calls: { path: string; body: string }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const path = req.url ?? "";
    calls.push({ path, body });
    res.setHeader("content-type", "application/json");
    if (path.endsWith("auth.test"))
      return res.end(JSON.stringify({ ok: true, user_id: "UBOT", bot_id: "B1", team_id: "TVENDOR" }));
    if (path.endsWith("conversations.info"))
      return res.end(JSON.stringify({ ok: true, channel: { id: "C0SUPPORT", is_member: true } }));
    res.end(
      JSON.stringify({
        ok: true,
        channel: "C0SUPPORT",
        ts: `1700000000.${calls.length}`,
        permalink: "https://x",
      }),
    );
  });
  return { server, calls };
}

function signedPost(port: number, body: string, key = secret) {
  const ts = Math.floor(Date.now() / 1000);
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": `v0=${createHmac("sha256", key).update(`v0:${ts}:${body}`).digest("hex")}`,
    },
    body,
  });
}

describe("the service on PostgreSQL with Slack over HTTP (front door thread)", () => {
  const slack = fakeSlack();
  let slackUrl: string;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let served: Served;
  let port: number;
  const command = (text: string, trigger: string) =>
    new URLSearchParams({
      command: "/ticket",
      text,
      team_id: "TVENDOR",
      channel_id: "C0SUPPORT",
      user_id: "UCUSTOMER",
      trigger_id: trigger,
      response_url: `${slackUrl}/respond/${trigger}`,
    }).toString();

  beforeAll(async () => {
    slackUrl = `http://127.0.0.1:${await listen(slack.server, 0, "127.0.0.1")}`;
    db = await createTestDatabase();
    port = await freePort();
    served = serve({
      PORT: String(port),
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-front-door",
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: `${slackUrl}/api/`,
    });
    await waitHealthy(port);
    expect(served.output()).toContain("front door thread on the public port");
  });
  afterAll(async () => {
    killAll();
    await closeServer(slack.server);
    await db.drop();
  });

  it("acknowledges a /ticket with nothing, opens it, and answers the person through the response_url", async () => {
    const res = await signedPost(port, command("high Printer on fire", "t1"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await until(() => slack.calls.some((c) => c.path === "/respond/t1"));
    expect(JSON.parse(slack.calls.find((c) => c.path === "/respond/t1")!.body).text).toMatch(
      /^Opened \*#1\*/,
    );
    await until(() => slack.calls.some((c) => c.path === "/api/chat.postMessage"));

    // A replay of the same request changes nothing and is logged.
    expect((await signedPost(port, command("high Printer on fire", "t1"))).status).toBe(200);
    await until(() => served.output().includes("replayed Slack command ignored"));
    expect(slack.calls.filter((c) => c.path === "/respond/t1")).toHaveLength(1);
  });

  it("leaves what it does not answer to the service, which answers and refuses as before", async () => {
    const help = await signedPost(port, command("help", "t2"));
    expect(help.status).toBe(200);
    expect(await help.json()).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringMatching(/\/ticket/),
    });
    const forged = await signedPost(port, command("high Printer on fire", "t3"), "not-the-secret");
    expect(forged.status).toBe(401);
    await until(() => served.output().includes("bad or stale signature"));
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toMatchObject({ ready: true, database: "up" });
  });

  it("counts the requests it answered, and its connections, in the service's metrics", async () => {
    // The thread reports what it answered every 200 ms: the count catches up within that.
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const acks = (metrics: string) =>
      metrics
        .split("\n")
        .find(
          (l) =>
            l.startsWith("escalator_http_requests_total") &&
            l.includes('route="/slack/events"') &&
            l.includes('status="200"'),
        );
    // Two /ticket acks in the thread, the help forwarded to the service: each counted once.
    await until(async () => / 3$/.test(acks(await scrape()) ?? ""));
    await new Promise((r) => setTimeout(r, 500));
    const metrics = await scrape();
    expect(acks(metrics)).toMatch(/ 3$/); // and not more, later
    // The thread's own connections are watched beside the service's pools.
    expect(metrics).toContain('escalator_db_pool_connections{pool="front",state="max"} 4');
    expect(metrics).toContain('escalator_db_pool_waiting{pool="front"} 0');
  });
});
