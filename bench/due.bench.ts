// Due work at its instant (issue 14): open tickets' level-2 pages are made due by moving their history back,
// then each page's arrival at the fake Slack is timed against its instant; one at a time, then a burst.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import type pg from "pg";
import type { Delivery } from "./fakeSlack.js";
import { machine, startBenchService, ticketLoad } from "./harness.js";
import { type Row, record, writeResults } from "./results.js";
import { median, quantile } from "./stats.js";

/** Tickets whose level-2 page was made due already: each is used once. */
const moved = new Set<string>();
const service = await startBenchService({ env: { POLICY_FILE: policyAtNight() } });
const rows: Row[] = [];
try {
  await ticketLoad(service, 50, 8); // 400 open tickets, each paged at level 1 when opened
  // Their level-1 pages (all to the one on-call person) go out first: a page timed from its instant must
  // not queue behind 400 others to the same DM.
  await pagesSent(service.db);
  const single = await dueLatency(service.db, service.deliveries, 5, 2000);
  rows.push(
    record(
      "a page reaching Slack after its due instant (one due at a time)",
      "≤ 1 s",
      `median ${single.median} ms, worst ${single.worst} ms (in the outbox: ${single.written} median / worst)`,
      single.worst <= 1000,
    ),
  );
  const burst = await dueLatency(service.db, service.deliveries, 300, 20);
  rows.push(
    record(
      "300 pages falling due within 6 s, at Slack after their instants",
      "all ≤ 5 s",
      `median ${(burst.median / 1000).toFixed(1)} s, worst ${(burst.worst / 1000).toFixed(1)} s; ${burst.arrived} (all to one person's DM; in the outbox: ${burst.written} median / worst)`,
      burst.worst <= 5000 && burst.arrived.startsWith("300 of"),
    ),
  );
} finally {
  await service.stop();
}
for (const row of rows)
  console.log(`${row.ok ? "met " : "MISS"} ${row.what}: ${row.measured} (goal ${row.goal})`);
writeResults("due", rows, machine());

/**
 * Makes `count` open tickets' level-2 page fall due `gapMs` apart from 3 s from now, by moving their history
 * back (the ladder pages level 2 fifteen minutes after level 1), and times each page's arrival at Slack.
 */
async function dueLatency(client: pg.Client, deliveries: Delivery[], count: number, gapMs: number) {
  const tickets = await client.query<{ id: string; number: number }>(
    `SELECT id::text, number FROM "Ticket" WHERE status = 'open' AND NOT (id::text = ANY($2::text[]))
      ORDER BY number LIMIT $1`,
    [count, [...moved]],
  );
  for (const t of tickets.rows) moved.add(t.id);
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
      for (const n of pagedNumbers(d.text))
        if (dueAt.has(n) && !latencies.has(n)) latencies.set(n, d.at - dueAt.get(n)!);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const arrived = [...latencies.values()];
  // Where the time went: from the instant to the page's row in the outbox (written by the tick).
  const written = await client.query<{ id: string; ms: number }>(
    `SELECT "ticketId"::text AS id, (extract(epoch from "createdAt") * 1000)::float8 AS ms FROM "Notification"
      WHERE kind = 'page' AND "ticketId" = ANY($1::uuid[]) AND "createdAt" >= to_timestamp($2::float8 / 1000)`,
    [tickets.rows.map((t) => t.id), shiftedAt],
  );
  const number = new Map(tickets.rows.map((t) => [t.id, t.number]));
  const writes = written.rows.map((r) => r.ms - dueAt.get(number.get(r.id)!)!);
  return {
    arrived: `${arrived.length} of ${dueAt.size} arrived within a minute of the last instant`,
    median: Math.round(median(arrived)),
    worst: Math.round(quantile(arrived, 1)),
    /** Median and worst ms from the instant to the outbox row. */
    written: `${Math.round(median(writes))} / ${Math.round(quantile(writes, 1))} ms`,
  };
}

/** The tickets a page names: "You are paged for #12: …", or a bundle's "You are paged for 3 tickets: #12, #13, #14 · …". */
function pagedNumbers(text: string): number[] {
  const one = /^You are paged for #(\d+)/.exec(text);
  if (one) return [Number(one[1])];
  const many = /^You are paged for \d+ tickets?: ([^·]*)/.exec(text);
  return many ? [...many[1]!.matchAll(/#(\d+)/g)].map((m) => Number(m[1])) : [];
}

/** Waits (up to a minute) until no page is waiting to be sent. */
async function pagesSent(client: pg.Client): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Notification" WHERE kind = 'page' AND state IN ('pending', 'sending')`,
    );
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * wes.yaml as written, but in a time zone where it is night now: the policy pages the on-call person only
 * after hours (in business hours it posts to the help desk channel instead), and the bench must measure pages
 * whatever the hour it runs at. The night is 20:00–05:00 somewhere in this list at any instant.
 */
function policyAtNight(): string {
  const zones = [
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/New_York",
    "Atlantic/Azores",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Kiritimati",
  ];
  const zone = zones.find((z) => {
    const hour = DateTime.now().setZone(z).hour;
    return hour >= 20 || hour < 5;
  });
  const text = readFileSync("policies/wes.yaml", "utf8");
  if (!zone || !text.includes("zone: America/New_York")) throw new Error("no zone where it is night now");
  // Beside the other policies, as the policy folder must be (policies name each other).
  const folder = mkdtempSync(join(tmpdir(), "escalator-bench-policies-"));
  cpSync("policies", folder, { recursive: true });
  const file = join(folder, "wes.yaml");
  writeFileSync(file, text.replace("zone: America/New_York", `zone: ${zone}`));
  console.log(`the policy runs in ${zone}, where it is ${DateTime.now().setZone(zone).toFormat("HH:mm")}`);
  return file;
}
