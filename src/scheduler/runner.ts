import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import cron from "node-cron";
import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";
import { type DispatcherDeps, dispatchDue } from "./dispatcher.js";
import { DueTimer, type Timers } from "./dueTimer.js";
import { Pacer } from "./pacer.js";
import { earliestNextCheck, runTick, type TickDeps } from "./tick.js";

export interface SchedulerDeps {
  tick: TickDeps;
  dispatch: Omit<DispatcherDeps, "now">;
  now: () => DateTime;
  logger: Logger;
  /** How often the dispatcher looks for retries that came due (new rows are sent at once via `kick`). */
  pollMs?: number;
  /** How much faster than the wall clock `now` runs (the terminal's --speed). */
  speed?: number;
  /** Told how long each tick took, in seconds of real time, and how many tickets it evaluated (metrics). */
  onTick?: (seconds: number, evaluated: number) => void;
  /** Injected by tests to fire the due timer themselves. */
  timers?: Timers;
  /** Runs `job` at every whole minute (node-cron); injected by tests to run the minute themselves. */
  everyMinute?: (job: () => Promise<void>) => { stop(): Promise<void> };
}

/** node-cron, one run at a time: a minute whose job is still running is skipped. */
const cronEveryMinute = (job: () => Promise<void>) => {
  const task = cron.schedule("* * * * *", job, { name: "policy-check", noOverlap: true });
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
};

