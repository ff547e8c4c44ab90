import { DateTime, type Duration } from "luxon";

/** The only clock in the app. Domain code never reads time itself; it is handed `now`. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.now() };

/**
 * Simulated time for the terminal chat: starts at `start`, runs `speed` times faster than the wall clock,
 * and can be moved forward (`time +2h`) so a policy can be watched playing out in seconds.
 */
export class SimulatedClock implements Clock {
  private base: DateTime;
  private realBase: number;

  constructor(
    start: DateTime,
    readonly speed = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    this.base = start;
    this.realBase = realNow();
  }

  now(): DateTime {
    return this.base.plus({ milliseconds: (this.realNow() - this.realBase) * this.speed });
  }

  advance(by: Duration): DateTime {
    if (by.toMillis() < 0) throw new Error("time only moves forward");
    return this.setTo(this.now().plus(by));
  }

  setTo(instant: DateTime): DateTime {
    if (instant < this.now()) throw new Error("time only moves forward");
    this.base = instant;
    this.realBase = this.realNow();
    return instant;
  }
}
