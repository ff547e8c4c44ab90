import { DateTime } from "luxon";
import { cachedZone } from "../zone.js";
import {
  addBusinessDaysMs,
  addBusinessMs,
  businessMsBetween,
  endOfNextBusinessDayMs,
  endOfSameBusinessDayMs,
} from "./business-time.js";
import type { BusinessCalendar } from "./calendar.js";
import type { Clock, Deadline, Span } from "./duration.js";
import type { Pause } from "./history.js";

/**
 * Every deadline kind becomes a budget on one clock, fixed at the start of the target. Pauses then
 * extend any kind the same way: "end of next business day" with two paused business hours ends
 * two business hours later, exactly as "24 business hours" would.
 */
export interface Budget {
  clock: Clock;
  ms: number;
}

export function budgetFor(calendar: BusinessCalendar, deadline: Deadline, start: number): Budget | null {
  switch (deadline.kind) {
    case "none":
      return null;
    case "immediate":
      return { clock: "calendar", ms: 0 };
    case "duration":
      return spanBudget(calendar, start, deadline.span);
    case "endOfCalendarDay": {
      const midnight = DateTime.fromMillis(start, { zone: cachedZone(calendar.zone) })
        .startOf("day")
        .plus({ days: 1 });
      return { clock: "calendar", ms: midnight.toMillis() - start };
    }
    case "businessDays":
      return businessBudget(calendar, start, addBusinessDaysMs(calendar, start, deadline.days));
    case "endOfSameBusinessDay":
      return businessBudget(calendar, start, endOfSameBusinessDayMs(calendar, start));
    case "endOfNextBusinessDay":
      return businessBudget(calendar, start, endOfNextBusinessDayMs(calendar, start));
  }
}

function businessBudget(calendar: BusinessCalendar, start: number, due: number): Budget {
  return { clock: "business", ms: businessMsBetween(calendar, start, due) };
}

export function addOnClock(calendar: BusinessCalendar, clock: Clock, start: number, ms: number): number {
  return clock === "business" ? addBusinessMs(calendar, start, ms) : start + ms;
}

export function betweenOnClock(calendar: BusinessCalendar, clock: Clock, a: number, b: number): number {
  return clock === "business" ? businessMsBetween(calendar, a, b) : b - a;
}

/** `start` moved by `span`: whole days keep the local time (N dates later), anything else is elapsed. */
export function addSpan(calendar: BusinessCalendar, start: number, span: Span): number {
  if (span.days !== undefined) return plusLocalDays(calendar, start, span.days);
  return addOnClock(calendar, span.clock, start, span.ms);
}

/** `end` moved back by a wall-clock `span`, the inverse of addSpan ("1 day" before an auto-resolve). */
export function subtractSpan(calendar: BusinessCalendar, end: number, span: Span): number {
  return span.days !== undefined ? plusLocalDays(calendar, end, -span.days) : end - span.ms;
}

/** A span as a budget from `start`: calendar days become the real length of those local days. */
export function spanBudget(calendar: BusinessCalendar, start: number, span: Span): Budget {
  if (span.days === undefined) return { clock: span.clock, ms: span.ms };
  return { clock: "calendar", ms: plusLocalDays(calendar, start, span.days) - start };
}

/** The real length of `span` ending at `end` (what "2 days before" takes off a budget). */
export function spanMsBefore(calendar: BusinessCalendar, end: number, span: Span): number {
  return span.days === undefined ? span.ms : end - plusLocalDays(calendar, end, -span.days);
}

function plusLocalDays(calendar: BusinessCalendar, t: number, days: number): number {
  return DateTime.fromMillis(t, { zone: cachedZone(calendar.zone) })
    .plus({ days })
    .toMillis();
}

/**
 * The instant at which `budget` has run on its clock from `start`, skipping the pauses. Null when
 * the budget is not used up before a pause that has not ended: the deadline is unknown until the
 * customer answers. Used-up exactly when a pause begins means due at that instant.
 */
export function dueAfter(
  calendar: BusinessCalendar,
  start: number,
  budget: Budget,
  pauses: Pause[],
): number | null {
  let from = start;
  let remaining = budget.ms;
  for (const pause of pauses) {
    if (remaining === 0) break;
    if (pause.end <= from) continue;
    if (pause.start > from) {
      const running = betweenOnClock(calendar, budget.clock, from, pause.start);
      if (running >= remaining) return addOnClock(calendar, budget.clock, from, remaining);
      remaining -= running;
    }
    if (!Number.isFinite(pause.end)) return null;
    from = Math.max(from, pause.end);
  }
  return addOnClock(calendar, budget.clock, from, remaining);
}
