import type { DateTime } from "luxon";
import cron from "node-cron";
import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";
import { type DispatcherDeps, dispatchDue } from "./dispatcher.js";
import { runTick, type TickDeps } from "./tick.js";

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
}

export interface RunningScheduler {
  /** Send what was just written, now rather than at the next poll. */
  kick(): void;
  /** Evaluate due tickets now (the per-minute job; also after the terminal's `time +2h`). */
  tickNow(): Promise<void>;
  /** Resolves when everything kicked so far has been sent (or deferred). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** node-cron each minute for the policy checks, and a small pump for outbox delivery. */
export function startScheduler(deps: SchedulerDeps): RunningScheduler {
  const dispatcher = pump(
    () => dispatchDue({ ...deps.dispatch, now: () => deps.now().toJSDate() }),
    deps.logger,
  );
  const tickNow = async () => {
    try {
      const started = performance.now();
      const { evaluated } = await runTick(deps.tick, deps.now());
      deps.onTick?.((performance.now() - started) / 1000, evaluated);
    } catch (thrown) {
      deps.logger.error({ err: coerceError(thrown) }, "scheduler tick failed");
    }
    dispatcher.kick();
    await dispatcher.idle();
  };
  // Simulated time running faster than the wall clock ticks more often, so a sim-minute stays a tick.
  const task = cron.schedule("* * * * *", tickNow, { name: "policy-check", noOverlap: true });
  const fast =
    deps.speed && deps.speed > 1
      ? setInterval(() => void tickNow(), Math.max(1_000, 60_000 / deps.speed))
      : undefined;
  fast?.unref();
  const timer = setInterval(() => dispatcher.kick(), deps.pollMs ?? 2_000);
  timer.unref();
  // A restart catches up at once: every step missed while down fires now, once, marked late.
  void tickNow();
  return {
    kick: () => dispatcher.kick(),
    tickNow,
    settle: () => dispatcher.idle(),
    async stop() {
      clearInterval(timer);
      if (fast) clearInterval(fast);
      await task.stop();
      await task.destroy();
      await dispatcher.idle();
    },
  };
}

/** Runs `work` whenever kicked, never twice at once; a kick during a run schedules one more run. */
function pump(work: () => Promise<unknown>, logger: Logger) {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> =>
    work()
      .then(
        () => undefined,
        (thrown) => logger.error({ err: coerceError(thrown) }, "dispatch failed"),
      )
      .then(() => {
        if (again) {
          again = false;
          return run();
        }
        running = undefined;
      });
  return {
    kick() {
      if (running) again = true;
      else running = run();
    },
    idle: () => running ?? Promise.resolve(),
  };
}
