import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findGaps, nextShifts, whoIsOnCall } from "../../src/oncall/queries.js";
import { MissingBusinessHoursError } from "../../src/oncall/restrictions.js";
import { loadScheduleFile, parseSchedule } from "../../src/oncall/scheduleFile.js";
import { shifts } from "../../src/oncall/timeline.js";
import { at, denverHours, wesHours } from "./support/fakeCalendar.js";

const NY = "America/New_York";
const DENVER = "America/Denver";
const wes = loadScheduleFile("policies/oncall/wes.yaml");
const wesCtx = { businessHours: wesHours };

const who = (t: string, zone = NY) => whoIsOnCall(wes, at(t, zone), wesCtx);

describe("WES after-hours on-call (Mon–Fri 08:00–17:00 Eastern, weekly rotation, Monday 08:00)", () => {
  it("a ticket on Saturday 22:00 finds alice, decided by the after-hours layer", () => {
    const now = who("2026-03-07T22:00");
    expect(now.target).toEqual({ kind: "person", person: "alice" });
    expect(now.decidedBy).toEqual({ kind: "layer", layer: "after-hours" });
    expect(now.since.toISO()).toBe("2026-03-06T17:00:00.000-05:00");
    // Across the Sunday spring-forward, until the help desk opens Monday 08:00 EDT.
    expect(now.until.toISO()).toBe("2026-03-09T08:00:00.000-04:00");
  });

  it("during business hours the help-desk channel is told instead", () => {
    const now = who("2026-03-10T10:00");
    expect(now.target).toEqual({ kind: "channel", channel: "#wes-help-desk" });
    expect(now.decidedBy).toEqual({ kind: "fallback" });
  });

  it("the Monday 08:00 handoff stays at 08:00 local after both DST changes", () => {
    expect(who("2026-03-09T07:59").target).toEqual({ kind: "person", person: "alice" });
    expect(who("2026-03-09T17:00").target).toEqual({ kind: "person", person: "bruno" });
    expect(who("2026-11-02T07:59").target).toEqual({ kind: "person", person: "chen" });
    expect(who("2026-11-02T17:00").target).toEqual({ kind: "person", person: "dana" });
  });

  it("a holiday is after hours all day (Thanksgiving, Thursday 12:00)", () => {
    expect(who("2026-11-26T12:00").decidedBy).toEqual({ kind: "layer", layer: "after-hours" });
  });

  it("has no gaps after hours, though business hours go to the fallback", () => {
    const from = at("2026-03-02T00:00", NY);
    expect(findGaps(wes, from, from.plus({ weeks: 2 }), wesCtx)).toEqual([]);
    expect(findGaps(wes, at("2026-10-26T00:00", NY), at("2026-11-09T00:00", NY), wesCtx)).toEqual([]);
  });

  it("needs a business calendar to know what after hours means", () => {
    expect(() => whoIsOnCall(wes, at("2026-03-07T22:00", NY))).toThrow(MissingBusinessHoursError);
  });
});

const layered = `id: denver-support
name: Denver support
zone: America/Denver
people: [maria, sam]
layers:
  - name: primary
    rotation: { members: [ana, ben, cy], shift: daily, handoff: "09:00", start: "2026-03-02" }
  - name: evenings
    rotation: { members: [eve], shift: weekly, handoff: "17:00", start: "2026-03-02" }
    only: [afterHours]
  - name: weekend
    rotation: { members: [wes, wyn], shift: weekly, handoff: "09:00", start: "2026-02-28" }
    only:
      - { days: [sat, sun], from: "09:00", to: "21:00" }
`;

