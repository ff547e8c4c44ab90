import type { Server } from "node:http";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetryableSendError } from "../../src/chat/port.js";
import { createMetrics, type Metrics } from "../../src/metrics/metrics.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { dispatchDue } from "../../src/scheduler/dispatcher.js";
import { runTick } from "../../src/scheduler/tick.js";
import { closeServer, createHttpServer, listen } from "../../src/server/http.js";
import { savePendingCommand } from "../../src/store/pendingCommands.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeChat, FakeClock, silentLogger } from "../support/fakes.js";

const wetx = loadPolicyFile("policies/wetx.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };

describe("/metrics", () => {
  let t: TestStore;
  let server: Server;
  let base: string;
  let metrics: Metrics;
  const chat = new FakeChat("terminal");
  // Friday 2026-11-20 18:30 Mountain; the WETx email target is due Monday 19:00.
  const clock = new FakeClock(DateTime.fromISO("2026-11-20T18:30:00", { zone: "America/Denver" }));
  let tickets: TicketService;
  beforeAll(async () => {
    t = await openTestStore("pglite");
    tickets = new TicketService({ store: t.store, policy: wetx, now: clock.now });
    metrics = createMetrics({ store: t.store, policy: wetx, now: clock.now, logger: silentLogger });
    server = createHttpServer([metrics.route], silentLogger, metrics.recorder.request);
    base = `http://127.0.0.1:${await listen(server, 0, "127.0.0.1")}`;
  });
  afterAll(async () => {
    await closeServer(server);
    await t.dispose();
  });

  const scrape = async () => (await fetch(`${base}/metrics`)).text();
  const dispatch = () =>
    dispatchDue({
      store: t.store,
      ports: { terminal: chat },
      logger: silentLogger,
      replicaId: "r1",
      now: clock.date,
      random: () => 0,
      onSendError: metrics.recorder.sendFailed,
    });

  it("shows tickets by state, the outbox's depth and age, breaches, failures and requests", async () => {
    await tickets.create(actor("carol", false), { summary: "Export fails", channel: "email", home });
    await tickets.create(actor("carol", false), { summary: "Login slow", channel: "email", home });
    clock.advance({ minutes: 10 });
    let text = await scrape();
    expect(text).toMatch(/^escalator_tickets\{state="open"\} 2$/m);
    // Each new ticket: its card and the customer's status line ("received").
    expect(text).toMatch(/^escalator_outbox_depth 4$/m);
    expect(text).toMatch(/^escalator_outbox_oldest_age_seconds 600$/m);

    chat.failNext(Object.assign(new RetryableSendError("slow down"), { code: "ratelimited" }));
    await dispatch();
    clock.advance({ minutes: 1 });
    await dispatch();
    text = await scrape();
    expect(text).toMatch(/^escalator_outbox_depth 0$/m);
    expect(text).toMatch(/^escalator_send_failures_total\{platform="terminal",error="ratelimited"\} 1$/m);
    expect(text).toMatch(/^escalator_notifications\{kind="ticketCard",state="sent"\} 2$/m);
    expect(text).toMatch(/^escalator_due_to_delivery_seconds\{kind="ticketCard",quantile="1"\} 660$/m);

    // Tuesday morning: both first responses were due Monday 19:00 and missed.
    clock.set("2026-11-24T09:00:00-07:00");
    const started = performance.now();
    const { evaluated } = await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
    metrics.recorder.tick((performance.now() - started) / 1000, evaluated);
    text = await scrape();
    expect(text).toMatch(/^escalator_targets\{policy="wetx",target="firstResponse",outcome="breached"\} 2$/m);
    expect(text).toMatch(/^escalator_tick_duration_seconds_count 1$/m);
    expect(text).toMatch(/^escalator_http_requests_total\{route="\/metrics",method="GET",status="200"\} 2$/m);
  });

  it("shows the acknowledged requests waiting to be carried out, and the PostgreSQL pools", async () => {
    const pg = await openTestStore("postgres");
    try {
      const now = clock.now();
      for (const id of ["a", "b"])
        await savePendingCommand(pg.store.intake, {
          id,
          platform: "slack",
          workspaceId: "slack:T1",
          payload: {},
          receivedAt: now.minus({ seconds: id === "a" ? 90 : 5 }).toJSDate(),
        });
      const registry = createMetrics({
        store: pg.store,
        policy: wetx,
        now: clock.now,
        logger: silentLogger,
      }).registry;
      const text = await registry.metrics();
      expect(text).toMatch(/^escalator_pending_commands 2$/m);
      expect(text).toMatch(/^escalator_pending_commands_oldest_age_seconds 90$/m);
      expect(text).toMatch(/^escalator_db_pool_connections\{pool="main",state="max"\} 20$/m);
      expect(text).toMatch(/^escalator_db_pool_connections\{pool="intake",state="max"\} 4$/m);
      expect(text).toMatch(/^escalator_db_pool_waiting\{pool="main"\} 0$/m);
    } finally {
      await pg.dispose();
    }
  });
});
