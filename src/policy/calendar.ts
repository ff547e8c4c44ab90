import Holidays from "date-holidays";
import { DateTime } from "luxon";
import { cachedZone } from "../zone.js";
import { type BusinessDayWindows, IntervalStore, type OpenWindow } from "./interval-store.js";

/** Minutes after local midnight; `to` may be 1440 (24:00) and is below `from` for overnight windows. */
export interface TimeWindow {
  from: number;
  to: number;
}

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface HolidaySource {
  country: string;
  state?: string | undefined;
  region?: string | undefined;
  /** date-holidays types; US federal holidays need "public" and "bank" (observed Veterans Day). */
  types: string[];
}

export interface CalendarSpec {
  zone: string;
  /** Windows per weekday; a window belongs to the date it starts on, like a shift on a roster. */
  hours: Partial<Record<Weekday, TimeWindow[]>>;
  holidays?: HolidaySource | undefined;
  /** Local dates (YYYY-MM-DD) closed all day, in addition to `holidays`. */
  closedDates?: string[] | undefined;
  /** Local dates with their own hours (half-days); these win over weekly hours and holidays. */
  specialHours?: { date: string; hours: TimeWindow[] }[] | undefined;
}

export interface BusinessCalendar {
  readonly zone: string;
  readonly spec: CalendarSpec;
  /** Lazily built open intervals; shared by every computation on this calendar. */
  readonly store: IntervalStore;
}

export const ALWAYS_OPEN: Partial<Record<Weekday, TimeWindow[]>> = Object.fromEntries(
  WEEKDAYS.map((day) => [day, [{ from: 0, to: 1440 }]]),
);

export function createCalendar(spec: CalendarSpec): BusinessCalendar {
  if (!DateTime.now().setZone(spec.zone).isValid) throw new Error(`unknown time zone "${spec.zone}"`);
  const hasHours = Object.values(spec.hours).some((windows) => windows && windows.length > 0);
  if (!hasHours) throw new Error("a calendar needs open hours on at least one weekday");
  const holidayDates = holidayLookup(spec);
  const special = new Map((spec.specialHours ?? []).map((s) => [s.date, s.hours]));
  const closed = new Set(spec.closedDates ?? []);
  const store = new IntervalStore((year) => buildYear(spec, year, { holidayDates, special, closed }));
  return { zone: spec.zone, spec, store };
}

interface DateRules {
  holidayDates: (year: number) => Set<string>;
  special: Map<string, TimeWindow[]>;
  closed: Set<string>;
}

/**
 * date-holidays reports each holiday as a local date string plus instants in the country's own zone;
 * only the date string is used, so a US holiday closes the same date in Denver and in New York.
 */
function holidayLookup(spec: CalendarSpec): (year: number) => Set<string> {
  const source = spec.holidays;
  if (!source) return () => new Set();
  const calendar = new Holidays(source.country, source.state ?? "", source.region ?? "", {
    types: source.types as never,
  });
  return (year) => new Set(calendar.getHolidays(year).map((h) => h.date.slice(0, 10)));
}

function buildYear(spec: CalendarSpec, year: number, rules: DateRules) {
  const holidays = rules.holidayDates(year);
  const days: BusinessDayWindows[] = [];
  const first = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: cachedZone(spec.zone) });
  const next = first.plus({ years: 1 });
  for (let date = first; date < next; date = date.plus({ days: 1 })) {
    const key = date.toISODate()!;
    const closed = holidays.has(key) || rules.closed.has(key);
    const windows = rules.special.get(key) ?? (closed ? [] : (spec.hours[WEEKDAYS[date.weekday - 1]!] ?? []));
    days.push({ windows: windows.map((w) => toInstants(date, w)).sort((a, b) => a.start - b.start) });
  }
  return { days, from: first.toMillis(), to: next.toMillis() };
}

/** Local wall-clock window on `date` to instants; DST days simply have fewer or more real minutes. */
function toInstants(date: DateTime, window: TimeWindow): OpenWindow {
  const start = atMinute(date, window.from);
  const endDate = window.to > window.from ? date : date.plus({ days: 1 });
  return { start, end: atMinute(endDate, window.to) };
}

function atMinute(date: DateTime, minute: number): number {
  if (minute >= 1440) return date.plus({ days: 1 }).toMillis();
  return date.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}

export function parseClock(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 1440 ? minutes : null;
}
