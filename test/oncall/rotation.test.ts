import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Rotation } from "../../src/oncall/model.js";
import { handoffAt, rotationShiftAt, rotationShifts } from "../../src/oncall/rotation.js";
import { at } from "./support/fakeCalendar.js";

const DENVER = "America/Denver";
const NEW_YORK = "America/New_York";

function rotation(overrides: Partial<Rotation>): Rotation {
  return {
    members: ["ana", "ben", "cy"],
    shift: { every: 1, unit: "days" },
    handoff: { hour: 9, minute: 0 },
    startDate: { year: 2026, month: 3, day: 2 },
    zone: DENVER,
    ...overrides,
  };
}

const localTimes = (shifts: { start: { toFormat(f: string): string } }[]) =>
  shifts.map((s) => s.start.toFormat("ccc dd HH:mm ZZZZ"));

describe("daily rotation handoffs stay at 09:00 Denver across DST", () => {
  it("hands off at 09:00 MST before and 09:00 MDT after the 2026-03-08 spring-forward", () => {
    const shifts = rotationShifts(
      rotation({}),
      at("2026-03-06T12:00", DENVER),
      at("2026-03-10T12:00", DENVER),
    );
    expect(localTimes(shifts)).toEqual([
      "Fri 06 09:00 MST",
      "Sat 07 09:00 MST",
      "Sun 08 09:00 MDT",
      "Mon 09 09:00 MDT",
      "Tue 10 09:00 MDT",
    ]);
    // The Saturday shift spans the change, so it is 23 real hours long.
    expect(shifts[1]!.end.diff(shifts[1]!.start, "hours").hours).toBe(23);
  });

  it("hands off at 09:00 MDT before and 09:00 MST after the 2026-11-01 fall-back", () => {
    const r = rotation({ startDate: { year: 2026, month: 10, day: 26 } });
    const shifts = rotationShifts(r, at("2026-10-31T10:00", DENVER), at("2026-11-02T10:00", DENVER));
    expect(localTimes(shifts)).toEqual(["Sat 31 09:00 MDT", "Sun 01 09:00 MST", "Mon 02 09:00 MST"]);
    expect(shifts[0]!.end.diff(shifts[0]!.start, "hours").hours).toBe(25);
  });

  it("gives shifts to members in order, wrapping around", () => {
    const r = rotation({});
    const people = [2, 3, 4, 5].map((d) => rotationShiftAt(r, at(`2026-03-0${d}T10:00`, DENVER))!.person);
    expect(people).toEqual(["ana", "ben", "cy", "ana"]);
  });

  it("has no one before the rotation starts", () => {
    expect(rotationShiftAt(rotation({}), at("2026-03-02T08:59", DENVER))).toBeNull();
    expect(rotationShiftAt(rotation({}), at("2026-03-02T09:00", DENVER))?.person).toBe("ana");
  });
});

describe("weekly rotation in New York, Monday 08:00 handoff", () => {
  const weekly = rotation({
    zone: NEW_YORK,
    shift: { every: 1, unit: "weeks" },
    handoff: { hour: 8, minute: 0 },
    startDate: { year: 2026, month: 1, day: 5 },
  });

  it("keeps Monday 08:00 in the week of the March change (167 real hours)", () => {
    const shift = rotationShiftAt(weekly, at("2026-03-08T12:00", NEW_YORK))!;
    expect(shift.start.toISO()).toBe("2026-03-02T08:00:00.000-05:00");
    expect(shift.end.toISO()).toBe("2026-03-09T08:00:00.000-04:00");
    expect(shift.end.diff(shift.start, "hours").hours).toBe(167);
  });

  it("keeps Monday 08:00 in the week of the November change (169 real hours)", () => {
    const shift = rotationShiftAt(weekly, at("2026-11-01T12:00", NEW_YORK))!;
    expect(shift.start.toISO()).toBe("2026-10-26T08:00:00.000-04:00");
    expect(shift.end.toISO()).toBe("2026-11-02T08:00:00.000-05:00");
    expect(shift.end.diff(shift.start, "hours").hours).toBe(169);
  });
});

describe("custom shift lengths", () => {
  it("12-hour shifts hand off at 08:00 and 20:00 local on both DST days", () => {
    const r = rotation({ shift: { every: 12, unit: "hours" }, handoff: { hour: 8, minute: 0 } });
    const spring = rotationShifts(r, at("2026-03-07T21:00", DENVER), at("2026-03-08T21:00", DENVER));
    expect(localTimes(spring)).toEqual(["Sat 07 20:00 MST", "Sun 08 08:00 MDT", "Sun 08 20:00 MDT"]);
    const fall = rotationShifts(r, at("2026-10-31T21:00", DENVER), at("2026-11-01T21:00", DENVER));
    expect(localTimes(fall)).toEqual(["Sat 31 20:00 MDT", "Sun 01 08:00 MST", "Sun 01 20:00 MST"]);
  });

  it("a handoff inside the skipped hour happens at 03:30, the first valid time", () => {
    const r = rotation({ handoff: { hour: 2, minute: 30 } });
    expect(handoffAt(r, 6).toISO()).toBe("2026-03-08T03:30:00.000-06:00");
    expect(handoffAt(r, 7).toISO()).toBe("2026-03-09T02:30:00.000-06:00");
  });

  it("a handoff inside the repeated hour happens at its first occurrence", () => {
    const r = rotation({ handoff: { hour: 1, minute: 30 }, startDate: { year: 2026, month: 10, day: 31 } });
    expect(handoffAt(r, 1).toISO()).toBe("2026-11-01T01:30:00.000-06:00");
    // The first 01:15 (MDT) is before that handoff; the second 01:15 (MST) is after it.
    expect(rotationShiftAt(r, DateTime.fromISO("2026-11-01T01:15:00-06:00"))?.index).toBe(0);
    expect(rotationShiftAt(r, DateTime.fromISO("2026-11-01T01:15:00-07:00"))?.index).toBe(1);
  });

  it("hourly shifts stay on the hour; the shift starting at the repeated 01:00 lasts two hours", () => {
    const r = rotation({ shift: { every: 1, unit: "hours" }, handoff: { hour: 0, minute: 0 } });
    const shifts = rotationShifts(r, at("2026-11-01T00:30", DENVER), at("2026-11-01T02:30", DENVER));
    expect(localTimes(shifts)).toEqual(["Sun 01 00:00 MDT", "Sun 01 01:00 MDT", "Sun 01 02:00 MST"]);
    const secondPass = DateTime.fromISO("2026-11-01T01:30:00-07:00");
    expect(rotationShiftAt(r, secondPass)?.start.toISO()).toBe("2026-11-01T01:00:00.000-06:00");
  });
});
