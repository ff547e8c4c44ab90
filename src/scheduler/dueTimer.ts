import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";

/** The timer functions, injected so tests can fire a timer themselves instead of waiting for it. */
export interface Timers {
  set(fire: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set(fire, ms) {
    const handle = setTimeout(fire, ms);
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DueTimerDeps {
  /** The earliest instant any ticket needs a look (null: none). */
  earliest: () => Promise<Date | null>;
  /** The app clock, in milliseconds (simulated time in the terminal and in tests). */
  now: () => number;
  /** Runs the due work; the timer is re-armed when it settles. */
  onDue: () => Promise<void>;
  logger: Logger;
  timers?: Timers;
  /** How much faster than the wall clock `now` runs. */
  speed?: number;
  /** The longest single wait: beyond it the timer takes a fresh look (the per-minute cron is the net). */
  maxWaitMs?: number;
}

/**
 * Keeps one timer armed for the earliest next check, so due work runs at its instant rather than at the
 * next whole minute. `rearm` is called whenever that instant may have moved (a command, a tick, another
 * replica's NOTIFY, a poll); looks never overlap, and the timer never fires while due work is running.
 */
export class DueTimer {
  private handle: unknown;
  private armedFor: number | undefined;
  private busy = false;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: DueTimerDeps) {}

  /** The instant (ms) the timer is armed for, if any. */
  get nextAt(): number | undefined {
    return this.armedFor;
  }

  rearm(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.look();
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private async look(): Promise<void> {
    try {
      this.arm(await this.deps.earliest());
    } catch (thrown) {
      this.deps.logger.warn({ err: coerceError(thrown) }, "could not read the next due instant");
    }
    this.settle();
  }

  private settle(): void {
    this.busy = false;
    if (this.again) {
      this.again = false;
      this.rearm();
    }
  }

  private arm(next: Date | null): void {
    if (this.stopped) return;
    const target = next?.getTime();
    if (target !== undefined && target === this.armedFor && this.handle !== undefined) return;
    this.disarm();
    if (target === undefined) return;
    const timers = this.deps.timers ?? realTimers;
    // +1 ms: a timer may fire a hair before the clock reads the instant; then the tick would find nothing.
    const wait = Math.max(0, (target - this.deps.now()) / (this.deps.speed ?? 1)) + 1;
    // A long wait is taken in steps, each ending with a fresh look (a clock jump, a missed NOTIFY).
    this.armedFor = target;
    this.handle = timers.set(() => this.fire(target), Math.min(wait, this.deps.maxWaitMs ?? 60_000));
  }

  private disarm(): void {
    if (this.handle !== undefined) (this.deps.timers ?? realTimers).clear(this.handle);
    this.handle = undefined;
    this.armedFor = undefined;
  }

  private fire(target: number): void {
    this.handle = undefined;
    this.armedFor = undefined;
    if (this.deps.now() < target) {
      this.rearm();
      return;
    }
    if (this.stopped || this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.deps
      .onDue()
      .catch((thrown) => this.deps.logger.error({ err: coerceError(thrown) }, "due work failed"))
      .finally(() => {
        this.again = true; // what the work changed decides the next instant
        this.settle();
      });
  }
}
