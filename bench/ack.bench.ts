// `/ticket` under load (issue 14): signed requests sent open loop, each timed until Slack would have its
// acknowledgement, against the compiled service on PostgreSQL with a fake Slack answering in 50 ms.
//  1. the goal run: BENCH_LOAD_RATE per second (100) for BENCH_LOAD_SECONDS (60), after BENCH_WARMUP_SECONDS (5)
//     at the same rate that are sent but not timed (the first request of a new process: coldAck.bench.ts);
//  2. steps of BENCH_STEPS per second (50,100,150,200,300) for BENCH_STEP_SECONDS (10) each, to find the
//     highest sustainable rate: p99 ack ≤ 50 ms, none late or refused, and the queue of acknowledged
//     requests (PendingCommand rows) drained within BENCH_DRAIN_SECONDS (5) of the step's end;
//  3. the first step past it: still every request acknowledged in time, and every ticket opened and its
//     person answered (through the response_url) once the queue has drained.
// CPU ms per request is the server process's CPU from the first request until the queue has drained,
// divided by the requests: steadier than latency on a shared machine.
import { type BenchService, cpuMsOf, machine, startBenchService, ticketLoad } from "./harness.js";
import { type Row, record, writeResults } from "./results.js";

const rate = Number(process.env.BENCH_LOAD_RATE ?? 100);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const steps = (process.env.BENCH_STEPS ?? "50,100,150,200,300").split(",").map(Number).filter(Boolean);
const stepSeconds = Number(process.env.BENCH_STEP_SECONDS ?? 10);
const drainGraceMs = Number(process.env.BENCH_DRAIN_SECONDS ?? 5) * 1000;
/** Seconds of load at the goal rate before the timed minute (not timed): the process compiles and connects. */
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
/** How long an overloaded step may take to drain before the bench gives up on it. */
const drainCapMs = 300_000;

interface Run {
  rate: number;
  seconds: number;
  load: Awaited<ReturnType<typeof ticketLoad>>;
  /** Acknowledged requests not yet carried out when the last one was sent. */
  backlogAtEnd: number;
  /** From the last request to an empty queue with every person answered (Infinity: not within the cap). */
  drainMs: number;
  cpuMsPerRequest: number;
}

// The fake Slack runs apart: in this process it would answer the service's ~5 calls per /ticket in the
// same event loop that times the acks.
const service = await startBenchService({ slackApart: true });
const rows: Row[] = [];
let sent = 0;
try {
  const goal = await run(service, rate, seconds, warmupSeconds);
  rows.push(
    record(
      `/ticket ack over signed HTTP, ${rate}/s for ${seconds} s (open loop, PostgreSQL; after ${warmupSeconds} s at the same rate, not timed)`,
      "p99 ≤ 50 ms, none late or 404",
      describe(goal),
      goal.load.p99 <= 50 && goal.load.late === 0 && goal.load.notOk === 0,
    ),
  );
  let highest: Run | undefined;
  let past: Run | undefined;
  for (const perSecond of steps) {
    const step = await run(service, perSecond, stepSeconds);
    console.log(
      `step ${perSecond}/s: ${describe(step)} → ${sustainable(step) ? "sustainable" : "not sustainable"}`,
    );
    if (!sustainable(step)) {
      past = step;
      break;
    }
    highest = step;
  }
  rows.push(
    record(
      `highest sustainable /ticket rate (steps ${steps.join("/")} per s, ${stepSeconds} s each)`,
      `≥ ${rate}/s (p99 ack ≤ 50 ms and the queue drained ≤ ${drainGraceMs / 1000} s after the step)`,
      highest ? `${highest.rate}/s: ${describe(highest)}` : "none of the steps",
      (highest?.rate ?? 0) >= rate,
    ),
  );
  if (past) {
    const opened = await ticketsOpened(service);
    const answered = await answeredRequests(service);
    rows.push(
      record(
        `past it: ${past.rate}/s for ${stepSeconds} s`,
        "every request acknowledged in time (no 404, none over 3 s); every ticket opened and answered once",
        `${describe(past)}; tickets opened ${opened.distinct} of ${sent} (${opened.total - opened.distinct} twice), ` +
          `people answered ${answered.distinct} of ${sent} (${answered.total - answered.distinct} twice)`,
        past.load.late === 0 &&
          past.load.notOk === 0 &&
          opened.distinct === sent &&
          opened.total === sent &&
          answered.distinct === sent &&
          answered.total === sent,
      ),
    );
  }
} finally {
  await service.stop();
}
for (const row of rows)
  console.log(`${row.ok ? "met " : "MISS"} ${row.what}: ${row.measured} (goal ${row.goal})`);
writeResults("ack", rows, machine());

async function run(service: BenchService, perSecond: number, forSeconds: number, warmup = 0): Promise<Run> {
  const cpuBefore = cpuMsOf(service.pid);
  const load = await ticketLoad(service, perSecond, forSeconds, sent, warmup);
  sent += load.sent;
  const backlogAtEnd = await backlog(service);
  const ended = performance.now();
  let drainMs = Number.POSITIVE_INFINITY;
  while (performance.now() - ended < drainCapMs) {
    if ((await backlog(service)) === 0 && (await answeredRequests(service)).distinct >= sent) {
      drainMs = performance.now() - ended;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpuMsPerRequest = (cpuMsOf(service.pid) - cpuBefore) / load.sent;
  return { rate: perSecond, seconds: forSeconds, load, backlogAtEnd, drainMs, cpuMsPerRequest };
}

function sustainable(step: Run): boolean {
  return step.load.p99 <= 50 && step.load.late === 0 && step.load.notOk === 0 && step.drainMs <= drainGraceMs;
}

function describe({ load, backlogAtEnd, drainMs, cpuMsPerRequest }: Run): string {
  const drained = Number.isFinite(drainMs) ? `${(drainMs / 1000).toFixed(1)} s` : "not within 5 min";
  return (
    `p50 ${load.p50.toFixed(0)} ms, p99 ${load.p99.toFixed(0)} ms, max ${load.max.toFixed(0)} ms; ` +
    `${load.late} over 3 s, ${load.notOk} not 200 (of ${load.sent}); queue ${backlogAtEnd} at the end, ` +
    `drained ${drained} later; ${cpuMsPerRequest.toFixed(1)} ms server CPU per request`
  );
}

async function backlog(service: BenchService): Promise<number> {
  const { rows } = await service.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "PendingCommand"`);
  return Number(rows[0]?.n ?? 0);
}

async function ticketsOpened(service: BenchService): Promise<{ total: number; distinct: number }> {
  const { rows } = await service.db.query<{ total: string; distinct: string }>(
    `SELECT count(*)::text AS total, count(DISTINCT summary)::text AS distinct FROM "Ticket"
      WHERE summary LIKE 'bench load %'`,
  );
  return { total: Number(rows[0]?.total ?? 0), distinct: Number(rows[0]?.distinct ?? 0) };
}

/** The people told through their command's response_url (`/respond/<i>`). */
async function answeredRequests(service: BenchService): Promise<{ total: number; distinct: number }> {
  const paths = await service.paths("/respond/");
  return { total: paths.length, distinct: new Set(paths).size };
}
