import { DateTime, Duration, type DurationLike } from "luxon";
import { cachedZone } from "../zone.js";
import type { BusinessCalendar } from "./calendar.js";
import { lastAtOrBefore } from "./interval-store.js";

/**
 * Business-time arithmetic on epoch milliseconds (the engine's internal form) and the luxon
 * wrappers other modules use. Everything is interval arithmetic: a business hour is 60 real
 * minutes, so an 8-hour day that spans a DST change still holds exactly 8 business hours.
 */

export function addBusinessMs(calendar: BusinessCalendar, start: number, ms: number): number {
  if (ms < 0) throw new RangeError("business time to add must not be negative");
  if (ms === 0) return start;
  const store = calendar.store;
  store.cover(start);
  const target = store.position(start) + ms;
  while (store.total < target) {
    if (!store.grow()) throw new RangeError("the calendar has no open hours within 40 years");
  }
  return store.instantAt(target);
}

export function businessMsBetween(calendar: BusinessCalendar, a: number, b: number): number {
  if (b < a) return -businessMsBetween(calendar, b, a);
  const store = calendar.store;
  store.cover(a);
  store.cover(b);
  return store.position(b) - store.position(a);
}

export function isOpenMs(calendar: BusinessCalendar, t: number): boolean {
  const store = calendar.store;
  store.cover(t);
  const i = store.lastStartAtOrBefore(t);
  return i >= 0 && t < store.ends[i]!;
}

export function openIntervalsMs(calendar: BusinessCalendar, from: number, to: number): [number, number][] {
  const store = calendar.store;
  store.cover(from);
  store.cover(to);
  const result: [number, number][] = [];
  for (let i = Math.max(0, store.lastStartAtOrBefore(from)); i < store.starts.length; i++) {
    const start = Math.max(from, store.starts[i]!);
    const end = Math.min(to, store.ends[i]!);
    if (store.starts[i]! >= to) break;
    if (end > start) result.push([start, end]);
  }
  return result;
}

/** Close of the first business day that opens after t ("the next Business Day"). */
export function endOfNextBusinessDayMs(calendar: BusinessCalendar, t: number): number {
  return calendar.store.dayCloses[nextDayIndex(calendar, t)]!;
}

/** Close of the business day in progress at t, or of the next one when t is outside any. */
export function endOfSameBusinessDayMs(calendar: BusinessCalendar, t: number): number {
  const store = calendar.store;
  store.cover(t);
  const i = lastAtOrBefore(store.dayOpens, t);
  if (i >= 0 && t < store.dayCloses[i]!) return store.dayCloses[i]!;
  return endOfNextBusinessDayMs(calendar, t);
}

/**
 * "N business days": the same point of the business day, N business days later. Received before
 * opening (or at it), the day of receipt counts as the first day, so it ends at that day's close
 * rather than at the next day's opening; the two are equal in business time.
 */
export function addBusinessDaysMs(calendar: BusinessCalendar, t: number, days: number): number {
  const store = calendar.store;
  const begin = addBusinessMs(calendar, t, 1) - 1; // first open instant at or after t
  store.cover(begin);
  const today = lastAtOrBefore(store.dayOpens, begin);
  // Measured on the store directly: covering again could prepend a year and shift the indexes.
  const offset = store.position(begin) - store.position(store.dayOpens[today]!);
  const target = dayIndexAt(calendar, today + (offset === 0 ? days - 1 : days));
  if (offset === 0) return store.dayCloses[target]!;
  const due = addBusinessMs(calendar, store.dayOpens[target]!, offset);
  return Math.min(due, store.dayCloses[target]!);
}

function nextDayIndex(calendar: BusinessCalendar, t: number): number {
  const store = calendar.store;
  store.cover(t);
  return dayIndexAt(calendar, lastAtOrBefore(store.dayOpens, t) + 1);
}

/** Loads more years until business day `index` exists (indexes stay valid: years are appended). */
function dayIndexAt(calendar: BusinessCalendar, index: number): number {
  const store = calendar.store;
  while (index >= store.dayOpens.length) {
    if (!store.grow()) throw new RangeError("the calendar has no business days within 40 years");
  }
  return index;
}

// Luxon wrappers: the public face of the calendar, results in the calendar's zone.

export function addBusinessTime(
  calendar: BusinessCalendar,
  start: DateTime,
  duration: DurationLike,
): DateTime {
  const ms = Duration.fromDurationLike(duration).toMillis();
  return DateTime.fromMillis(addBusinessMs(calendar, start.toMillis(), ms), {
    zone: cachedZone(calendar.zone),
  });
}

export function businessTimeBetween(calendar: BusinessCalendar, a: DateTime, b: DateTime): Duration {
  return Duration.fromMillis(businessMsBetween(calendar, a.toMillis(), b.toMillis()));
}

export function isOpen(calendar: BusinessCalendar, t: DateTime): boolean {
  return isOpenMs(calendar, t.toMillis());
}

export interface OpenInterval {
  start: DateTime;
  end: DateTime;
}

/** Open intervals clipped to [from, to); the on-call layer uses this to find after-hours gaps. */
export function openIntervals(calendar: BusinessCalendar, from: DateTime, to: DateTime): OpenInterval[] {
  return openIntervalsMs(calendar, from.toMillis(), to.toMillis()).map(([start, end]) => ({
    start: DateTime.fromMillis(start, { zone: cachedZone(calendar.zone) }),
    end: DateTime.fromMillis(end, { zone: cachedZone(calendar.zone) }),
  }));
}
