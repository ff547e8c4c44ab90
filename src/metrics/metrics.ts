import type { DateTime } from "luxon";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "../logger.js";
import type { Policy } from "../policy/types.js";
import type { Route } from "../server/http.js";
import type { PoolNumbers, Store } from "../store/db.js";
import { ComplianceCounts, type TargetCounts } from "./compliance.js";
import { intakeGauges } from "./intake.js";

/**
 * What the process itself observes, as small functions the scheduler, dispatcher and HTTP server call
 * (so those stay free of metrics code). Everything else is read from the database at scrape time, so the
 * numbers are the deployment's, whichever replica is scraped.
 */
export interface MetricsRecorder {
  tick(seconds: number, evaluated: number): void;
  sendFailed(platform: string, error: Error): void;
  request(route: string, method: string, status: number): void;
}

export interface Metrics {
  registry: Registry;
  recorder: MetricsRecorder;
  route: Route;
}

/** Compliance is a policy evaluation per ticket: recomputed at most once a minute. */
const COMPLIANCE_TTL_MS = 60_000;

export function createMetrics(deps: {
  store: Store;
  policy: Policy;
  now: () => DateTime;
  logger: Logger;
  /** The front door thread's connections, when it runs. */
  frontPool?: () => PoolNumbers | undefined;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "escalator_process_" });
  const tickSeconds = new Histogram({
    name: "escalator_tick_duration_seconds",
    help: "Duration of one scheduler tick (evaluating every due ticket)",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const ticked = new Counter({
    name: "escalator_tick_tickets_evaluated_total",
    help: "Tickets evaluated by this replica's ticks",
    registers: [registry],
  });
  const sendFailures = new Counter({
    name: "escalator_send_failures_total",
    help: "Failed send attempts by platform and error (retried or permanent)",
    labelNames: ["platform", "error"],
    registers: [registry],
  });
  const requests = new Counter({
    name: "escalator_http_requests_total",
    help: "Inbound HTTP requests by route and status",
    labelNames: ["route", "method", "status"],
    registers: [registry],
  });
  databaseGauges(registry, deps);
  complianceGauges(registry, deps);
  const recorder: MetricsRecorder = {
    tick(seconds, evaluated) {
      tickSeconds.observe(seconds);
      ticked.inc(evaluated);
    },
    sendFailed(platform, error) {
      sendFailures.inc({ platform, error: errorKind(error) });
    },
    request(route, method, status) {
      requests.inc({ route, method, status: String(status) });
    },
  };
  const route: Route = {
    method: "GET",
    path: "/metrics",
    async handler(_req, res) {
      const text = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(text);
    },
  };
  return { registry, recorder, route };
}

/** A short, bounded label: the error's class and, for platform errors, its code (never the message). */
export function errorKind(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === "string" && /^[\w.-]{1,40}$/.test(code) ? code : error.name;
  return kind.slice(0, 40) || "Error";
}

function databaseGauges(registry: Registry, deps: { store: Store; now: () => DateTime; logger: Logger }) {
  const sql = deps.store.sql;
  const safely = async (what: string, work: () => Promise<void>) => {
    // A scrape while the database is down answers with what it can; the readiness probe says why.
    await work().catch((error) => deps.logger.warn({ err: error, what }, "metric not collected"));
  };
  new Gauge({
    name: "escalator_tickets",
    help: "Tickets by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      await safely("tickets", async () => {
        this.reset();
        const rows = await sql.query<{ status: string; n: string }>(
          `SELECT status, count(*)::text AS n FROM "Ticket" GROUP BY status`,
        );
        for (const r of rows) this.set({ state: r.status }, Number(r.n));
      });
    },
  });
  new Gauge({
    name: "escalator_notifications",
    help: "Outbox rows by kind (page, escalation, notify, threadNote, card …) and state (pending, sending, sent, failed)",
    labelNames: ["kind", "state"],
    registers: [registry],
    async collect() {
      await safely("notifications", async () => {
        this.reset();
        const rows = await sql.query<{ kind: string; state: string; n: string }>(
          `SELECT kind, state, count(*)::text AS n FROM "Notification" GROUP BY kind, state`,
        );
        for (const r of rows) this.set({ kind: r.kind, state: r.state }, Number(r.n));
      });
    },
  });
  new Gauge({
    name: "escalator_acknowledgements",
    help: "Acknowledgements recorded on tickets (pages answered)",
    registers: [registry],
    async collect() {
      await safely("acknowledgements", async () => {
        const rows = await sql.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM "TicketEvent" WHERE type = 'acknowledged'`,
        );
        this.set(Number(rows[0]?.n ?? 0));
      });
    },
  });
  outboxGauges(registry, deps, safely);
  intakeGauges(registry, deps, safely);
}

function outboxGauges(
  registry: Registry,
  deps: { store: Store; now: () => DateTime },
  safely: (what: string, work: () => Promise<void>) => Promise<void>,
) {
  const sql = deps.store.sql;
  new Gauge({
    name: "escalator_outbox_depth",
    help: "Messages due and not yet sent (pending or being sent, available now)",
    registers: [registry],
    async collect() {
      await safely("outbox depth", async () => {
        const rows = await sql.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM "Notification" WHERE state IN ('pending', 'sending') AND "availableAt" <= $1`,
          [deps.now().toJSDate()],
        );
        this.set(Number(rows[0]?.n ?? 0));
      });
    },
  });
  new Gauge({
    name: "escalator_outbox_oldest_age_seconds",
    help: "How long the oldest due, unsent message has been waiting (0 when none)",
    registers: [registry],
    async collect() {
      await safely("outbox age", async () => {
        const rows = await sql.query<{ oldest: Date | null }>(
          `SELECT min("createdAt") AS oldest FROM "Notification" WHERE state IN ('pending', 'sending') AND "availableAt" <= $1`,
          [deps.now().toJSDate()],
        );
        const oldest = rows[0]?.oldest;
        this.set(oldest ? Math.max(0, (deps.now().toMillis() - new Date(oldest).getTime()) / 1000) : 0);
      });
    },
  });
  new Gauge({
    name: "escalator_due_to_delivery_seconds",
    help: "Time from a message being due (written) to its delivery, over the last hour, by kind and quantile",
    labelNames: ["kind", "quantile"],
    registers: [registry],
    async collect() {
      await safely("due to delivery", async () => {
        this.reset();
        const rows = await sql.query<{ kind: string; p50: number; p95: number; max: number }>(
          `SELECT kind,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "sentAt" - "createdAt"))::float8 AS p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "sentAt" - "createdAt"))::float8 AS p95,
                  max(extract(epoch FROM "sentAt" - "createdAt"))::float8 AS max
             FROM "Notification" WHERE state = 'sent' AND "sentAt" >= $1 GROUP BY kind`,
          [deps.now().minus({ hours: 1 }).toJSDate()],
        );
        for (const r of rows) {
          this.set({ kind: r.kind, quantile: "0.5" }, Number(r.p50));
          this.set({ kind: r.kind, quantile: "0.95" }, Number(r.p95));
          this.set({ kind: r.kind, quantile: "1" }, Number(r.max));
        }
      });
    },
  });
}

