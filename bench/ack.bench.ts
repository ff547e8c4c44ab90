// `/ticket` under load (issue 14): signed requests sent open loop at BENCH_LOAD_RATE per second (100) for
// BENCH_LOAD_SECONDS (60, as the goal says), each timed until Slack would have its acknowledgement.

import { machine, startBenchService, ticketLoad } from "./harness.js";
import { record, writeResults } from "./results.js";

const rate = Number(process.env.BENCH_LOAD_RATE ?? 100);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const service = await startBenchService();
const rows = [];
try {
  const load = await ticketLoad(service, rate, seconds);
  rows.push(
    record(
      `/ticket ack over signed HTTP, ${rate}/s for ${seconds} s (open loop, PostgreSQL)`,
      "p99 ≤ 50 ms, none late or 404",
      `p50 ${load.p50.toFixed(0)} ms, p99 ${load.p99.toFixed(0)} ms, max ${load.max.toFixed(0)} ms; ${load.late} over 3 s, ${load.notOk} not 200 (of ${load.sent})`,
      load.p99 <= 50 && load.late === 0 && load.notOk === 0,
    ),
  );
} finally {
  await service.stop();
}
for (const row of rows)
  console.log(`${row.ok ? "met " : "MISS"} ${row.what}: ${row.measured} (goal ${row.goal})`);
writeResults("ack", rows, machine());
