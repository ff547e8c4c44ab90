import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addBusinessTime,
  businessTimeBetween,
  createCalendar,
  isOpen,
  openIntervals,
  parsePolicy,
} from "../../src/policy/index.js";
import { local, wall } from "./helpers.js";

const hm = (from: string, to: string) => {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return { from: minutes(from), to: minutes(to) };
};

describe("business calendars", () => {
  const denver = "America/Denver";
  const newYork = "America/New_York";

  it("counts 60 real minutes per business hour on the spring DST night (24x7, Denver)", () => {
    const always = parsePolicy(
      `id: a\nname: A\ncalendar: { zone: America/Denver, alwaysOpen: true }\nseverities: [{key: n, label: N}]\nchannels: [email]\nplans: [{key: s, label: S}]\ncategories: [c]\ndefaults: {severity: n, channel: email, plan: s, category: c}\ntargets: []\n`,
      "always.yaml",
    ).calendar;
    const due = addBusinessTime(always, local("2026-03-08 01:30", denver), { hours: 1 });
    expect(due.toISO()).toBe("2026-03-08T03:30:00.000-06:00");
  });

  it("gives an overnight window 7 real hours on the spring night and 9 on the autumn night", () => {
    const nights = createCalendar({ zone: newYork, hours: { sat: [hm("22:00", "06:00")] } });
    const spring = businessTimeBetween(
      nights,
      local("2026-03-07 00:00", newYork),
      local("2026-03-09 00:00", newYork),
    );
    const autumn = businessTimeBetween(
      nights,
      local("2026-10-31 00:00", newYork),
      local("2026-11-02 00:00", newYork),
    );
    expect([spring.as("hours"), autumn.as("hours")]).toEqual([7, 9]);
    expect(isOpen(nights, local("2026-03-08 03:30", newYork))).toBe(true);
    expect(wall(addBusinessTime(nights, local("2026-10-31 12:00", newYork), { hours: 9 }), newYork)).toBe(
      "Sun 2026-11-01 06:00",
    );
  });

  it("handles several windows a day, half-days and extra closed dates", () => {
    const split = createCalendar({
      zone: denver,
      hours: {
        mon: [hm("08:00", "12:00"), hm("13:00", "17:00")],
        tue: [hm("08:00", "12:00"), hm("13:00", "17:00")],
      },
      specialHours: [{ date: "2026-11-24", hours: [hm("08:00", "10:00")] }],
      closedDates: ["2026-11-30"],
    });
    expect(wall(addBusinessTime(split, local("2026-11-23 11:00", denver), { hours: 2 }), denver)).toBe(
      "Mon 2026-11-23 14:00",
    );
    // Monday 4 h left after 13:00; Tuesday is a half-day of 2 h; next Monday is closed.
    expect(wall(addBusinessTime(split, local("2026-11-23 13:00", denver), { hours: 7 }), denver)).toBe(
      "Tue 2026-12-01 09:00",
    );
    expect(
      openIntervals(split, local("2026-11-23 00:00", denver), local("2026-11-25 00:00", denver)),
    ).toHaveLength(3);
  });

  it("ends a deadline that uses up its time exactly at a close at that close", () => {
    const day = createCalendar({
      zone: denver,
      hours: { mon: [hm("08:00", "17:00")], tue: [hm("08:00", "17:00")] },
    });
    expect(wall(addBusinessTime(day, local("2026-11-23 08:00", denver), { hours: 9 }), denver)).toBe(
      "Mon 2026-11-23 17:00",
    );
    expect(
      wall(addBusinessTime(day, local("2026-11-23 08:00", denver), { hours: 9, minutes: 1 }), denver),
    ).toBe("Tue 2026-11-24 08:01");
  });

  it("closes a US holiday on the same local date in Denver and in New York", () => {
    for (const zone of [denver, newYork]) {
      const calendar = createCalendar({
        zone,
        hours: { thu: [hm("09:00", "17:00")] },
        holidays: { country: "US", types: ["public", "bank"] },
      });
      expect(isOpen(calendar, local("2026-11-26 10:00", zone))).toBe(false);
      expect(isOpen(calendar, local("2026-11-19 10:00", zone))).toBe(true);
    }
  });

  it("measures business time in either direction and returns luxon durations", () => {
    const day = createCalendar({ zone: denver, hours: { fri: [hm("08:00", "17:00")] } });
    const a = local("2026-11-20 10:00", denver);
    const b = local("2026-11-27 10:00", denver);
    expect(businessTimeBetween(day, a, b).as("hours")).toBe(9);
    expect(businessTimeBetween(day, b, a).as("hours")).toBe(-9);
    expect(addBusinessTime(day, a, Duration.fromObject({ hours: 0 })).equals(a.setZone(denver))).toBe(true);
  });
});
