import { DateTime, Interval } from "luxon";
import type { BusinessHours } from "../../../src/oncall/model.js";

/**
 * A tiny business calendar standing in for the policy engine's: weekdays between two wall-clock
 * hours in one zone, minus listed holiday dates. Built a day at a time, like the real one.
 */
export function fakeCalendar(options: {
  zone: string;
  openHour: number;
  closeHour: number;
  holidays?: string[];
}): BusinessHours {
  const { zone, openHour, closeHour, holidays = [] } = options;
  const openIntervals = (from: DateTime, to: DateTime): Interval[] => {
    const out: Interval[] = [];
    const last = to.setZone(zone).startOf("day");
    for (let day = from.setZone(zone).startOf("day"); day <= last; day = day.plus({ days: 1 })) {
      if (day.weekday > 5 || holidays.includes(day.toISODate()!)) continue;
      const open = day.set({ hour: openHour });
      const close = day.set({ hour: closeHour });
      if (close <= from || open >= to) continue;
      out.push(Interval.fromDateTimes(open, close));
    }
    return out;
  };
  const isOpen = (t: DateTime) =>
    openIntervals(t.minus({ days: 1 }), t.plus({ days: 1 })).some((i) => i.contains(t));
  return { isOpen, openIntervals };
}

/** Denver help-desk hours, Monday to Friday 08:00–17:00 (seed 001's hours). */
export const denverHours = fakeCalendar({ zone: "America/Denver", openHour: 8, closeHour: 17 });

/** WES help-desk hours in Eastern time, with Thanksgiving 2026 as a holiday. */
export const wesHours = fakeCalendar({
  zone: "America/New_York",
  openHour: 8,
  closeHour: 17,
  holidays: ["2026-11-26"],
});

/** An instant written as local wall-clock time in a zone, e.g. at("2026-03-08T09:00", "America/Denver"). */
export function at(local: string, zone: string): DateTime {
  const t = DateTime.fromISO(local, { zone });
  if (!t.isValid) throw new Error(`bad test instant ${local}`);
  return t;
}
