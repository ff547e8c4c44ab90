// `/ticket queue` at 100,000 open tickets (issue 16): before, every call evaluated every open ticket (pages of
// 200, keeping the 20 soonest); now the database sorts and limits by the indexed `nextDueAt` column and only
// the 20 shown are evaluated. Both run here in one process, back to back, on the same rows; the ratio is the
// figure to read (CPU time of this process, then wall time including the database).
// Goal: the queue answers in well under a second at 100,000 open tickets, and shows the same 20 tickets.
import { DateTime } from "luxon";
import type { TicketView } from "../src/chat/port.js";
import { loadPolicyFile } from "../src/policy/index.js";
import type { Store } from "../src/store/db.js";
import { TicketService } from "../src/tickets/service.js";
import { nextDueAt, soonestDue } from "../src/tickets/view.js";
import { machine } from "./harness.js";
import { type Row, record, writeResults } from "./results.js";
import { medianRun, timed } from "./stats.js";
import { openPglite, openPostgres } from "./stores.js";

const policy = loadPolicyFile("policies/wetx.yaml");
const now = DateTime.fromISO("2026-11-24T12:00:00-07:00", { setZone: true });
const size = Number(process.env.BENCH_TICKETS ?? 100_000);
const backends = (process.env.BENCH_BACKENDS ?? "pglite,postgres").split(",");
const _pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const agent = { id: "alice", platform: "terminal" as const, workspaceId: "bench", isAgent: true };
const rows: Row[] = [];

/** Open tickets opened over the last ten days (so their dues differ), each with its real `created` event. */
async function seed(store: Store): Promise<void> {
  await store.sql.exec(`
    INSERT INTO "Ticket" (id, "workspaceId", number, "policyId", summary, description, severity, channel, plan,
                          category, "customerId", "requesterId", "homePlatform", "homeChannelId", "openedAt",
                          "nextCheckAt", status, version, "updatedAt")
    SELECT gen_random_uuid(), 'bench', n, 'wetx', 'Ticket ' || n, '', 
           (ARRAY['normal','high','urgent'])[1 + n % 3], 'email', 'standard', 'question', 'cust' || (n % 2000),
           'carol', 'terminal', 'support', timestamptz '2026-11-14T12:00:00Z' + (n * 7919 % 864000) * interval '1 second',
           timestamptz '2026-11-14T12:00:00Z', 'open', 1, now()
      FROM generate_series(1, ${size}) AS n;
    INSERT INTO "TicketEvent" ("ticketId", seq, type, "actorId", source, at, payload)
    SELECT id, 1, 'created', 'carol', 'terminal', "openedAt",
           jsonb_build_object('type', 'created', 'summary', summary, 'description', '', 'severity', severity,
                              'channel', 'email', 'plan', 'standard', 'category', 'question')
      FROM "Ticket";
    ANALYZE "Ticket";`);
}

/** The queue as it was up to commit ac15f41: every open ticket evaluated, 200 at a time, the best 20 kept. */
async function queueBefore(tickets: TicketService, limit = 20): Promise<TicketView[]> {
  let best: TicketView[] = [];
  for (let before: number | undefined; ; ) {
    const page = await tickets.list({
      workspaceId: "bench",
      limit: 200,
      ...(before ? { beforeNumber: before } : {}),
    });
    best = [...best, ...page].sort((a, b) => soonestDue(a) - soonestDue(b)).slice(0, limit);
    if (page.length < 200) return best;
    before = Math.min(...page.map((v) => v.number));
  }
}

async function fillNextDue(tickets: TicketService, store: Store): Promise<void> {
  for (let before: number | undefined; ; ) {
    const page = await tickets.list({
      workspaceId: "bench",
      limit: 200,
      ...(before ? { beforeNumber: before } : {}),
    });
    await store.prisma.$executeRawUnsafe(
      `UPDATE "Ticket" AS t SET "nextDueAt" = v.due FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, due)
        WHERE t.id = v.id`,
      page.map((v) => v.id),
      page.map((v) => nextDueAt(v)),
    );
    if (page.length < 200) return;
    before = Math.min(...page.map((v) => v.number));
  }
}

async function benchBackend(
  name: string,
  open: () => Promise<{ store: Store; dispose: () => Promise<void> }>,
) {
  const { store, dispose } = await open();
  try {
    const tickets = new TicketService({ store, policy, now: () => now });
    await seed(store);
    // The column as each ticket's evaluation writes it (view.ts's nextDueAt, the same function the service
    // uses), one page of 200 at a time: cheaper here than the scheduler's backfill, which also queues each
    // ticket's card (test/tickets/search.test.ts covers that path).
    const backfill = await timed(() => fillNextDue(tickets, store));
    const before = await medianRun(Number(process.env.BENCH_BEFORE_RUNS ?? 1), () => queueBefore(tickets));
    const after = await medianRun(7, () => tickets.queue(agent));
    const same =
      JSON.stringify(before.value.map((v) => v.number)) === JSON.stringify(after.value.map((v) => v.number));
    const ratio = before.wallMs / after.wallMs;
    const n = size.toLocaleString("en");
    console.log(
      `${name}: writing nextDueAt of ${n} open tickets (one evaluation each) ${(backfill.wallMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `${name}: queue before ${before.wallMs.toFixed(0)} ms wall / ${before.cpuMs.toFixed(0)} ms CPU; ` +
        `after ${after.wallMs.toFixed(1)} ms wall / ${after.cpuMs.toFixed(1)} ms CPU (median of 7); ` +
        `${ratio.toFixed(0)}× faster; same 20 tickets in the same order: ${same ? "yes" : "NO"}`,
    );
    rows.push(
      record(
        `${name}: /ticket queue at ${n} open tickets (before → after, same process)`,
        "< 1 s, same 20 tickets",
        `${before.wallMs.toFixed(0)} ms → ${after.wallMs.toFixed(1)} ms (${ratio.toFixed(0)}×)${same ? "" : ", DIFFERENT tickets"}`,
        after.wallMs < 1000 && same,
      ),
    );
  } finally {
    await dispose();
  }
}

if (backends.includes("pglite")) await benchBackend("pglite", openPglite);

if (backends.includes("postgres")) await benchBackend("postgres", openPostgres);

for (const row of rows)
  console.log(`${row.ok ? "met " : "MISS"} ${row.what}: ${row.measured} (goal ${row.goal})`);
writeResults("queue", rows, machine());
