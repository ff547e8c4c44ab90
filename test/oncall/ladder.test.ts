import type { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type LadderProgress, ladderState, type ResolveOnCall } from "../../src/oncall/ladder.js";
import { whoIsOnCall } from "../../src/oncall/queries.js";
import { loadScheduleFile, parseSchedule } from "../../src/oncall/scheduleFile.js";
import { at, wesHours } from "./support/fakeCalendar.js";

const NY = "America/New_York";
const wes = loadScheduleFile("policies/oncall/wes.yaml");
const ladder = wes.ladder!;
const resolveOnCall: ResolveOnCall = (id, t) => {
  if (id !== wes.id) throw new Error(`unknown schedule ${id}`);
  return whoIsOnCall(wes, t, { businessHours: wesHours }).target;
};

// A ticket opened Saturday 22:00 Eastern: after hours, alice is on call.
const opened = at("2026-03-07T22:00", NY);
const minutes = (n: number) => opened.plus({ minutes: n });
const state = (now: DateTime, progress: LadderProgress = {}) =>
  ladderState(ladder, opened, progress, now, resolveOnCall);
const keys = (now: DateTime, progress: LadderProgress = {}) => state(now, progress).pages.map((p) => p.key);

describe("the WES paging ladder: on-call 15 min → I.T. manager 15 min → V.P. 30 min, repeated twice", () => {
  it("pages the person on call at once and says when to look again", () => {
    const s = state(opened);
    expect(s.status).toBe("paging");
    expect(s.pages).toEqual([
      {
        key: "page:r0:l0",
        round: 0,
        level: 0,
        dueAt: opened,
        target: { kind: "person", person: "alice" },
        via: { kind: "schedule", schedule: "wes-after-hours" },
      },
    ]);
    expect(s.nextChangeAt?.toISO()).toBe(minutes(15).toISO());
  });

  it("no acknowledgement in 15 minutes pages the next level", () => {
    expect(keys(minutes(14))).toEqual(["page:r0:l0"]);
    expect(state(minutes(15)).pages.at(-1)).toMatchObject({
      key: "page:r0:l1",
      target: { kind: "person", person: "it-manager" },
    });
  });

  it.each([
    { level: 0, ackAfter: 5, expected: ["page:r0:l0"] },
    { level: 1, ackAfter: 20, expected: ["page:r0:l0", "page:r0:l1"] },
    { level: 2, ackAfter: 59, expected: ["page:r0:l0", "page:r0:l1", "page:r0:l2"] },
    { level: 0, ackAfter: 61, expected: ["page:r0:l0", "page:r0:l1", "page:r0:l2", "page:r1:l0"] },
  ])("acknowledged $ackAfter min in (level $level): stops there for good", ({ ackAfter, expected }) => {
    const progress = { acknowledgedAt: minutes(ackAfter) };
    const later = state(minutes(600), progress);
    expect(later.pages.map((p) => p.key)).toEqual(expected);
    expect(later).toMatchObject({ status: "acknowledged", nextChangeAt: null });
    expect(later.stoppedAt?.toISO()).toBe(minutes(ackAfter).toISO());
  });

  it("never acknowledged: three rounds of three pages, then exhausted after the last wait", () => {
    expect(keys(minutes(600))).toEqual([
      "page:r0:l0",
      "page:r0:l1",
      "page:r0:l2",
      "page:r1:l0",
      "page:r1:l1",
      "page:r1:l2",
      "page:r2:l0",
      "page:r2:l1",
      "page:r2:l2",
    ]);
    expect(state(minutes(179))).toMatchObject({ status: "paging" });
    expect(state(minutes(179)).nextChangeAt?.toISO()).toBe(minutes(180).toISO());
    const done = state(minutes(180));
    expect(done).toMatchObject({ status: "exhausted", nextChangeAt: null });
    expect(done.stoppedAt?.toISO()).toBe(minutes(180).toISO());
  });

  it("an acknowledgement at the very minute a page falls due prevents that page", () => {
    expect(keys(minutes(30), { acknowledgedAt: minutes(15) })).toEqual(["page:r0:l0"]);
  });

  it("resolving stops it too", () => {
    const s = state(minutes(90), { resolvedAt: minutes(20) });
    expect(s.status).toBe("resolved");
    expect(s.pages.map((p) => p.key)).toEqual(["page:r0:l0", "page:r0:l1"]);
  });

  it("does not know about an acknowledgement that comes after now", () => {
    expect(state(minutes(20), { acknowledgedAt: minutes(25) }).status).toBe("paging");
  });

  it("sends every page exactly once through an outbox keyed on the page key, one tick a minute", () => {
    const outbox = new Map<string, string>();
    for (let tick = 0; tick <= 240; tick++) {
      for (const page of state(minutes(tick)).pages) {
        if (!outbox.has(page.key)) outbox.set(page.key, `${tick}`);
      }
    }
    expect([...outbox.values()]).toEqual(["0", "15", "30", "60", "75", "90", "120", "135", "150"]);
  });

  it("keeps real minutes across the spring-forward night", () => {
    const start = at("2026-03-08T01:50", NY);
    const s = ladderState(ladder, start, {}, start.plus({ minutes: 15 }), resolveOnCall);
    expect(s.pages.at(-1)?.dueAt.setZone(NY).toISO()).toBe("2026-03-08T03:05:00.000-04:00");
  });

  it("during business hours the first level reaches the help-desk channel", () => {
    const weekday = at("2026-03-10T10:00", NY);
    const s = ladderState(ladder, weekday, {}, weekday, resolveOnCall);
    expect(s.pages[0]?.target).toEqual({ kind: "channel", channel: "#wes-help-desk" });
  });

  it("does not wait on a level whose schedule has no one on call", () => {
    const empty = parseSchedule(
      `id: empty
name: Empty
zone: America/New_York
layers:
  - name: later
    rotation: { members: [zoe], shift: weekly, handoff: "08:00", start: "2027-01-04" }
`,
      "empty.yaml",
    );
    const resolve: ResolveOnCall = (_id, t) => whoIsOnCall(empty, t).target;
    const twoLevels = {
      repeat: 0,
      levels: [
        { target: { kind: "schedule" as const, schedule: "empty" }, waitMinutes: 15 },
        { target: { kind: "person" as const, person: "boss" }, waitMinutes: 15 },
      ],
    };
    const s = ladderState(twoLevels, opened, {}, opened, resolve);
    expect(s.pages.map((p) => [p.key, p.target])).toEqual([
      ["page:r0:l0", null],
      ["page:r0:l1", { kind: "person", person: "boss" }],
    ]);
  });
});
