import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

/** Acks slower than this (ms, from reading the request to the answer written) count as slow: the goal. */
const SLOW_ACK_MS = 50;
/** The share of slow acks in a period that backs the work off (the goal is a p99). */
const SLOW_SHARE = 0.01;
/** Event-loop delay (p99 over one period, ms) above which work is backed off, and below which it grows. */
const LAG_HIGH_MS = 50;
const LAG_LOW_MS = 20;

/**
 * How many acknowledged requests the intake worker may carry out at once right now: acks come first. Every
 * period (250 ms) in which requests arrived, the limit is halved when 1 % of them took over 50 ms or the
 * event loop lagged over 50 ms (the process or the machine is short of CPU), and grows by one when neither
 * happened, up to `max` and never below 1, so the queue always moves; in a period without requests it
 * grows (nothing to protect). Past the rate the machine sustains, the work slows and the queue grows in
 * the database while acks stay fast. Measured on 2 cores shared with other work (load 10-15), 100/s for
 * 20 s: a fixed 8 at once, acks waited seconds behind ticket work; this throttle, p99 0.3-0.6 s and none
 * late, while backing off by a quarter only at 5 % slow gave p99 2.7 s.
 */
export class IntakeThrottle {
  private current: number;
  private slow = 0;
  private requests = 0;
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private timer: NodeJS.Timeout | undefined;
  private lagMatters = true;

  constructor(
    private readonly max: number,
    /** Called when the limit grows, so the worker claims more at once. */
    private readonly grew: () => void = () => undefined,
    private readonly periodMs = 250,
  ) {
    this.current = max;
  }

  get limit(): number {
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    if (this.lagMatters) this.lag.enable();
    this.timer = setInterval(() => this.adjust(this.lag.percentile(99) / 1e6), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.lag.disable();
  }

  /** One request of a chat platform answered after `ms`. */
  answered(ms: number): void {
    this.requests++;
    if (ms > SLOW_ACK_MS) this.slow++;
  }

  /**
   * Acks are answered in another thread (the front door): this event loop's lag no longer delays them, so
   * only slow acks (the machine short of CPU) back the work off.
   */
  acksApart(): void {
    this.lagMatters = false;
    this.lag.disable();
  }

  /** One period's verdict (exported for tests: `lagMs` is the event loop's p99 delay over the period). */
  adjust(lagMs: number): void {
    if (!this.lagMatters) lagMs = 0;
    const asked = this.requests > 0;
    const slow = this.slow >= Math.max(1, this.requests * SLOW_SHARE);
    const pressed = asked && (slow || lagMs > LAG_HIGH_MS);
    const calm = !asked || (this.slow === 0 && lagMs < LAG_LOW_MS);
    this.slow = 0;
    this.requests = 0;
    this.lag.reset();
    if (pressed) this.current = Math.max(1, Math.floor(this.current / 2));
    else if (calm && this.current < this.max) {
      this.current++;
      this.grew();
    }
  }
}
