// What the end-to-end benches share: Escalator started as `npm start` would (compiled, in its own process)
// on a fresh PostgreSQL database, a fake Slack Web API on loopback (SLACK_API_URL) answering in 50 ms, and
// `/ticket` sent signed as Slack sends it.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, totalmem } from "node:os";
import { createInterface } from "node:readline";
import pg from "pg";
import { type Delivery, fakeSlack, type Request } from "./fakeSlack.js";
import { quantile } from "./stats.js";

const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const secret = "bench-signing-secret";

export interface BenchService {
  base: string;
  slackUrl: string;
  deliveries: Delivery[];
  /**
   * Everything posted to the fake Slack, response_url answers (`/respond/<i>`) included. Only with the fake
   * in this process: with `slackApart` both arrays stay empty and `paths` asks the fake's process.
   */
  requests: Request[];
  /** The paths posted to the fake Slack that start with `prefix` (e.g. `/respond/`), wherever it runs. */
  paths(prefix: string): Promise<string[]>;
  /** A client on the service's database, for seeding and moving history. */
  db: pg.Client;
  pid: number;
  /** Milliseconds from spawning the process to the first 200 from /healthz. */
  startMs: number;
  stop(): Promise<void>;
}

export interface BenchOptions {
  /** More environment for the service. */
  env?: Record<string, string>;
  /**
   * Run the fake Slack in a process of its own, so that the load generator's timings are not delayed by
   * the fake answering the service's calls in the same event loop (the ack bench).
   */
  slackApart?: boolean;
}

export async function startBenchService(options: BenchOptions = {}): Promise<BenchService> {
  const env = options.env ?? {};
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const dbName = `escalator_bench_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = Object.assign(new URL(pgUrl), { pathname: `/${dbName}` }).toString();
  const db = new pg.Client({ connectionString: dbUrl });
  const slack = options.slackApart ? await fakeSlackProcess(50) : await fakeSlack(50);
  let app: ChildProcess | undefined;
  const stop = async () => {
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    await db.end().catch(() => undefined);
    await slack.close();
    await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin.end();
  };
  try {
    const port = 3900 + Math.floor(Math.random() * 90);
    const started = performance.now();
    // BENCH_NODE_ARGS: options for the service's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
    app = spawn(process.execPath, [...startFlags(), ...nodeArgs, "bin/escalator.js", "serve"], {
      env: {
        ...process.env,
        ...serviceEnv(port, slack.url),
        DATABASE_URL: dbUrl,
        POLICY_FILE: "policies/wes.yaml",
        // The policy's channels, as an operator maps them: in business hours every new ticket is posted to
        // the help desk channel (wes.yaml's page-help-desk).
        SLACK_CHANNEL_MAP: "wes-help-desk=CHELPDESK,wes-incidents=CINCIDENTS",
        ...env,
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/healthz`)).ok);
    const startMs = performance.now() - started;
    await db.connect();
    return {
      base,
      slackUrl: slack.url,
      deliveries: slack.deliveries,
      requests: slack.requests,
      paths: slack.paths,
      db,
      pid: app.pid!,
      startMs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The fake Slack of fakeSlack.ts in a process of its own (bench/fakeSlackProcess.ts), answering in `delayMs`. */
export async function fakeSlackProcess(delayMs: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./fakeSlackProcess.ts", import.meta.url).pathname, String(delayMs)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the fake Slack exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
  });
  const paths = async (prefix: string) => {
    const res = await fetch(`${url}/paths?prefix=${encodeURIComponent(prefix)}`);
    return ((await res.json()) as { paths: string[] }).paths;
  };
  const close = async () => {
    child.removeAllListeners("exit");
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  return { url, deliveries: [] as Delivery[], requests: [] as Request[], paths, close };
}