describe("layers and restrictions (a later layer wins)", () => {
  const schedule = parseSchedule(layered, "layered.yaml");
  const ctx = { businessHours: denverHours };
  const decided = (t: string) => {
    const now = whoIsOnCall(schedule, at(t, DENVER), ctx);
    return [now.target?.kind === "person" ? now.target.person : null, now.decidedBy];
  };

  it("weekday office hours: the primary rotation", () => {
    expect(decided("2026-03-04T10:00")).toEqual(["cy", { kind: "layer", layer: "primary" }]);
  });

  it("weekday evening: the after-hours layer beats primary", () => {
    expect(decided("2026-03-04T18:00")).toEqual(["eve", { kind: "layer", layer: "evenings" }]);
  });

  it("weekend day: the weekend window beats after-hours (it is listed later)", () => {
    expect(decided("2026-03-08T12:00")).toEqual(["wyn", { kind: "layer", layer: "weekend" }]);
  });

  it("weekend night: outside the weekend window, after-hours has it again", () => {
    expect(decided("2026-03-08T22:00")).toEqual(["eve", { kind: "layer", layer: "evenings" }]);
  });
});

describe("overrides across handoffs", () => {
  const base = `id: desk
name: Desk
zone: America/Denver
people: [maria, sam]
layers:
  - name: primary
    rotation: { members: [ana, ben], shift: daily, handoff: "09:00", start: "2026-03-02" }
overrides:
  - { person: maria, start: "2026-03-07T18:00", end: "2026-03-08T12:00" }
  - { person: sam, start: "2026-03-08T06:00", end: "2026-03-08T07:00" }
`;
  const schedule = parseSchedule(base, "desk.yaml");

  it("splits the shifts around the cover, and the later override wins inside it", () => {
    const timeline = shifts(schedule, at("2026-03-07T09:00", DENVER), at("2026-03-09T09:00", DENVER));
    expect(
      timeline.map((s) => [s.start.toFormat("ccc HH:mm"), s.target?.kind === "person" && s.target.person]),
    ).toEqual([
      ["Sat 09:00", "ben"],
      ["Sat 18:00", "maria"],
      ["Sun 06:00", "sam"],
      ["Sun 07:00", "maria"],
      ["Sun 12:00", "ana"],
    ]);
    // The Sunday 09:00 handoff (first after spring-forward) is hidden under maria's cover.
    expect(timeline[4]!.end.toISO()).toBe("2026-03-09T09:00:00.000-06:00");
  });

  it("tells who covers and why", () => {
    const now = whoIsOnCall(schedule, at("2026-03-08T10:00", DENVER));
    expect(now.decidedBy).toEqual({ kind: "override", overrideId: "maria@2026-03-08T01:00:00.000Z" });
    expect(now.until.toISO()).toBe("2026-03-08T12:00:00.000-06:00");
  });
});

describe("gaps and the fallback", () => {
  const weekdaysOnly = `id: weekdays
name: Weekday desk
zone: America/Denver
people: [lead]
layers:
  - name: weekdays
    rotation: { members: [ana, ben], shift: weekly, handoff: "00:00", start: "2026-03-02" }
    only:
      - { days: [mon, tue, wed, thu, fri], from: "00:00", to: "24:00" }
fallback: { person: lead }
`;
  const schedule = parseSchedule(weekdaysOnly, "weekdays.yaml");

  it("finds the weekend as a gap, with the fallback who will be told", () => {
    const gaps = findGaps(schedule, at("2026-03-02T00:00", DENVER), at("2026-03-16T00:00", DENVER));
    expect(gaps.map((g) => [g.start.toISO(), g.end.toISO(), g.fallback])).toEqual([
      ["2026-03-07T00:00:00.000-07:00", "2026-03-09T00:00:00.000-06:00", { kind: "person", person: "lead" }],
      ["2026-03-14T00:00:00.000-06:00", "2026-03-16T00:00:00.000-06:00", { kind: "person", person: "lead" }],
    ]);
  });

  it("answers with the fallback inside a gap", () => {
    const now = whoIsOnCall(schedule, at("2026-03-08T12:00", DENVER));
    expect(now).toMatchObject({
      target: { kind: "person", person: "lead" },
      decidedBy: { kind: "fallback" },
    });
  });

  it("answers nobody when there is no fallback", () => {
    const bare = parseSchedule(weekdaysOnly.replace("fallback: { person: lead }\n", ""), "bare.yaml");
    const now = whoIsOnCall(bare, at("2026-03-08T12:00", DENVER));
    expect(now).toMatchObject({ target: null, decidedBy: { kind: "nobody" } });
  });
});

