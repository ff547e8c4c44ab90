import fc from "fast-check";
import type { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { OnCallMemo } from "../../src/oncall/memo.js";
import type { OnCallContext, Schedule } from "../../src/oncall/model.js";
import { addOverride } from "../../src/oncall/overrides.js";
import { type OnCallNow, whoIsOnCall } from "../../src/oncall/queries.js";
import { loadScheduleFile, parseSchedule } from "../../src/oncall/scheduleFile.js";
import { at, denverHours, wesHours } from "./support/fakeCalendar.js";

// WES in the week of Thanksgiving 2026: chen has the after-hours week until Monday 30 Nov 08:00, then dana.
const NY = "America/New_York";
const DENVER = "America/Denver";
const wes = loadScheduleFile("policies/oncall/wes.yaml");
const wesCtx: OnCallContext = { businessHours: wesHours };
/** No business calendar (the memo keys on the context object, so one object for all asks). */
const none: OnCallContext = {};

/** Six-week shifts: a segment longer than whoIsOnCall's look-around, so some answers are cut at it. */
const sixWeeks = parseSchedule(
  `id: long
name: Long shifts
zone: America/Denver
layers:
  - name: primary
    rotation: { members: [ana, ben], shift: { every: 6, unit: weeks }, handoff: "09:00", start: "2026-01-05" }
`,
  "long.yaml",
);

/** Daily 09:00 Denver handoffs, across the spring-forward Sunday. */
const daily = parseSchedule(
  `id: desk
name: Desk
zone: America/Denver
layers:
  - name: primary
    rotation: { members: [ana, ben], shift: daily, handoff: "09:00", start: "2026-03-02" }
`,
  "desk.yaml",
);

/** Everything a caller sees of an answer: who, why, and since and until to the millisecond, in which zone. */
const seen = (now: OnCallNow) => ({
  target: now.target,
  decidedBy: now.decidedBy,
  since: now.since.toISO(),
  until: now.until.toISO(),
});

function asksLikeWhoIsOnCall(memo: OnCallMemo, schedule: Schedule, t: DateTime, ctx: OnCallContext) {
  expect(seen(memo.whoIsOnCall(schedule, t, ctx))).toEqual(seen(whoIsOnCall(schedule, t, ctx)));
}

describe("who is on call, remembered (OnCallMemo)", () => {
  it("answers a night's later tickets from the segment it found, and the Monday morning after from a new one", () => {
    const memo = new OnCallMemo();
    const night = memo.whoIsOnCall(wes, at("2026-11-30T05:30", NY), wesCtx);
    expect(night.target).toEqual({ kind: "person", person: "chen" });
    expect(night.since.toISO()).toBe("2026-11-27T17:00:00.000-05:00");
    expect(night.until.toISO()).toBe("2026-11-30T08:00:00.000-05:00");
    expect(seen(memo.whoIsOnCall(wes, at("2026-11-30T07:59", NY), wesCtx))).toEqual(seen(night));
    // At `until` the help desk has it; past the day, the next person of the rotation.
    expect(memo.whoIsOnCall(wes, at("2026-11-30T08:00", NY), wesCtx).target).toEqual({
      kind: "channel",
      channel: "#wes-help-desk",
    });
    expect(memo.whoIsOnCall(wes, at("2026-11-30T17:30", NY), wesCtx).target).toEqual({
      kind: "person",
      person: "dana",
    });
    asksLikeWhoIsOnCall(memo, wes, at("2026-11-30T07:59", NY), wesCtx);
  });

  it("a cover added for an instant it has answered changes the answer (a new schedule is a new key)", () => {
    const memo = new OnCallMemo();
    const saturday = at("2026-11-28T22:00", NY);
    expect(memo.whoIsOnCall(wes, saturday, wesCtx).target).toEqual({ kind: "person", person: "chen" });
    const covered = addOverride(wes, { person: "dana", end: at("2026-11-29T02:00", NY) }, saturday);
    if (!covered.ok) throw new Error(covered.error);
    const now = memo.whoIsOnCall(covered.schedule, saturday, wesCtx);
    expect(now.target).toEqual({ kind: "person", person: "dana" });
    expect(now.until.toISO()).toBe("2026-11-29T02:00:00.000-05:00");
    // The schedule without the cover is still what it was.
    expect(memo.whoIsOnCall(wes, saturday, wesCtx).target).toEqual({ kind: "person", person: "chen" });
  });

  it("a different business calendar is a different key", () => {
    const memo = new OnCallMemo();
    const thanksgiving = at("2026-11-26T12:00", NY);
    expect(memo.whoIsOnCall(wes, thanksgiving, wesCtx).target).toEqual({ kind: "person", person: "chen" });
    const noHoliday = { businessHours: denverHours };
    asksLikeWhoIsOnCall(memo, wes, thanksgiving, noHoliday);
    expect(memo.whoIsOnCall(wes, thanksgiving, noHoliday).target?.kind).toBe("channel");
  });

  it("on the spring-forward Sunday: the same night across the skipped hour, and the 09:00 MDT handoff", () => {
    const memo = new OnCallMemo();
    const before = memo.whoIsOnCall(wes, at("2026-03-08T01:30", NY), wesCtx);
    const after = memo.whoIsOnCall(wes, at("2026-03-08T03:30", NY), wesCtx);
    expect(seen(after)).toEqual(seen(before));
    expect(after.until.toISO()).toBe("2026-03-09T08:00:00.000-04:00");
    asksLikeWhoIsOnCall(memo, wes, at("2026-03-08T03:30", NY), wesCtx);

    const morning = memo.whoIsOnCall(daily, at("2026-03-08T08:59", DENVER), none);
    expect(morning.until.toISO()).toBe("2026-03-08T09:00:00.000-06:00");
    const handedOff = memo.whoIsOnCall(daily, at("2026-03-08T09:00", DENVER), none);
    expect(handedOff.target).not.toEqual(morning.target);
    expect(handedOff.since.toISO()).toBe("2026-03-08T09:00:00.000-06:00");
  });

  it("never keeps a segment cut at the look-around horizon", () => {
    const memo = new OnCallMemo();
    // Four days into a six-week shift: whoIsOnCall reports it "until at least" 31 days on.
    const first = at("2026-02-20T12:00", DENVER);
    expect(memo.whoIsOnCall(sixWeeks, first, none).until.toISO()).toBe("2026-03-23T12:00:00.000-06:00");
    asksLikeWhoIsOnCall(memo, sixWeeks, first.plus({ days: 2 }), none);
  });

  it("answers from a whole segment only where whoIsOnCall would see all of it", () => {
    const memo = new OnCallMemo();
    // Mid-shift, the whole six weeks are within the look-around; a day into the shift they are not.
    const middle = memo.whoIsOnCall(sixWeeks, at("2026-03-09T12:00", DENVER), none);
    expect([middle.since.toISO(), middle.until.toISO()]).toEqual([
      "2026-02-16T09:00:00.000-07:00",
      "2026-03-30T09:00:00.000-06:00",
    ]);
    asksLikeWhoIsOnCall(memo, sixWeeks, at("2026-02-17T12:00", DENVER), none);
    asksLikeWhoIsOnCall(memo, sixWeeks, at("2026-03-29T12:00", DENVER), none);
  });

  it("gives what whoIsOnCall gives for any instants asked in any order", () => {
    const schedules: [Schedule, OnCallContext][] = [
      [wes, wesCtx],
      [sixWeeks, none],
      [daily, none],
    ];
    const start = at("2026-01-01T00:00", NY);
    // Each ask is a fresh instant in 2026 or a step from the one before (minutes to days, either way),
    // so most asks land in a segment the memo has seen, some just past its ends.
    const ask = fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.option(fc.integer({ min: 0, max: 365 * 24 * 60 }), { freq: 4 }),
      fc.integer({ min: -5 * 24 * 60, max: 5 * 24 * 60 }),
    );
    fc.assert(
      fc.property(fc.array(ask, { minLength: 1, maxLength: 40 }), (asks) => {
        const memo = new OnCallMemo();
        let t = start;
        for (const [which, fresh, step] of asks) {
          const [schedule, ctx] = schedules[which]!;
          t = fresh === null ? t.plus({ minutes: step }) : start.plus({ minutes: fresh });
          asksLikeWhoIsOnCall(memo, schedule, t, ctx);
        }
      }),
      { numRuns: 60 },
    );
  });
});
