import { bench, describe } from "vitest";
import { ladderState, loadScheduleFile, shifts, whoIsOnCall } from "../src/oncall/index.js";
import { at, wesHours } from "../test/oncall/support/fakeCalendar.js";

// Run with `npx vitest bench bench/oncall.bench.ts`. The scheduler asks "who is on call" for each
// page and the iCal route flattens months at a time; both must stay well under a tick. Measured here
// (2 shared cores, test calendar built with luxon Intervals): whoIsOnCall ≈ 2 ms, a year of WES
// shifts ≈ 45 ms, a three-round ladder ≈ 15 ms. Most of it is the calendar's open intervals.
const NY = "America/New_York";
const wes = loadScheduleFile("policies/oncall/wes.yaml");
const ctx = { businessHours: wesHours };
const saturday = at("2026-03-07T22:00", NY);

describe("on-call", () => {
  bench("whoIsOnCall (WES, after hours)", () => {
    whoIsOnCall(wes, saturday, ctx);
  });
  bench("shifts over a year (WES)", () => {
    shifts(wes, saturday, saturday.plus({ years: 1 }), ctx);
  });
  bench("ladderState after three rounds", () => {
    ladderState(
      wes.ladder!,
      saturday,
      {},
      saturday.plus({ hours: 4 }),
      (_id, t) => whoIsOnCall(wes, t, ctx).target,
    );
  });
});
