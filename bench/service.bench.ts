// The speed people feel (issue 14), end to end on PostgreSQL: Escalator runs as `npm start` would (compiled,
// in its own process), Slack is a fake Web API on loopback answering in 50 ms (SLACK_API_URL), and
// `/ticket` arrives signed as Slack sends it. Prints each goal against what was measured and writes
// bench/RESULTS.md. BENCH_LOAD_RATE (100/s) and BENCH_LOAD_SECONDS (20; the goal says 60) size the load.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { cpus, loadavg, totalmem } from "node:os";
import pg from "pg";
import { type Delivery, fakeSlack } from "./fakeSlack.js";
import { type Row, record, writeResults } from "./results.js";

const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const rate = Number(process.env.BENCH_LOAD_RATE ?? 100);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const secret = "bench-signing-secret";
const rows: Row[] = [];

const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
const dbName = `escalator_bench_${randomBytes(4).toString("hex")}`;
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = Object.assign(new URL(pgUrl), { pathname: `/${dbName}` }).toString();
const db = new pg.Client({ connectionString: dbUrl });
const slack = await fakeSlack(50);
let app: ChildProcess | undefined;
try {
  const port = 3900 + Math.floor(Math.random() * 90);
  const started = performance.now();
  app = spawn(process.execPath, ["bin/escalator.js", "serve"], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: `${slack.url}/api/`,
      SLACK_AGENT_USER_IDS: "UAGENT",
      POLICY_FILE: "policies/wes.yaml",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok);
  const startMs = performance.now() - started;
  rows.push(
    record(
      "start to /healthz (PostgreSQL, compiled, fresh database: migrations applied)",
      "≤ 3 s",
      `${(startMs / 1000).toFixed(1)} s`,
      startMs <= 3000,
    ),
  );
  await db.connect();

  const load = await ticketLoad(base, slack.url, rate, seconds);
  rows.push(
    record(
      `/ticket ack over signed HTTP, ${rate}/s for ${seconds} s (open loop)`,
      "p99 ≤ 50 ms, none late or 404",
      `p50 ${load.p50.toFixed(0)} ms, p99 ${load.p99.toFixed(0)} ms, max ${load.max.toFixed(0)} ms; ${load.late} over 3 s, ${load.notOk} not 200 (of ${load.sent})`,
      load.p99 <= 50 && load.late === 0 && load.notOk === 0,
    ),
  );

  // Due-to-delivery: open tickets are made due one at a time, 2 s apart (the WES ladder's level-2 page).
  const single = await dueLatency(db, slack.deliveries, 5, 2000);
  rows.push(
    record(
      "a page reaching Slack after its due instant (one due at a time)",
      "≤ 1 s",
      `median ${single.median} ms, worst ${single.worst} ms`,
      single.worst <= 1000,
    ),
  );
  const burst = await dueLatency(db, slack.deliveries, 300, 20);
  rows.push(
    record(
      "300 pages falling due within 6 s, at Slack after their instants",
      "all ≤ 5 s",
      `median ${(burst.median / 1000).toFixed(1)} s, worst ${(burst.worst / 1000).toFixed(1)} s; ${burst.arrived} (all to one person's DM: paced ~1/s after a burst of 10, as Slack asks)`,
      burst.worst <= 5000 && burst.arrived.startsWith("300 of"),
    ),
  );
  const rss = await rssOf(app.pid!);
  rows.push(
    record(
      `server resident memory after the above (${load.sent} tickets)`,
      "≤ 200 MB",
      `${rss} MB`,
      rss <= 200,
    ),
  );
  await seedOpen(db, 100_000);
  await new Promise((r) => setTimeout(r, 15_000)); // the due timer and ticks run over them
  const rssBig = await rssOf(app.pid!);
  rows.push(
    record(
      "server resident memory with 100,000 open tickets, after ticks (1,000 of them due)",
      "≤ 200 MB",
      `${rssBig} MB`,
      rssBig <= 200,
    ),
  );
} finally {
  app?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  await db.end().catch(() => undefined);
  await slack.close();
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await admin.end();
}
for (const row of rows)
  console.log(`${row.ok ? "met " : "MISS"} ${row.what}: ${row.measured} (goal ${row.goal})`);
writeResults("service", rows, {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? "?",
  memGb: totalmem() / 2 ** 30,
  load: loadavg(),
});

async function waitFor(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await ok().catch(() => false)) return;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function signed(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signature,
  };
}