export interface RunningScheduler {
  /**
   * Send what was just written, now rather than at the next poll; and look again at the next due instant.
   * A command passes the next check it stored for its ticket (null: none), which spares that look.
   */
  kick(nextCheckAt?: Date | null): void;
  /** The instant (ms) the due timer is armed for, if any. */
  readonly nextDueAt: number | undefined;
  /**
   * Evaluate due tickets now and wait until what they wrote has been sent (the terminal's `time +2h`, tests);
   * the per-minute job waits for the tick only.
   */
  tickNow(): Promise<void>;
  /** Resolves when everything kicked so far has been sent (or deferred). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A timer armed for the earliest next check runs due work at its instant; node-cron each minute is the
 * safety net; a small pump delivers the outbox. Other replicas' changes arrive by NOTIFY (and a poll).
 */
export function startScheduler(deps: SchedulerDeps): RunningScheduler {
  // Leases are owned by a token unique to this process; the replica's name is only for logs.
  let stopping = false;
  const wake = wakeAt(deps, () => dispatcher.kick());
  const token = randomUUID();
  const dispatch: DispatcherDeps = {
    pacer: new Pacer(),
    ...deps.dispatch,
    now: () => deps.now().toJSDate(),
    stopping: () => stopping,
    // A row waiting for its pace slot (or a retry) is sent at that instant, not at the next poll.
    onDeferred: (at) => wake(at.getTime()),
  };
  // Two passes may run at once, each with its own lease token: a page written while one pass is sending a
  // batch (50 ms a message, a 429's wait) is claimed by the other at once instead of after that batch.
  const dispatcher = pump(
    (lane) => dispatchDue({ leaseToken: `${token}:${lane}`, ...dispatch }),
    deps.logger,
    () => stopping,
    DISPATCH_LANES,
  );
  const ticker = pump(
    async () => {
      try {
        const started = performance.now();
        const { evaluated } = await runTick(deps.tick, deps.now());
        deps.onTick?.((performance.now() - started) / 1000, evaluated);
        // The tick moved those tickets' next checks (this process hears no NOTIFY of its own).
        if (evaluated > 0) due.rearm();
      } catch (thrown) {
        deps.logger.error({ err: coerceError(thrown) }, "scheduler tick failed");
      }
      dispatcher.kick();
    },
    deps.logger,
    () => stopping,
  );
  const tickNow = async () => {
    ticker.kick();
    await ticker.idle();
    await dispatcher.idle();
  };
  const due = new DueTimer({
    earliest: () => earliestNextCheck(deps.tick.store),
    now: () => deps.now().toMillis(),
    // The tick only: a busy outbox must not hold up the next due instant (the tick kicks the sends).
    onDue: () => {
      ticker.kick();
      return ticker.idle();
    },
    logger: deps.logger,
    ...(deps.timers ? { timers: deps.timers } : {}),
    ...(deps.speed ? { speed: deps.speed } : {}),
  });
  const unlisten = listenForChanges(deps, due, dispatcher.kick);
  // The safety net waits for the tick only. Waiting for the outbox to empty as well (tickNow) kept the job
  // running through a long delivery (a /ticket load, a burst of pages), and node-cron skipped, with a
  // warning, every minute it overlapped: no safety-net tick at all while the dispatcher was busy.
  const minutely = (deps.everyMinute ?? cronEveryMinute)(() => {
    ticker.kick();
    return ticker.idle();
  });
  // Simulated time running faster than the wall clock ticks more often, so a sim-minute stays a tick.
  const fast =
    deps.speed && deps.speed > 1
      ? setInterval(() => void tickNow(), Math.max(1_000, 60_000 / deps.speed))
      : undefined;
  fast?.unref();
  // The poll: retries that came due, and a fresh look at the earliest instant if a NOTIFY was missed.
  const timer = setInterval(() => {
    dispatcher.kick();
    due.rearm();
  }, deps.pollMs ?? 2_000);
  timer.unref();
  // A restart catches up at once: every step missed while down fires now, once, marked late.
  void tickNow().then(() => due.rearm());
  return {
    kick: (nextCheckAt) => {
      dispatcher.kick();
      due.rearm(nextCheckAt);
    },
    get nextDueAt() {
      return due.nextAt;
    },
    tickNow,
    settle: () => dispatcher.idle(),
    /** Graceful: no new tick or batch starts; the tick under way and the sends already claimed finish. */
    async stop() {
      stopping = true;
      clearInterval(timer);
      if (fast) clearInterval(fast);
      due.stop();
      await (await unlisten)();
      await minutely.stop();
      await ticker.idle();
      await dispatcher.idle();
    },
  };
}

/**
 * Calls `kick` at each instant asked for (app clock, ms): one timer armed for the earliest, re-armed for the
 * next when it fires. Instants past the first 1,000 are left to the poll.
 */
function wakeAt(deps: SchedulerDeps, kick: () => void): (at: number) => void {
  const instants = new Set<number>();
  let armed: { at: number; handle: NodeJS.Timeout } | undefined;
  const arm = () => {
    if (instants.size === 0) return;
    const at = Math.min(...instants);
    if (armed?.at === at) return;
    if (armed) clearTimeout(armed.handle);
    // +5 ms: the rows' instant must have come when the claim reads the clock.
    const ms = Math.max(0, (at - deps.now().toMillis()) / (deps.speed ?? 1)) + 5;
    const handle = setTimeout(() => {
      armed = undefined;
      const now = deps.now().toMillis();
      for (const t of instants) if (t <= now) instants.delete(t);
      kick();
      arm();
    }, ms);
    handle.unref();
    armed = { at, handle };
  };
  return (at) => {
    if (instants.size >= 1_000) return;
    instants.add(Math.ceil(at / 10) * 10);
    arm();
  };
}

/**
 * NOTIFY (triggers on Ticket and Notification): another replica's change of a next check → look again; any
 * new outbox row → send at once. This process's own changes of next checks re-arm the timer directly (the
 * commands through `kick`, the ticks after they ran), without a look at the database.
 */
async function listenForChanges(
  deps: SchedulerDeps,
  due: DueTimer,
  send: () => void,
): Promise<() => Promise<void>> {
  const store = deps.tick.store;
  try {
    const stops = await Promise.all([
      store.listen("escalator_due", () => due.rearm(), { othersOnly: true }),
      store.listen("escalator_outbox", send),
    ]);
    return async () => {
      await Promise.all(stops.map((stop) => stop()));
    };
  } catch (thrown) {
    deps.logger.warn({ err: coerceError(thrown) }, "LISTEN failed; other replicas' changes are polled");
    return async () => undefined;
  }
}

/** How many dispatcher passes run at once in one process (see startScheduler). */
export const DISPATCH_LANES = 2;

/**
 * Runs `work` whenever kicked, at most `width` runs at once (each on its own lane); a kick while every lane
 * is busy schedules one more run.
 */
function pump(
  work: (lane: number) => Promise<unknown>,
  logger: Logger,
  stopped: () => boolean = () => false,
  width = 1,
) {
  const running: (Promise<void> | undefined)[] = Array.from({ length: width }, () => undefined);
  let again = false;
  const run = (lane: number): Promise<void> =>
    work(lane)
      .then(
        () => undefined,
        (thrown) => logger.error({ err: coerceError(thrown) }, "dispatch failed"),
      )
      .then(() => {
        if (again) {
          again = false;
          return run(lane);
        }
        running[lane] = undefined;
      });
  return {
    kick() {
      if (stopped()) return;
      const free = running.indexOf(undefined);
      if (free === -1) again = true;
      else running[free] = run(free);
    },
    async idle(): Promise<void> {
      while (running.some((r) => r !== undefined)) await Promise.all(running);
    },
  };
}
