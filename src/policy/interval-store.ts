/**
 * Open intervals of a business calendar as sorted epoch-millisecond arrays, with a running sum of
 * open time. Adding business time or measuring it is then two binary searches instead of walking
 * minutes or even days (a two-week target costs the same as a one-hour one). Years are built lazily
 * and cached, so a long-lived process pays about a millisecond per calendar year it touches.
 */

export interface OpenWindow {
  start: number;
  end: number;
}

/** One local date's open windows (already clipped by holidays and special hours). */
export interface BusinessDayWindows {
  windows: OpenWindow[];
}

export type YearBuilder = (year: number) => { days: BusinessDayWindows[]; from: number; to: number };

const DAY_MS = 86_400_000;
/** Overnight windows of the last covered day reach into the next year; keep this much margin. */
const MARGIN_MS = 2 * DAY_MS;
const MAX_YEARS = 40;
const FAR_MS = 5 * 365 * DAY_MS;

export class IntervalStore {
  private years: { year: number; days: BusinessDayWindows[]; from: number; to: number }[] = [];
  starts: number[] = [];
  ends: number[] = [];
  /** cumulative[i] = open ms before interval i; cumulative[n] = total. */
  cumulative: number[] = [0];
  dayOpens: number[] = [];
  dayCloses: number[] = [];

  constructor(private readonly buildYear: YearBuilder) {}

  /** Makes sure intervals around `t` are loaded; call for every instant before searching. */
  cover(t: number): void {
    const far =
      this.years.length > 0 && (t < this.years[0]!.from - FAR_MS || t > this.years.at(-1)!.to + FAR_MS);
    // A jump of decades starts afresh rather than building every year in between.
    if (far) this.years = [];
    if (this.years.length === 0) this.load(new Date(t).getUTCFullYear(), "append");
    while (t < this.years[0]!.from + MARGIN_MS) this.load(this.years[0]!.year - 1, "prepend");
    while (t >= this.years[this.years.length - 1]!.to - MARGIN_MS) {
      this.load(this.years[this.years.length - 1]!.year + 1, "append");
    }
  }

  /** Loads one more year at the end; false when the store already spans MAX_YEARS. */
  grow(): boolean {
    if (this.years.length >= MAX_YEARS) return false;
    this.load(this.years[this.years.length - 1]!.year + 1, "append");
    return true;
  }

  get total(): number {
    return this.cumulative[this.cumulative.length - 1]!;
  }

  /** Index of the last interval starting at or before t, or -1. */
  lastStartAtOrBefore(t: number): number {
    return lastAtOrBefore(this.starts, t);
  }

  /** Open time between the start of the store and t. */
  position(t: number): number {
    const i = this.lastStartAtOrBefore(t);
    if (i < 0) return 0;
    return this.cumulative[i]! + Math.min(t, this.ends[i]!) - this.starts[i]!;
  }

  /** The earliest instant whose position equals p (an interval's end when p lands on it exactly). */
  instantAt(p: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid + 1]! >= p) hi = mid;
      else lo = mid + 1;
    }
    return this.starts[lo]! + (p - this.cumulative[lo]!);
  }

  private load(year: number, where: "append" | "prepend"): void {
    const built = { year, ...this.buildYear(year) };
    if (where === "append") this.years.push(built);
    else this.years.unshift(built);
    this.flatten();
  }

  private flatten(): void {
    const starts: number[] = [];
    const ends: number[] = [];
    const dayOpens: number[] = [];
    const dayCloses: number[] = [];
    for (const { days } of this.years) {
      for (const { windows } of days) {
        if (windows.length === 0) continue;
        dayOpens.push(windows[0]!.start);
        dayCloses.push(Math.max(...windows.map((w) => w.end)));
        for (const w of windows) appendMerged(starts, ends, w);
      }
    }
    const cumulative = [0];
    for (let i = 0; i < starts.length; i++) cumulative.push(cumulative[i]! + ends[i]! - starts[i]!);
    Object.assign(this, { starts, ends, cumulative, dayOpens, dayCloses });
  }
}

/** Touching or overlapping windows (24x7, overnight shifts meeting morning shifts) become one. */
function appendMerged(starts: number[], ends: number[], w: OpenWindow): void {
  const last = ends.length - 1;
  if (last >= 0 && w.start <= ends[last]!) {
    ends[last] = Math.max(ends[last]!, w.end);
    return;
  }
  starts.push(w.start);
  ends.push(w.end);
}

export function lastAtOrBefore(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
