import { DateTime } from "luxon";
import { inZone, zoneNamed } from "../zone.js";
import type { BusinessHours, OnCallContext, Restriction, Schedule, Span } from "./model.js";
import { clipSpan, complementSpans, unionSpans } from "./spans.js";

export class MissingBusinessHoursError extends Error {
  constructor(scheduleName: string) {
    super(
      `schedule "${scheduleName}" has an afterHours or businessHours restriction, ` +
        "but no business calendar was given (pass ctx.businessHours)",
    );
    this.name = "MissingBusinessHoursError";
  }
}

/** Whose calendar a restriction reads: the schedule's own when it has one, else the context's. */
export type CalendarOwner = Pick<Schedule, "name" | "businessHours">;

function requireCalendar(ctx: OnCallContext, owner: CalendarOwner): BusinessHours {
  const calendar = owner.businessHours ?? ctx.businessHours;
  if (!calendar) throw new MissingBusinessHoursError(owner.name);
  return calendar;
}

export function openSpans(calendar: BusinessHours, from: DateTime, to: DateTime): Span[] {
  const spans: Span[] = [];
  for (const interval of calendar.openIntervals(from, to)) {
    if (!interval.start || !interval.end) continue;
    const clipped = clipSpan({ start: interval.start, end: interval.end }, from, to);
    if (clipped) spans.push(clipped);
  }
  return unionSpans(spans);
}

function wallClockOn(day: DateTime, minuteOfDay: number, zone: string): DateTime {
  // 24:00 is the next day's midnight; building it from fields keeps DST days correct.
  const date = minuteOfDay >= 1440 ? day.plus({ days: 1 }) : day;
  const minutes = minuteOfDay % 1440;
  const { year, month, day: dayOfMonth } = date;
  return DateTime.fromObject(
    { year, month, day: dayOfMonth, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: zoneNamed(zone) },
  );
}

type WeeklyRestriction = Extract<Restriction, { kind: "weekly" }>;

/** Occurrences of a weekly window overlapping [from, to), one local day at a time (never minutes). */
export function weeklyWindowSpans(
  window: WeeklyRestriction,
  zone: string,
  from: DateTime,
  to: DateTime,
): Span[] {
  const spans: Span[] = [];
  const last = inZone(to, zone).startOf("day");
  // Start a day early: yesterday's overnight window may still be open at `from`.
  for (
    let day = inZone(from, zone).startOf("day").minus({ days: 1 });
    day <= last;
    day = day.plus({ days: 1 })
  ) {
    if (!(window.days as readonly number[]).includes(day.weekday)) continue;
    const overnight = window.toMinute <= window.fromMinute;
    const start = wallClockOn(day, window.fromMinute, zone);
    const end = wallClockOn(overnight ? day.plus({ days: 1 }) : day, window.toMinute, zone);
    const clipped = clipSpan({ start, end }, from, to);
    if (clipped) spans.push(clipped);
  }
  return spans;
}

function restrictionSpans(
  restriction: Restriction,
  zone: string,
  from: DateTime,
  to: DateTime,
  calendar: () => BusinessHours,
): Span[] {
  switch (restriction.kind) {
    case "businessHours":
      return openSpans(calendar(), from, to);
    case "afterHours":
      return complementSpans(openSpans(calendar(), from, to), from, to);
    case "weekly":
      return weeklyWindowSpans(restriction, zone, from, to);
  }
}

/** Where a layer with these restrictions may put someone on call within [from, to). */
export function allowedSpans(
  only: readonly Restriction[],
  zone: string,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext,
  owner: CalendarOwner,
): Span[] {
  if (only.length === 0) return [{ start: from, end: to }];
  const calendar = () => requireCalendar(ctx, owner);
  return unionSpans(only.flatMap((r) => restrictionSpans(r, zone, from, to, calendar)));
}

/** The part of [from, to) that a schedule promises to cover with a person. */
export function coverageSpans(
  schedule: Pick<Schedule, "mustCover" | "zone" | "name" | "businessHours">,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext,
): Span[] {
  if (schedule.mustCover === "always") return [{ start: from, end: to }];
  return allowedSpans(schedule.mustCover, schedule.zone, from, to, ctx, schedule);
}