/** Targets met and breached per policy and target, over tickets opened in the last 30 days. */
function complianceGauges(
  registry: Registry,
  deps: { store: Store; policy: Policy; now: () => DateTime; logger: Logger },
) {
  const counts = new ComplianceCounts(deps.store, deps.policy);
  let cached: { at: number; rows: TargetCounts[] } | undefined;
  new Gauge({
    name: "escalator_targets",
    help: "SLA targets of tickets opened in the last 30 days, by policy, target and outcome (met, breached, open)",
    labelNames: ["policy", "target", "outcome"],
    registers: [registry],
    async collect() {
      const now = deps.now();
      try {
        if (!cached || now.toMillis() - cached.at > COMPLIANCE_TTL_MS) {
          const warn = (text: string) => deps.logger.warn(text.trim());
          cached = { at: now.toMillis(), rows: await counts.count(now, warn) };
        }
      } catch (error) {
        deps.logger.warn({ err: error }, "compliance metrics not collected");
        return;
      }
      this.reset();
      for (const row of cached.rows) {
        const labels = { policy: deps.policy.id, target: row.target };
        this.set({ ...labels, outcome: "met" }, row.met);
        this.set({ ...labels, outcome: "breached" }, row.breached);
        this.set({ ...labels, outcome: "open" }, row.open);
      }
    },
  });
}
