// Tick cost with 1k / 10k / 100k open tickets and 0 / 100 / 1,000 of them due, on PGlite and PostgreSQL.
// Goals (issue 4): with nothing due a tick costs < 20 ms and does not grow with the number of open tickets
// (tick(100k)/tick(1k) <= 1.5); 1,000 due tickets are evaluated and their outbox rows written in < 5 s on
// PostgreSQL. Tickets are seeded in bulk by SQL (the service would take minutes for 100k), each with a real
// `created` event, so a due ticket is evaluated exactly as in production.
import { DateTime } from "luxon";
import { pino } from "pino";
import { loadPolicyFile } from "../src/policy/index.js";
import { runTick } from "../src/scheduler/tick.js";
import type { Store } from "../src/store/db.js";
import { TicketService } from "../src/tickets/service.js";
import { medianOf } from "./stats.js";
import { openPglite, openPostgres } from "./stores.js";

const policy = loadPolicyFile("policies/wetx.yaml");
const logger = pino({ level: "silent" });
const now = DateTime.fromISO("2026-11-24T12:00:00-07:00", { setZone: true });
const sizes = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const dues = [0, 100, 1000];

async function seed(store: Store, total: number, from: number): Promise<void> {
  // Not due: next check a week ahead. Opened Monday 08:00, so the due ones have a first response to breach.
  await store.sql.exec(`
    INSERT INTO "Ticket" (id, "workspaceId", number, "policyId", summary, severity, channel, plan, category,
                          "requesterId", "homePlatform", "homeChannelId", "openedAt", "nextCheckAt", version, "updatedAt")
    SELECT gen_random_uuid(), 'bench', n, 'wetx', 'Ticket ' || n, 'normal', 'email', 'standard', 'question',
           'carol', 'terminal', 'support', '2026-11-23T15:00:00Z', '2026-12-01T00:00:00Z', 1, now()
      FROM generate_series(${from + 1}, ${total}) AS n;
    INSERT INTO "TicketEvent" ("ticketId", seq, type, "actorId", source, at, payload)
    SELECT id, 1, 'created', 'carol', 'terminal', "openedAt",
           jsonb_build_object('type', 'created', 'summary', summary, 'description', '', 'severity', 'normal',
                              'channel', 'email', 'plan', 'standard', 'category', 'question')
      FROM "Ticket" WHERE number > ${from};
    ANALYZE "Ticket";`);
}

async function makeDue(store: Store, count: number): Promise<void> {
  await store.sql.exec(`UPDATE "Ticket" SET "nextCheckAt" = '2026-11-24T18:00:00Z'
                         WHERE id IN (SELECT id FROM "Ticket" ORDER BY number LIMIT ${count})`);
}

async function timeTick(store: Store, tickets: TicketService): Promise<{ ms: number; evaluated: number }> {
  const started = performance.now();
  const result = await runTick({ store, tickets, logger }, now);
  return { ms: performance.now() - started, evaluated: result.evaluated };
}

async function benchBackend(
  name: string,
  open: () => Promise<{ store: Store; dispose: () => Promise<void> }>,
) {
  const { store, dispose } = await open();
  const tickets = new TicketService({ store, policy, now: () => now });
  const idle: Record<number, number> = {};
  let seeded = 0;
  for (const size of sizes) {
    await seed(store, size, seeded);
    seeded = size;
    await timeTick(store, tickets); // warm
    idle[size] = await medianOf(15, async () => (await timeTick(store, tickets)).ms);
    const row = [`${name}`, `${size.toLocaleString("en")} open`, `0 due: ${idle[size]!.toFixed(1)} ms`];
    for (const due of dues.slice(1)) {
      await makeDue(store, due);
      const { ms, evaluated } = await timeTick(store, tickets);
      row.push(
        `${due} due: ${ms.toFixed(0)} ms (${evaluated} evaluated, ${((ms / evaluated) * 1000).toFixed(0)} µs each)`,
      );
      await store.sql.exec(
        `UPDATE "Ticket" SET "nextCheckAt" = '2026-12-01T00:00:00Z'; DELETE FROM "Notification";`,
      );
      // Evaluated tickets gained events (the breach); reset so every size measures the same work.
    }
    console.log(row.join(" | "));
  }
  const first = sizes[0]!;
  const last = sizes[sizes.length - 1]!;
  console.log(
    `${name}: idle tick(${last})/tick(${first}) = ${(idle[last]! / idle[first]!).toFixed(2)} (goal <= 1.5)`,
  );
  await dispose();
}

await benchBackend("pglite", openPglite);

await benchBackend("postgres", openPostgres);