/** The node flags `npm start` passes (package.json), so the bench runs the service as it is deployed. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync("package.json", "utf8")).scripts.start;
  const words = start.split(/\s+/).slice(start.split(/\s+/).indexOf("node") + 1);
  return words.slice(
    0,
    words.findIndex((word) => !word.startsWith("-")),
  );
}

/** The service's environment as every bench starts it: on loopback `port`, Slack faked at `slackUrl`. */
export function serviceEnv(port: number, slackUrl: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: `${slackUrl}/api/`,
    SLACK_AGENT_USER_IDS: "UAGENT",
  };
}

/** Resolves once `ok` answers true, asking every `everyMs`; throws after `ms`. */
export async function waitFor(ok: () => Promise<boolean>, ms = 60_000, everyMs = 50): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await ok().catch(() => false)) return;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function signed(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signature,
  };
}

export interface LoadResult {
  sent: number;
  notOk: number;
  late: number;
  /** Of `sent`, those timed (not the warm-up). */
  timed: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * `/ticket high …` sent open loop at `perSecond` for `forSeconds`, each timed from send to its answer; with
 * `warmupSeconds`, the load runs that much longer first, at the same rate, and those requests are sent (and
 * count in `sent`) but not timed: a process's first seconds compile its code and open its connections
 * (coldAck.bench.ts measures the first request on its own).
 */
export async function ticketLoad(
  service: Pick<BenchService, "base" | "slackUrl">,
  perSecond: number,
  forSeconds: number,
  from = 0,
  warmupSeconds = 0,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let notOk = 0;
  let late = 0;
  const warmup = Math.round(perSecond * warmupSeconds);
  const total = warmup + Math.round(perSecond * forSeconds);
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let k = 0; k < total; k++) {
    const i = from + k;
    const due = t0 + (k * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = new URLSearchParams({
      command: "/ticket",
      text: `high bench load ${i}`,
      team_id: "T0BENCH",
      channel_id: `C${i % 20}`,
      user_id: `U${i % 50}`,
      trigger_id: `bench.${i}.${randomBytes(4).toString("hex")}`,
      response_url: `${service.slackUrl}/respond/${i}`,
    }).toString();
    pending.push(
      (async () => {
        const sent = performance.now();
        const status = await post(`${service.base}/slack/events`, signed(body), body).catch(() => 0);
        if (status !== 200) notOk++;
        const ms = performance.now() - sent;
        if (ms > 3000) late++; // the warm-up's too: Slack would have answered 404
        if (k >= warmup) latencies.push(ms);
      })(),
    );
  }
  await Promise.all(pending);
  return {
    sent: total,
    timed: latencies.length,
    notOk,
    late,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
  };
}

/**
 * Keep-alive connections for the load: node:http costs the load generator a fraction of fetch's CPU, which
 * (on the same two cores as the service) it would take from the service and add to its own timings.
 */
const loadAgent = new Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs `body` and resolves to the answer's status once the answer has been read whole. */
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent: loadAgent }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
      res.once("error", reject);
    });
    req.once("error", reject);
    req.end(body);
  });
}

/** CPU time (user + system) the process has used so far, in milliseconds. */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export const machine = () => ({
  cpus: cpus().length,
  model: cpus()[0]?.model ?? "?",
  memGb: totalmem() / 2 ** 30,
  load: loadavg(),
  speedMs: speedProbe(),
});

/**
 * CPU milliseconds a fixed piece of JavaScript work takes here (the best of 5): machines of the same kind
 * differ (a busy host, a shared core) and the same code can take 1.6× the CPU on another day, so CPU
 * figures in RESULTS.md are comparable only with this beside them. Lower is faster.
 */
export function speedProbe(): number {
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    id: i,
    name: `ticket ${i}`,
    at: i * 60_000,
    tags: ["a", "b"],
  }));
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    let sum = 0;
    for (let k = 0; k < 20; k++) {
      const copy = JSON.parse(JSON.stringify(rows)) as typeof rows;
      sum += copy.reduce((n, r) => n + r.name.length, 0);
      sum += createHmac("sha256", "probe").update(String(sum)).digest()[0]!;
    }
    const used = process.cpuUsage(before);
    if (sum < 0) throw new Error("unreachable");
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return Math.round(best * 10) / 10;
}
