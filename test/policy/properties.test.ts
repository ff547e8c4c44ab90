import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addBusinessMs, businessMsBetween, isOpenMs } from "../../src/policy/business-time.js";
import { createCalendar } from "../../src/policy/index.js";
import { seedPolicy } from "./helpers.js";

const overnight = createCalendar({
  zone: "America/New_York",
  hours: {
    mon: [
      { from: 480, to: 720 },
      { from: 780, to: 1020 },
    ],
    wed: [{ from: 1320, to: 360 }],
    sat: [{ from: 0, to: 1440 }],
  },
  holidays: { country: "US", types: ["public", "bank"] },
});
const calendars = [
  ["WorkEasy (per-weekday hours, Eastern)", seedPolicy("workeasy").calendar],
  ["WETx (Mountain, holidays)", seedPolicy("wetx").calendar],
  ["split, overnight and all-day windows", overnight],
] as const;

// Instants from 2026 to 2029 (several DST changes and observed holidays), durations up to 300 hours.
const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2029, 0, 1) });
const duration = fc.integer({ min: 0, max: 300 * 3_600_000 });

describe.each(calendars)("business-time properties: %s", (_name, calendar) => {
  it("adding a duration and measuring it back gives the duration", () => {
    fc.assert(
      fc.property(instant, duration, (start, ms) => {
        expect(businessMsBetween(calendar, start, addBusinessMs(calendar, start, ms))).toBe(ms);
      }),
    );
  });

  it("is monotonic in the start and in the duration", () => {
    fc.assert(
      fc.property(instant, instant, duration, duration, (a, b, d1, d2) => {
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        const [m1, m2] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addBusinessMs(calendar, s1, m1)).toBeLessThanOrEqual(addBusinessMs(calendar, s2, m1));
        expect(addBusinessMs(calendar, s1, m1)).toBeLessThanOrEqual(addBusinessMs(calendar, s1, m2));
      }),
    );
  });

  it("puts every deadline inside an open interval or at its end", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 300 * 3_600_000 }), (start, ms) => {
        const due = addBusinessMs(calendar, start, ms);
        expect(isOpenMs(calendar, due - 1)).toBe(true);
      }),
    );
  });
});
