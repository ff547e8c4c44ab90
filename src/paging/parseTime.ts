import { DateTime } from "luxon";

/**
 * Times typed in chat ("until Sunday 18:00"), read in the asker's zone relative to `now`:
 * `+8h`, `+1h30m`, `+2d`, `in 45 minutes`; `18:00` or `6pm` (the next time the clock shows it);
 * `today 18:00`, `tonight 22:00`, `tomorrow 08:00`; `Sunday 18:00` or `sun 6pm` (the next such day,
 * today if the time is still ahead); `2026-11-29 18:00` or `2026-11-29T18:00`. Anything else, a date
 * without a time, a time the clocks skip (DST) or a time already past is refused with a message
 * saying what to type.
 */

export type ParsedTime = { ok: true; at: DateTime } | { ok: false; error: string };

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Covers reach at most a year ahead; anything further is a typo (and past what dates can hold). */
const MAX_DAYS_AHEAD = 366;

export function timeExamples(zone: string): string {
  return `Try \`Sunday 18:00\`, \`tomorrow 08:00\`, \`2026-11-29 18:00\` or \`+8h\` (times are in ${zone}).`;
}

function refuse(text: string, zone: string): ParsedTime {
  return { ok: false, error: `I could not read "${text}" as a time. ${timeExamples(zone)}` };
}

export function parseChatTime(input: string, now: DateTime, zone: string): ParsedTime {
  const text = input.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  const local = now.setZone(zone);
  const result = relative(lower, local) ?? isoDate(lower, text, zone) ?? dayAndTime(lower, local, text, zone);
  if (!result) return refuse(text, zone);
  if (!result.ok) return result;
  if (!result.at.isValid || result.at.toMillis() > now.plus({ days: MAX_DAYS_AHEAD }).toMillis()) {
    return { ok: false, error: `"${text}" is more than a year ahead. ${timeExamples(zone)}` };
  }
  if (result.at.toMillis() <= now.toMillis()) {
    const when = result.at.setLocale("en-US").toFormat("ccc d LLL yyyy HH:mm ZZZZ");
    return { ok: false, error: `${when} has already passed. Pick a later time. ${timeExamples(zone)}` };
  }
  return result;
}

/** `+8h`, `+1h30m`, `+2d`, `in 45 minutes`, `in 2 hours`. */
function relative(lower: string, local: DateTime): ParsedTime | null {
  const words = /^in (\d+) ?(m|mins?|minutes?|h|hrs?|hours?|d|days?)$/.exec(lower);
  if (words) {
    const unit = words[2]![0] as keyof typeof UNIT_MS;
    return { ok: true, at: local.plus({ milliseconds: Number(words[1]) * UNIT_MS[unit] }) };
  }
  if (!/^\+ ?(\d+ ?[dhm] ?)+$/.test(lower)) return null;
  let ms = 0;
  for (const [, amount, unit] of lower.matchAll(/(\d+) ?([dhm])/g)) {
    ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  // Whole days are calendar days, so "+1d" across a DST change keeps the wall-clock time.
  const days = Math.floor(ms / UNIT_MS.d);
  return { ok: true, at: local.plus({ days }).plus({ milliseconds: ms - days * UNIT_MS.d }) };
}

/** `2026-11-29 18:00`, `2026-11-29T18:00`; a date alone is refused (which hour of it?). */
function isoDate(lower: string, text: string, zone: string): ParsedTime | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](.+))?$/.exec(lower);
  if (!match) return null;
  const [, year, month, day, timeText] = match;
  if (!timeText) {
    return { ok: false, error: `"${text}" has no time of day. Add one, e.g. \`${text} 18:00\`.` };
  }
  const time = clockTime(timeText);
  if (!time) return refuse(text, zone);
  const date = DateTime.fromObject({ year: Number(year), month: Number(month), day: Number(day) }, { zone });
  if (!date.isValid) {
    return { ok: false, error: `There is no date ${year}-${month}-${day}. ${timeExamples(zone)}` };
  }
  return atWallClock(date, time, text, zone);
}

/** `18:00`, `today 18:00`, `tonight 22:00`, `tomorrow 08:00`, `Sunday 18:00`, `sun 6pm`. */
function dayAndTime(lower: string, local: DateTime, text: string, zone: string): ParsedTime | null {
  const match = /^(?:([a-z]+) )?(.+)$/.exec(lower);
  const time = match && clockTime(match[2]!);
  if (!match || !time) {
    if (WEEKDAYS.some((d) => lower === d || lower === d.slice(0, 3)) || lower === "tomorrow") {
      return { ok: false, error: `"${text}" has no time of day. Add one, e.g. \`${text} 18:00\`.` };
    }
    return null;
  }
  const dayWord = match[1];
  const today = local.startOf("day");
  if (!dayWord) {
    const at = atWallClock(today, time, text, zone);
    if (at?.ok && at.at.toMillis() <= local.toMillis())
      return atWallClock(today.plus({ days: 1 }), time, text, zone);
    return at;
  }
  if (dayWord === "today" || dayWord === "tonight") return atWallClock(today, time, text, zone);
  if (dayWord === "tomorrow") return atWallClock(today.plus({ days: 1 }), time, text, zone);
  const weekday = WEEKDAYS.findIndex((d) => d === dayWord || d.slice(0, 3) === dayWord) + 1;
  if (weekday === 0) return null;
  const ahead = (weekday - local.weekday + 7) % 7;
  const first = atWallClock(today.plus({ days: ahead }), time, text, zone);
  if (ahead === 0 && first?.ok && first.at.toMillis() <= local.toMillis()) {
    return atWallClock(today.plus({ days: 7 }), time, text, zone);
  }
  return first;
}

/** `18:00`, `8:05`, `6pm`, `6:30 pm`, `12am` → hour and minute; null if it is not a clock time. */
export function clockTime(text: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2})(?:[:.h](\d{2}))? ?(am|pm)?$/.exec(text.trim());
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const meridiem = match[3];
  if (!meridiem && match[2] === undefined) return null; // "18" alone is too unclear
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/** That wall-clock time on that local day; refused when the clocks skip it (spring forward). */
function atWallClock(
  day: DateTime,
  time: { hour: number; minute: number },
  text: string,
  zone: string,
): ParsedTime {
  const at = day.set(time);
  if (at.hour !== time.hour || at.minute !== time.minute) {
    const date = day.setLocale("en-US").toFormat("ccc d LLL yyyy");
    const clock = `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
    return {
      ok: false,
      error: `${clock} does not exist on ${date} in ${zone}: the clocks go forward then. Pick another time than "${text}".`,
    };
  }
  return { ok: true, at };
}
