// Delivery in parallel (issue 14): 1,000 pages due at one instant, each to its own DM, through the real
// dispatcher (claims, leases, pacing, priorities) on PostgreSQL, sent over HTTP to a fake Slack answering in
// 50 ms. Goal: all delivered ≤ 5 s after their instant; CPU per delivered message ≤ 1 ms. The port here
// posts the rendered text itself (the Slack adapter adds its block rendering on top).
import { randomBytes } from "node:crypto";
import { cpus, loadavg, totalmem } from "node:os";
import pg from "pg";
import { pino } from "pino";
import type { ChatPort, OutgoingMessage } from "../src/chat/port.js";
import { dispatchDue } from "../src/scheduler/dispatcher.js";
import { Pacer } from "../src/scheduler/pacer.js";
import { openMigratedStore } from "../src/store/db.js";
import { enqueueNotifications } from "../src/store/outbox.js";
import { fakeSlack } from "./fakeSlack.js";
import { record, writeResults } from "./results.js";

const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
const name = `escalator_bench_${randomBytes(4).toString("hex")}`;
await admin.query(`CREATE DATABASE ${name}`);
const url = Object.assign(new URL(pgUrl), { pathname: `/${name}` }).toString();
const { store } = await openMigratedStore({ kind: "postgres", url });
const slack = await fakeSlack(50);
const port: ChatPort = {
  platform: "slack",
  async send(message: OutgoingMessage) {
    const res = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ channel: message.destination.userId, text: message.key }),
    });
    const body = (await res.json()) as { channel: string; ts: string };
    return { channelId: body.channel, messageId: body.ts };
  },
};
const count = 1000;
const due = new Date();
await enqueueNotifications(
  store.prisma,
  Array.from({ length: count }, (_, i) => ({
    key: `bench-page-${i}`,
    kind: "page",
    target: { platform: "slack", workspaceId: "slack:T0BENCH", userId: `U${i}` },
    payload: { type: "notice", text: `page ${i}` },
  })),
  due,
);
const cpu = process.cpuUsage();
const started = performance.now();
await dispatchDue({
  store,
  ports: { slack: port },
  logger: pino({ level: "silent" }),
  replicaId: "bench",
  now: () => new Date(),
  pacer: new Pacer(),
});
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
const cpuPerMessage = (used.user + used.system) / 1000 / count;
const delivered = slack.deliveries.length;
const rows = [
  record(
    "1,000 pages due at one instant, each to its own DM, at a fake Slack (50 ms)",
    "all ≤ 5 s",
    `${delivered} delivered, the last ${(wallMs / 1000).toFixed(1)} s after the instant`,
    delivered === count && wallMs <= 5000,
  ),
  record(
    "CPU per delivered message (dispatcher and its queries, this process)",
    "≤ 1 ms",
    `${cpuPerMessage.toFixed(2)} ms`,
    cpuPerMessage <= 1,
  ),
];
for (const r of rows) console.log(`${r.ok ? "met " : "MISS"} ${r.what}: ${r.measured} (goal ${r.goal})`);
await store.close();
await slack.close();
await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
await admin.end();
writeResults("delivery", rows, {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? "?",
  memGb: totalmem() / 2 ** 30,
  load: loadavg(),
});
