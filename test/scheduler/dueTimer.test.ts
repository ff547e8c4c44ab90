import { DateTime } from "luxon";
import { describe, expect, it, vi } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import { DueTimer, type Timers } from "../../src/scheduler/dueTimer.js";
import { type RunningScheduler, startScheduler } from "../../src/scheduler/runner.js";
import type { Store } from "../../src/store/db.js";
import { noRecipients } from "../../src/tickets/notifications.js";
import { TicketService } from "../../src/tickets/service.js";
import { twoReplicas } from "../support/dispatch.js";
import { actor, FakeChat, FakeClock, silentLogger } from "../support/fakes.js";

const wetx = loadPolicyFile("policies/wetx.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const customer = actor("carol", false);
/** The machine is busy: waiting is for the store and NOTIFY, not a measure of speed. */
const patience = { timeout: 60_000 };
const recipients = { ...noRecipients, people: (who: string) => [`person:${who}`] };

/** Timers the test fires by hand: what the scheduler armed, and for how long. */
class ManualTimers implements Timers {
  private armed = new Map<number, { fire: () => void; ms: number }>();
  private ids = 0;
  set(fire: () => void, ms: number): number {
    this.armed.set(++this.ids, { fire, ms });
    return this.ids;
  }
  clear(handle: unknown): void {
    this.armed.delete(handle as number);
  }
  /** The one armed timer's wait. */
  only(): { fire: () => void; ms: number } {
    expect(this.armed.size).toBe(1);
    return [...this.armed.values()][0]!;
  }
  fire(): void {
    const [id, timer] = [...this.armed.entries()][0]!;
    this.armed.delete(id);
    timer.fire();
  }
}

function scheduler(store: Store, clock: FakeClock, chat: FakeChat, timers: Timers): RunningScheduler {
  const tickets = new TicketService({ store, policy: wetx, now: clock.now, recipients });
  return startScheduler({
    tick: { store, tickets, logger: silentLogger },
    dispatch: { store, ports: { terminal: chat }, logger: silentLogger, replicaId: "r" },
    now: clock.now,
    logger: silentLogger,
    pollMs: 3_600_000,
    timers,
  });
}

async function nextCheckOf(store: Store, ticketId: string): Promise<number> {
  const row = await store.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  return row.nextCheckAt!.getTime();
}

describe("the due timer", () => {
  const r = twoReplicas();

  it("runs a breach at its instant, not at the next minute, and re-arms for the next one", {
    timeout: 120_000,
  }, async () => {
    // Monday 18:59:30 Mountain; a WETx email opened Friday 18:30 is due Monday 19:00 (02:00Z Tuesday).
    const clock = new FakeClock(DateTime.fromISO("2026-11-20T18:30:00-07:00", { setZone: true }));
    const tickets = new TicketService({ store: r.t.store, policy: wetx, now: clock.now, recipients });
    const { ticket } = await tickets.create(customer, { summary: "Timer", channel: "email", home });
    clock.set("2026-11-24T01:59:30.250Z");
    const chat = new FakeChat();
    const timers = new ManualTimers();
    const running = scheduler(r.t.store, clock, chat, timers);
    try {
      const due = Date.parse("2026-11-24T02:00:00Z");
      await vi.waitFor(() => expect(running.nextDueAt).toBe(due), patience);
      expect(await nextCheckOf(r.t.store, ticket.id)).toBe(due);
      expect(timers.only().ms).toBe(29_751); // 29.75 s to the instant, +1 ms
      const breach = `${ticket.id}:c1:firstResponse:breach`;
      expect(chat.sent.map((m) => m.key)).not.toContain(breach);

      clock.set("2026-11-24T02:00:00.001Z");
      timers.fire();
      await vi.waitFor(() => expect(chat.sent.map((m) => m.key)).toContain(breach), patience);
      // Re-armed for the ticket's next instant (none: the standard plan has nothing after this breach).
      const row = await r.t.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      await vi.waitFor(() => expect(running.nextDueAt).toBe(row.nextCheckAt?.getTime()), patience);
    } finally {
      await running.stop();
    }
  });

  it("is re-armed when another replica's command brings the next instant closer", {
    timeout: 120_000,
  }, async () => {
    const clock = new FakeClock(DateTime.fromISO("2026-11-27T10:00:00-07:00", { setZone: true }));
    const timers = new ManualTimers();
    // This replica listens on its own connection; the command runs on the other one.
    const running = scheduler(r.second, clock, new FakeChat(), timers);
    const other = new TicketService({ store: r.t.store, policy: wetx, now: clock.now, recipients });
    try {
      const email = await other.create(customer, { summary: "Email", channel: "email", home });
      const before = await nextCheckOf(r.t.store, email.ticket.id);
      await vi.waitFor(() => expect(running.nextDueAt).toBe(before), patience);
      const { ticket } = await other.create(customer, {
        summary: "Chat",
        channel: "chat",
        home,
      });
      const due = await nextCheckOf(r.t.store, ticket.id);
      expect(due).toBeLessThan(before);
      await vi.waitFor(() => expect(running.nextDueAt).toBe(due), patience);
      expect(timers.only().ms).toBe(Math.min(60_000, due - clock.now().toMillis() + 1));
    } finally {
      await running.stop();
    }
  });

  it("is re-armed at once by a command of its own process (its own NOTIFY is not needed)", {
    timeout: 120_000,
  }, async () => {
    // An hour before the other tests' tickets: each of this one's is the earliest when opened.
    const clock = new FakeClock(DateTime.fromISO("2026-11-27T09:00:00-07:00", { setZone: true }));
    const timers = new ManualTimers();
    let running: RunningScheduler | undefined;
    const tickets = new TicketService({
      store: r.t.store,
      policy: wetx,
      now: clock.now,
      recipients,
      onNotificationsWritten: (nextCheckAt) => running?.kick(nextCheckAt),
    });
    const scheduler = startScheduler({
      tick: { store: r.t.store, tickets, logger: silentLogger },
      dispatch: {
        store: r.t.store,
        ports: { terminal: new FakeChat() },
        logger: silentLogger,
        replicaId: "r",
      },
      now: clock.now,
      logger: silentLogger,
      pollMs: 3_600_000,
      timers,
    });
    running = scheduler;
    try {
      await scheduler.tickNow(); // the start's catch-up tick, and its look, are behind us
      const email = await tickets.create(customer, { summary: "Email", channel: "email", home });
      const before = await nextCheckOf(r.t.store, email.ticket.id);
      await vi.waitFor(() => expect(scheduler.nextDueAt).toBeLessThanOrEqual(before), patience);
      const { ticket } = await tickets.create(customer, { summary: "Chat", channel: "chat", home });
      const due = await nextCheckOf(r.t.store, ticket.id);
      expect(due).toBeLessThan(before);
      await vi.waitFor(() => expect(scheduler.nextDueAt).toBe(due), patience);
    } finally {
      await scheduler.stop();
    }
  });
});

describe("the due timer, told the instant a command of this process stored", () => {
  const start = Date.parse("2026-11-27T17:00:00Z");
  const at = (seconds: number) => new Date(start + seconds * 1000);

  /** A timer on its own: `stored` is the earliest next check in the database, `looks` counts its reads. */
  function timerOver(stored: { next: Date | null; slow?: boolean }) {
    const timers = new ManualTimers();
    const counts = { looks: 0 };
    let pending: ((next: Date | null) => void) | undefined;
    const timer = new DueTimer({
      earliest: () => {
        counts.looks++;
        if (!stored.slow) return Promise.resolve(stored.next);
        return new Promise((resolve) => {
          pending = resolve;
        });
      },
      now: () => start,
      onDue: async () => undefined,
      logger: silentLogger,
      timers,
    });
    return { timer, timers, counts, answer: (next: Date | null) => pending?.(next) };
  }
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it("stays armed without a look when the instant is later than the one armed, and moves to an earlier one", async () => {
    const { timer, timers, counts } = timerOver({ next: at(30) });
    timer.rearm();
    await settled();
    expect([counts.looks, timer.nextAt]).toEqual([1, at(30).getTime()]);
    timer.rearm(at(45));
    timer.rearm(null);
    expect([counts.looks, timer.nextAt]).toEqual([1, at(30).getTime()]);
    timer.rearm(at(10));
    expect([counts.looks, timer.nextAt]).toEqual([1, at(10).getTime()]);
    expect(timers.only().ms).toBe(10_001);
  });

  it("looks at the database when nothing is armed, or when no instant comes with the call (another replica)", async () => {
    const stored = { next: null as Date | null };
    const { timer, counts } = timerOver(stored);
    timer.rearm();
    await settled();
    expect([counts.looks, timer.nextAt]).toEqual([1, undefined]);
    stored.next = at(20);
    timer.rearm(at(20));
    await settled();
    expect([counts.looks, timer.nextAt]).toEqual([2, at(20).getTime()]);
    stored.next = at(5); // another replica's ticket: its NOTIFY brings no instant
    timer.rearm();
    await settled();
    expect([counts.looks, timer.nextAt]).toEqual([3, at(5).getTime()]);
  });

  it("keeps an instant told while a look is under way, which may have read the database before it", async () => {
    const stored = { next: at(30), slow: true };
    const { timer, counts, answer } = timerOver(stored);
    timer.rearm();
    timer.rearm(at(12));
    answer(at(30));
    await settled();
    expect([counts.looks, timer.nextAt]).toEqual([1, at(12).getTime()]);
  });
});

describe("the per-minute safety net", () => {
  const r = twoReplicas();

  it("finishes its tick while a delivery is still on its way (it used to wait for the outbox to empty, and node-cron skipped every minute it overlapped)", {
    timeout: 120_000,
  }, async () => {
    // A WETx email opened Friday 18:30 Mountain is due Monday 19:00 (02:00Z Tuesday).
    const clock = new FakeClock(DateTime.fromISO("2026-11-20T18:30:00-07:00", { setZone: true }));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chat = new (class extends FakeChat {
      asked = 0;
      override async send(message: Parameters<FakeChat["send"]>[0]) {
        this.asked++;
        await held;
        return super.send(message);
      }
    })();
    let minute: (() => Promise<void>) | undefined;
    const tickets = new TicketService({ store: r.t.store, policy: wetx, now: clock.now, recipients });
    const running = startScheduler({
      tick: { store: r.t.store, tickets, logger: silentLogger },
      dispatch: { store: r.t.store, ports: { terminal: chat }, logger: silentLogger, replicaId: "r" },
      now: clock.now,
      logger: silentLogger,
      pollMs: 3_600_000,
      timers: new ManualTimers(),
      everyMinute: (job) => {
        minute = job;
        return { stop: async () => undefined };
      },
    });
    try {
      const { ticket } = await tickets.create(customer, { summary: "Held", channel: "email", home });
      running.kick();
      await vi.waitFor(() => expect(chat.asked).toBeGreaterThan(0), patience); // its card is on its way
      const due = Date.parse("2026-11-24T02:00:00Z");
      expect(await nextCheckOf(r.t.store, ticket.id)).toBe(due);

      clock.set("2026-11-24T02:00:00.001Z");
      await minute!(); // resolves with the card still held
      const breach = await r.t.store.prisma.notification.findUnique({
        where: { key: `${ticket.id}:c1:firstResponse:breach` },
      });
      expect(breach).not.toBeNull(); // the tick wrote it; nothing was sent yet
      expect(chat.sent).toHaveLength(0);
    } finally {
      release();
      await running.stop();
    }
  });
});
