import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntakeThrottle } from "../../src/chat/intakeThrottle.js";
import { IntakeWorker } from "../../src/chat/intakeWorker.js";
import {
  finishPendingCommand,
  type PendingRow,
  pendingQueueStats,
  savePendingCommand,
} from "../../src/store/pendingCommands.js";
import { backends, openTestStore, type TestStore } from "../support/db.js";
import { silentLogger } from "../support/fakes.js";

const t0 = new Date("2026-11-17T17:00:00Z");

/** Acknowledged requests as the ack path writes them, received one millisecond apart. */
async function queue(t: TestStore, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries())
    await savePendingCommand(t.store.intake, {
      id,
      platform: "slack",
      workspaceId: "slack:T1",
      payload: { id },
      receivedAt: new Date(t0.getTime() + i),
    });
}

function replica(t: TestStore, owner: string, now: () => Date, carryOut: (row: PendingRow) => Promise<void>) {
  return new IntakeWorker({
    sql: t.store.queries,
    platform: "slack",
    owner,
    now,
    carryOut,
    logger: silentLogger,
    concurrency: 3,
    leaseMs: 10_000,
  });
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}

describe.each(backends)("the intake worker (%s)", (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  });
  afterAll(() => t.dispose());

  it("carries out a burst once each, oldest first, never more at once than it may, across two replicas", async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `burst-${String(i).padStart(2, "0")}`);
    await queue(t, ids);
    const done: string[] = [];
    let running = 0;
    let most = 0;
    const work = async (row: PendingRow) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(row.id);
      running--;
    };
    const a = replica(t, "a", () => t0, work);
    const b = replica(t, "b", () => t0, work);
    a.wake();
    b.wake();
    await until(async () => (await pendingQueueStats(t.store.sql)).depth === 0);
    await Promise.all([a.stop(), b.stop()]);
    expect([...done].sort()).toEqual(ids);
    expect(most).toBeLessThanOrEqual(6);
    expect(done.slice(0, 3).every((id) => ids.slice(0, 6).includes(id))).toBe(true);
  });

  it("lets another replica carry out a request whose holder died, once its lease lapses, and only then", async () => {
    await queue(t, ["orphan"]);
    let now = t0;
    const never = new Promise<void>(() => undefined);
    const dead = replica(
      t,
      "dead",
      () => now,
      () => never,
    );
    dead.wake();
    await until(() => dead.inFlight === 1);
    const carried: string[] = [];
    const alive = replica(
      t,
      "alive",
      () => now,
      async (row) => void carried.push(row.id),
    );
    alive.wake();
    now = new Date(t0.getTime() + 9_000);
    alive.wake();
    await new Promise((r) => setTimeout(r, 100));
    expect(carried).toEqual([]);

    now = new Date(t0.getTime() + 10_001);
    alive.wake();
    await until(async () => (await pendingQueueStats(t.store.sql)).depth === 0);
    expect(carried).toEqual(["orphan"]);
    // The dead holder's late finish removes nothing of someone else's.
    expect(await finishPendingCommand(t.store.sql, "orphan", "dead")).toBe(false);
    await alive.stop();
    await dead.stop(0);
  });

  it("claims once for requests it has room for all of, not again as each is done or room grows", async () => {
    await queue(t, ["one", "two"]);
    const sql = t.store.queries;
    let claims = 0;
    const worker = new IntakeWorker({
      sql: {
        query<T>(text: string, params?: unknown[]) {
          if (text.startsWith(`UPDATE "PendingCommand" SET "leasedBy"`)) claims++;
          return sql.query<T>(text, params);
        },
      },
      platform: "slack",
      owner: "w",
      now: () => t0,
      logger: silentLogger,
      concurrency: 3,
      carryOut: async () => undefined,
    });
    worker.wake();
    await until(async () => (await pendingQueueStats(t.store.sql)).depth === 0 && worker.inFlight === 0);
    worker.roomGrew(); // the throttle let more run at once: nothing waits, nothing to claim
    await new Promise((r) => setTimeout(r, 50));
    expect(claims).toBe(1);
    await worker.stop();
  });

  it("retries a request whose work failed, later, and gives it up after its attempts", async () => {
    await queue(t, ["flaky"]);
    let now = t0;
    let tries = 0;
    const worker = new IntakeWorker({
      sql: t.store.queries,
      platform: "slack",
      owner: "w",
      now: () => now,
      logger: silentLogger,
      maxAttempts: 2,
      carryOut: async () => {
        tries++;
        throw new Error("Slack is down");
      },
    });
    worker.wake();
    await until(() => tries === 1 && worker.inFlight === 0);
    worker.wake();
    await new Promise((r) => setTimeout(r, 50));
    expect(tries).toBe(1); // backed off: not before its retry time
    now = new Date(t0.getTime() + 60_000);
    worker.wake();
    await until(async () => (await pendingQueueStats(t.store.sql)).depth === 0);
    expect(tries).toBe(2);
    await worker.stop();
  });
});

describe("the intake throttle", () => {
  it("backs the work off while acks are slow, never below one, and grows it back by one when calm", () => {
    let grew = 0;
    const throttle = new IntakeThrottle(8, () => grew++);
    const acks = (...ms: number[]) => {
      for (const m of ms) throttle.answered(m);
    };
    acks(...Array(199).fill(3), 80); // one slow ack in 200: a hiccup, not pressure
    throttle.adjust(5);
    expect(throttle.limit).toBe(8);
    acks(...Array(48).fill(3), 80, 90); // 2 slow in 50: the p99 is over 50 ms
    throttle.adjust(5);
    expect(throttle.limit).toBe(4);
    for (let i = 0; i < 3; i++) {
      acks(3);
      throttle.adjust(70); // the event loop lags while requests arrive
    }
    expect(throttle.limit).toBe(1);
    acks(3);
    throttle.adjust(2);
    expect(throttle.limit).toBe(2);
    throttle.adjust(70); // no requests in the period: nothing to protect
    expect(throttle.limit).toBe(3);
    expect(grew).toBe(2);
  });

  it("with acks answered in the front door thread, backs off for slow acks only, not this loop's lag", () => {
    const throttle = new IntakeThrottle(8);
    throttle.acksApart();
    throttle.answered(3);
    throttle.adjust(5);
    throttle.answered(3);
    throttle.adjust(70); // this loop is busy with the work; the acks are not slowed by it
    expect(throttle.limit).toBe(8);
    throttle.answered(80);
    throttle.adjust(5);
    expect(throttle.limit).toBe(4);
  });
});