async function ticketLoad(base: string, slackUrl: string, perSecond: number, forSeconds: number) {
  const latencies: number[] = [];
  let notOk = 0;
  const total = perSecond * forSeconds;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = new URLSearchParams({
      command: "/ticket",
      text: `high bench load ${i}`,
      team_id: "T0BENCH",
      channel_id: `C${i % 20}`,
      user_id: `U${i % 50}`,
      trigger_id: `bench.${i}.${randomBytes(4).toString("hex")}`,
      response_url: `${slackUrl}/respond/${i}`,
    }).toString();
    pending.push(
      (async () => {
        const sent = performance.now();
        try {
          const res = await fetch(`${base}/slack/events`, { method: "POST", headers: signed(body), body });
          await res.arrayBuffer();
          if (res.status !== 200) notOk++;
        } catch {
          notOk++;
        }
        latencies.push(performance.now() - sent);
      })(),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return {
    sent: total,
    notOk,
    late: latencies.filter((l) => l > 3000).length,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
  };
}

/**
 * Makes `count` open tickets' level-2 page fall due `gapMs` apart from 3 s from now, by moving their history
 * back (the ladder pages level 2 fifteen minutes after level 1), and times each page's arrival at Slack.
 */
async function dueLatency(client: pg.Client, deliveries: Delivery[], count: number, gapMs: number) {
  const tickets = await client.query<{ id: string; number: number }>(
    `SELECT id::text, number FROM "Ticket" WHERE status = 'open' AND NOT EXISTS (
       SELECT 1 FROM "Notification" n WHERE n."ticketId" = "Ticket".id AND n.key LIKE '%:l2') ORDER BY number LIMIT $1`,
    [count],
  );
  const shiftedAt = Date.now();
  const first = shiftedAt + 3000;
  const dueAt = new Map<number, number>();
  for (const [i, t] of tickets.rows.entries()) {
    const due = first + i * gapMs;
    // Level 1 went out at the opening; level 2 is 15 minutes later.
    const shift =
      (
        await client.query<{ ms: number }>(
          `SELECT (extract(epoch from "openedAt") * 1000)::float8 AS ms FROM "Ticket" WHERE id = $1`,
          [t.id],
        )
      ).rows[0]!.ms -
      (due - 15 * 60_000);
    await client.query(
      `WITH s AS (SELECT make_interval(secs => $2::float8 / 1000) AS d)
       UPDATE "TicketEvent" SET at = at - (SELECT d FROM s) WHERE "ticketId" = $1`,
      [t.id, shift],
    );
    await client.query(
      `UPDATE "Notification" SET "createdAt" = "createdAt" - make_interval(secs => $2::float8 / 1000) WHERE "ticketId" = $1`,
      [t.id, shift],
    );
    await client.query(
      `UPDATE "Ticket" SET "openedAt" = "openedAt" - make_interval(secs => $2::float8 / 1000), "nextCheckAt" = to_timestamp($3::float8 / 1000) WHERE id = $1`,
      [t.id, shift, due],
    );
    dueAt.set(t.number, due);
  }
  const waitUntil = first + count * gapMs + 60_000; // keep the run short: what is later is reported missing
  const latencies = new Map<number, number>();
  while (latencies.size < dueAt.size && Date.now() < waitUntil) {
    for (const d of deliveries) {
      if (d.method !== "chat.postMessage" || d.at < shiftedAt) continue;
      const n = Number(/^You are paged for #(\d+)/.exec(d.text)?.[1]);
      if (dueAt.has(n) && !latencies.has(n)) latencies.set(n, d.at - dueAt.get(n)!);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const sorted = [...latencies.values()].sort((a, b) => a - b);
  return {
    arrived: `${sorted.length} of ${dueAt.size} arrived within a minute of the last instant`,
    median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN),
    worst: Math.round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Open tickets by SQL (the service would take minutes), each with its `created` event; 1,000 due now. */
async function seedOpen(client: pg.Client, count: number): Promise<void> {
  await client.query(`
    INSERT INTO "Ticket" (id, "workspaceId", number, "policyId", summary, severity, channel, "requesterId",
                          "homePlatform", "homeChannelId", "openedAt", "nextCheckAt", version, "updatedAt")
    SELECT gen_random_uuid(), 'slack:T0SEED', n, 'wes', 'Seeded ' || n, 'high', 'phone', 'U1', 'slack',
           'C' || (n % 50), now() - interval '1 minute', now() + interval '7 days', 1, now()
      FROM generate_series(1, ${count}) AS n`);
  await client.query(`
    INSERT INTO "TicketEvent" ("ticketId", seq, type, "actorId", source, at, payload)
    SELECT id, 1, 'created', 'U1', 'slack', "openedAt",
           jsonb_build_object('type', 'created', 'summary', summary, 'description', '', 'severity', 'high',
                              'channel', 'phone', 'plan', null, 'category', null)
      FROM "Ticket" WHERE "workspaceId" = 'slack:T0SEED'`);
  await client.query(`ANALYZE "Ticket"`);
  await client.query(
    `UPDATE "Ticket" SET "nextCheckAt" = now() WHERE "workspaceId" = 'slack:T0SEED' AND number <= 1000`,
  );
}

async function rssOf(pid: number): Promise<number> {
  const { readFileSync } = await import("node:fs");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}
