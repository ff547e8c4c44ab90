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
 * A command of this process says which instant it stored (`rearm(hint)`): that needs no look at the
 * database while a timer is armed, since only an earlier instant can change what the timer must do.
 */
export class DueTimer {
  private handle: unknown;
  private armedFor: number | undefined;
  private busy = false;
  private again = false;
  private stopped = false;
  /** The earliest instant hinted while a look or due work was under way: the next look arms for it too. */
  private hinted: number | undefined;

  constructor(private readonly deps: DueTimerDeps) {}

  /** The instant (ms) the timer is armed for, if any. */
  get nextAt(): number | undefined {
    return this.armedFor;
  }

  /**
   * Looks again at the earliest next check. With `hint`, the next check one ticket was just given by this
   * process (null: none): a timer armed for that instant or earlier stays as it is, one armed later is moved
   * to it, both without a look; with nothing armed the database is read. The ticket's earlier instant, if it
   * had one, may still be armed: the timer fires, the tick finds nothing, and the look after it re-arms.
   */
  rearm(hint?: Date | null): void {
    if (this.stopped) return;
    const at = hint === undefined ? undefined : (hint?.getTime() ?? Number.POSITIVE_INFINITY);
    if (this.busy) {
      if (at === undefined) this.again = true;
      else this.hinted = Math.min(at, this.hinted ?? at);
      return;
    }
    if (at !== undefined && this.armedFor !== undefined && this.handle !== undefined) {
      if (at < this.armedFor) this.arm(at);
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
    let next: number | undefined;
    try {
      next = (await this.deps.earliest())?.getTime() ?? Number.POSITIVE_INFINITY;
    } catch (thrown) {
      this.deps.logger.warn({ err: coerceError(thrown) }, "could not read the next due instant");
    }
    // A hint that came during the look may be newer than what the look read.
    const hinted = this.takeHint();
    if (next !== undefined) this.arm(Math.min(next, hinted));
    else if (hinted < (this.armedFor ?? Number.POSITIVE_INFINITY)) this.arm(hinted);
    this.settle();
  }

  private settle(): void {
    this.busy = false;
    if (this.again) {
      this.again = false;
      this.rearm();
    }
  }

  private takeHint(): number {
    const hinted = this.hinted ?? Number.POSITIVE_INFINITY;
    this.hinted = undefined;
    return hinted;
  }

  /** Arms for `target` (ms; Infinity: nothing to arm for). */
  private arm(target: number): void {
    if (this.stopped) return;
    if (target === this.armedFor && this.handle !== undefined) return;
    this.disarm();
    if (!Number.isFinite(target)) return;
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
