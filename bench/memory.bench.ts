// Start and memory (issue 14): start to /healthz on PostgreSQL (compiled, fresh database, migrations applied),
// resident memory after 2,000 `/ticket`s, and with 100,000 open tickets after ticks (1,000 of them due).
import type pg from "pg";
import { machine, rssOf, startBenchService, ticketLoad } from "./harness.js";
import { type Row, record, writeResults } from "./results.js";

const service = await startBenchService();
const rows: Row[] = [];
try {
  rows.push(
    record(
      "start to /healthz (PostgreSQL, compiled, fresh database: migrations applied)",
      "≤ 3 s",
      `${(service.startMs / 1000).toFixed(1)} s`,
      service.startMs <= 3000,
    ),
  );
  const load = await ticketLoad(service, 50, 40);
  await new Promise((r) => setTimeout(r, 15_000)); // their cards and pages go out
  const rss = rssOf(service.pid);
  rows.push(record(`server resident memory after ${load.sent} /ticket`, "≤ 200 MB", `${rss} MB`, rss <= 200));
  await seedOpen(service.db, 100_000);
  await new Promise((r) => setTimeout(r, 15_000)); // the due timer and ticks run over them
  const rssBig = rssOf(service.pid);
  rows.push(
    record(
      "server resident memory with 100,000 open tickets, after ticks (1,000 of them due)",
      "≤ 200 MB",
      `${rssBig} MB`,
      rssBig <= 200,
    ),
  );
} finally {
  await service.stop();
}
for (const row of rows)
  console.log(`${row.ok ? "met " : "MISS"} ${row.what}: ${row.measured} (goal ${row.goal})`);
writeResults("memory", rows, machine());

/** Open tickets by SQL (the service would take minutes), each with its `created` event; 1,000 due now. */
async function seedOpen(client: pg.Client, count: number): Promise<void> {
  await client.query(`
    INSERT INTO "Ticket" (id, "workspaceId", number, "policyId", summary, severity, channel, "requesterId",
                          "homePlatform", "homeChannelId", "openedAt", "nextCheckAt", version, "updatedAt")
    SELECT gen_random_uuid(), 'slack:T0SEED', n, 'wes', 'Seeded ' || n, 'high', 'phone', 'U1', 'slack',
           'C' || (n % 50), now() - interval '1 minute', now() + interval '7 days', 1, now()
      FROM generate_series(1, ${count}) AS n`);
  // The created event as the service writes it: no plan or category keys when there are none.
  await client.query(`
    INSERT INTO "TicketEvent" ("ticketId", seq, type, "actorId", source, at, payload)
    SELECT id, 1, 'created', 'U1', 'slack', "openedAt",
           jsonb_build_object('type', 'created', 'summary', summary, 'description', '', 'severity', 'high',
                              'channel', 'phone')
      FROM "Ticket" WHERE "workspaceId" = 'slack:T0SEED'`);
  await client.query(`ANALYZE "Ticket"`);
  await client.query(
    `UPDATE "Ticket" SET "nextCheckAt" = now() WHERE "workspaceId" = 'slack:T0SEED' AND number <= 1000`,
  );
}