describe("nextShifts", () => {
  const ctx = { businessHours: wesHours };

  it("lists a person's next after-hours stretches, one per evening and one for the weekend", () => {
    const next = nextShifts(wes, "bruno", at("2026-03-09T12:00", NY), { count: 6 }, ctx);
    expect(next.map((s) => `${s.start.toFormat("ccc dd HH:mm")}–${s.end.toFormat("ccc dd HH:mm")}`)).toEqual([
      "Mon 09 17:00–Tue 10 08:00",
      "Tue 10 17:00–Wed 11 08:00",
      "Wed 11 17:00–Thu 12 08:00",
      "Thu 12 17:00–Fri 13 08:00",
      "Fri 13 17:00–Mon 16 08:00",
      // Four weeks later, bruno's next week on call.
      "Mon 06 17:00–Tue 07 08:00",
    ]);
  });

  it("stops at until and includes a shift in progress whole", () => {
    const next = nextShifts(
      wes,
      "alice",
      at("2026-03-07T22:00", NY),
      { until: at("2026-03-09T12:00", NY) },
      ctx,
    );
    expect(next.map((s) => [s.start.toISO(), s.end.toISO()])).toEqual([
      ["2026-03-06T17:00:00.000-05:00", "2026-03-09T08:00:00.000-04:00"],
    ]);
  });
});

describe("the timeline, for any window", () => {
  const schedule = parseSchedule(layered, "layered.yaml");
  const ctx = { businessHours: denverHours };
  const base = at("2026-02-20T00:00", DENVER);

  it("covers the window exactly, without gaps or overlaps, and agrees with whoIsOnCall", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 * 24 }), fc.integer({ min: 1, max: 21 * 24 }), (h, len) => {
        const from = base.plus({ hours: h, minutes: 7 });
        const to = from.plus({ hours: len });
        const timeline = shifts(schedule, from, to, ctx);
        expect(timeline[0]!.start.toMillis()).toBe(from.toMillis());
        expect(timeline.at(-1)!.end.toMillis()).toBe(to.toMillis());
        for (const [i, s] of timeline.slice(1).entries()) {
          expect(s.start.toMillis()).toBe(timeline[i]!.end.toMillis());
        }
        const probe = timeline[Math.floor(timeline.length / 2)]!;
        expect(whoIsOnCall(schedule, probe.start, ctx).target).toEqual(probe.target);
      }),
      { numRuns: 60 },
    );
  });
});

describe("In8Sync: evenings and weekend days covered, nights left to the support lead", () => {
  const text = readFileSync("policies/oncall/in8sync.yaml", "utf8");
  const in8sync = parseSchedule(text, "in8sync.yaml");
  const weekFrom = at("2026-03-02T00:00", DENVER);
  const weekTo = at("2026-03-16T00:00", DENVER);

  it("reports no gaps, though nights go to the fallback", () => {
    expect(findGaps(in8sync, weekFrom, weekTo)).toEqual([]);
    expect(whoIsOnCall(in8sync, at("2026-03-04T23:30", DENVER)).target).toEqual({
      kind: "person",
      person: "support-lead",
    });
  });

  it("alternates weekend days between hana and ivan", () => {
    const person = (t: string) => whoIsOnCall(in8sync, at(t, DENVER)).target;
    expect([person("2026-03-07T12:00"), person("2026-03-08T12:00"), person("2026-03-14T12:00")]).toEqual([
      { kind: "person", person: "ivan" },
      { kind: "person", person: "hana" },
      { kind: "person", person: "hana" },
    ]);
  });

  it("reports a promised evening with no one as a gap, ahead of time", () => {
    const late = parseSchedule(text.replace('start: "2026-01-05"', 'start: "2026-03-04"'), "late.yaml");
    const gaps = findGaps(late, weekFrom, weekTo);
    expect(gaps.map((g) => [g.start.toFormat("ccc dd HH:mm"), g.end.toFormat("HH:mm"), g.fallback])).toEqual([
      ["Mon 02 17:00", "22:00", { kind: "person", person: "support-lead" }],
      ["Tue 03 17:00", "22:00", { kind: "person", person: "support-lead" }],
    ]);
  });
});
