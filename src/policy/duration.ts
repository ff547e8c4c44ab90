/**
 * Durations and deadline kinds as policy authors write them ("4h", "24 business hours",
 * "end of next business day"). The clock is explicit: the word "business" puts a duration on the
 * business calendar, anything else runs on the wall clock. Seed readings depend on that choice, so
 * it is never inferred.
 */

export type Clock = "business" | "calendar";

/**
 * A length of time on one clock, in real milliseconds (a business hour is 60 real minutes). Day and
 * week units are calendar days in the policy's zone: `days` says how many local dates to move (the
 * same wall-clock time N dates later, 23 or 25 real hours across a DST switch); `ms` is then only
 * the nominal length (24 h a day), used where a span is compared with another.
 */
export interface Span {
  clock: Clock;
  ms: number;
  days?: number | undefined;
  text: string;
}

export type Deadline =
  | { kind: "duration"; span: Span; text: string }
  | { kind: "businessDays"; days: number; text: string }
  | { kind: "endOfCalendarDay"; text: string }
  | { kind: "endOfSameBusinessDay"; text: string }
  | { kind: "endOfNextBusinessDay"; text: string }
  | { kind: "immediate"; text: string }
  | { kind: "none"; text: string };

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = {
  m: MINUTE,
  min: MINUTE,
  mins: MINUTE,
  minute: MINUTE,
  minutes: MINUTE,
  h: 60 * MINUTE,
  hour: 60 * MINUTE,
  hours: 60 * MINUTE,
  d: 24 * 60 * MINUTE,
  day: 24 * 60 * MINUTE,
  days: 24 * 60 * MINUTE,
  w: 7 * 24 * 60 * MINUTE,
  week: 7 * 24 * 60 * MINUTE,
  weeks: 7 * 24 * 60 * MINUTE,
};

const DURATION = /^(-?\d+(?:\.\d+)?)\s*(business\s+)?([a-z]+)$/;

export const DURATION_HINT = 'expected a duration like "4h", "30m", "24 business hours" or "72 hours"';
export const DEADLINE_HINT =
  'expected a duration like "4h" or "3 business days", or one of "immediate", "none", ' +
  '"end of calendar day", "end of business day", "end of next business day"';

/** Parses "4h", "-30m", "24 business hours"; business days are not a span (see parseDeadline). */
export function parseSpan(text: string): Span | null {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (!match) return null;
  const [, amount, business, unit] = match;
  const unitMs = UNIT_MS[unit ?? ""];
  if (unitMs === undefined) return null;
  // "2 business days" has no fixed length when hours differ per weekday: it is a deadline kind.
  if (business && unitMs >= UNIT_MS.d!) return null;
  const ms = Math.round(Number(amount) * unitMs);
  const days = ms / UNIT_MS.d!;
  // Whole days are local dates; a fraction of a day ("1.5d") is elapsed time, like hours.
  if (unitMs >= UNIT_MS.d! && Number.isInteger(days)) return { clock: "calendar", ms, days, text };
  return { clock: business ? "business" : "calendar", ms, text };
}

const NAMED_DEADLINES: Record<string, Deadline["kind"]> = {
  immediate: "immediate",
  immediately: "immediate",
  none: "none",
  "no sla": "none",
  "end of calendar day": "endOfCalendarDay",
  "end of business day": "endOfSameBusinessDay",
  "end of same business day": "endOfSameBusinessDay",
  "end of next business day": "endOfNextBusinessDay",
};

export function parseDeadline(text: string): Deadline | null {
  const normalized = text.trim().toLowerCase().replace(/\s+/g, " ");
  const named = NAMED_DEADLINES[normalized];
  if (named === "immediate" || named === "none") return { kind: named, text };
  if (named) return { kind: named, text } as Deadline;
  const days = /^(\d+) business days?$/.exec(normalized);
  if (days) return Number(days[1]) > 0 ? { kind: "businessDays", days: Number(days[1]), text } : null;
  const span = parseSpan(normalized);
  if (!span || span.ms < 0) return null;
  return { kind: "duration", span: { ...span, text }, text };
}
