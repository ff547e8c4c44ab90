import { describe, expect, it } from "vitest";
import { loadScheduleFile, parseSchedule, ScheduleFileError } from "../../src/oncall/scheduleFile.js";

const valid = `id: night-desk
name: Night desk
zone: America/Denver
people: [manager]
layers:
  - name: nights
    rotation:
      members: [ana, ben]
      shift: { every: 12, unit: hours }
      handoff: "08:00"
      start: "2026-03-02"
    only:
      - afterHours
      - { days: [sat, sun], from: "20:00", to: "08:00" }
overrides:
  - person: manager
    start: "2026-03-07T18:00"
    end: "2026-03-08T09:00"
fallback:
  channel: "#desk"
`;

function problemsOf(text: string): string[] {
  try {
    parseSchedule(text, "policies/oncall/night.yaml");
  } catch (error) {
    if (error instanceof ScheduleFileError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected the schedule to be rejected");
}

describe("parseSchedule", () => {
  it("reads rotations, restrictions, overrides and fallback", () => {
    const schedule = parseSchedule(valid, "night.yaml");
    const layer = schedule.layers[0]!;
    expect(layer.rotation).toMatchObject({
      members: ["ana", "ben"],
      shift: { every: 12, unit: "hours" },
      handoff: { hour: 8, minute: 0 },
      startDate: { year: 2026, month: 3, day: 2 },
      zone: "America/Denver",
    });
    expect(layer.only).toEqual([
      { kind: "afterHours" },
      { kind: "weekly", days: [6, 7], fromMinute: 1200, toMinute: 480 },
    ]);
    const override = schedule.overrides[0]!;
    expect(override.person).toBe("manager");
    expect(override.start.toISO()).toBe("2026-03-07T18:00:00.000-07:00");
    expect(override.end.toISO()).toBe("2026-03-08T09:00:00.000-06:00");
    expect(schedule.fallback).toEqual({ kind: "channel", channel: "#desk" });
    expect(schedule.mustCover).toBe("always");
  });

  it("names the file, the line and the path of a bad handoff time", () => {
    expect(problemsOf(valid.replace('handoff: "08:00"', 'handoff: "8am"'))).toEqual([
      'night.yaml:10 layers[0].rotation.handoff: must be a time like "08:00" (24-hour clock)',
    ]);
  });

  it("rejects an unknown time zone and an empty rotation", () => {
    const text = valid.replace("zone: America/Denver", "zone: Mountain").replace("[ana, ben]", "[]");
    expect(problemsOf(text)).toEqual([
      "night.yaml:3 zone: must be an IANA time zone like America/Denver",
      "night.yaml:8 layers[0].rotation.members: must list at least one person",
    ]);
  });

  it("points a missing key at its parent", () => {
    const text = valid.replace('      start: "2026-03-02"\n', "");
    expect(problemsOf(text)).toEqual([
      "night.yaml:8 layers[0].rotation.start: must be a date like 2026-01-05",
    ]);
  });

  it("rejects an override for someone unknown or ending before it starts", () => {
    const text = valid
      .replace("person: manager", "person: zed")
      .replace("2026-03-08T09:00", "2026-03-07T09:00");
    expect(problemsOf(text)).toEqual([
      'night.yaml:16 overrides[0].person: "zed" is not in any rotation or in people: add them to people first',
      "night.yaml:18 overrides[0].end: must be after start",
    ]);
  });

  it("explains a restriction it cannot read", () => {
    expect(problemsOf(valid.replace("- afterHours", "- evenings"))).toEqual([
      'night.yaml:13 layers[0].only[0]: must be "afterHours", "businessHours" or a window ' +
        '{ days: [sat, sun], from: "00:00", to: "24:00" }',
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const [problem] = problemsOf("id: x\nlayers: [\n");
    expect(problem).toMatch(/^night\.yaml:\d+ \(yaml\): /);
  });

  it("rejects unknown keys, which are usually typos", () => {
    const [problem, ...rest] = problemsOf(`${valid}fallbak: { person: ana }\n`);
    expect(problem).toMatch(
      /^night\.yaml:21 fallbak: unknown key "fallbak" \(did you mean fallback\?\); expected one of id, /,
    );
    expect(rest).toEqual([]);
  });

  it("points at the unknown key's own line when its value is a block below it", () => {
    const text = valid.replace("fallback:\n", "fallbak:\n");
    expect(problemsOf(text)[0]).toMatch(
      /^night\.yaml:19 fallbak: unknown key "fallbak" \(did you mean fallback\?\)/,
    );
  });

  it("names the closest key inside a rotation and inside a ladder level", () => {
    const text = valid
      .replace('start: "2026-03-02"', 'start: "2026-03-02"\n      zon: America/Denver')
      .concat("ladder:\n  repeat: 1\n  levels:\n    - { persn: ana, waitMinutes: 5 }\n");
    const problems = problemsOf(text);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^night\.yaml:12 layers\[0\]\.rotation\.zon: unknown key "zon" \(did you mean zone\?\)/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^night\.yaml:\d+ ladder\.levels\[0\]\.persn: unknown key "persn" \(did you mean person\?\)/,
      ),
    );
  });

  it("names the closest person for a mistyped override", () => {
    expect(problemsOf(valid.replace("  - person: manager", "  - person: managr"))).toEqual([
      'night.yaml:16 overrides[0].person: "managr" is not in any rotation or in people (did you mean manager?): add them to people first',
    ]);
  });
});

describe("the policy files in policies/oncall", () => {
  it("WES after-hours loads with its paging ladder", () => {
    const wes = loadScheduleFile("policies/oncall/wes.yaml");
    expect(wes.id).toBe("wes-after-hours");
    expect(wes.mustCover).toEqual([{ kind: "afterHours" }]);
    expect(wes.ladder?.levels.map((l) => l.waitMinutes)).toEqual([15, 15, 30]);
  });

  it("In8Sync loads with two layers", () => {
    const in8sync = loadScheduleFile("policies/oncall/in8sync.yaml");
    expect(in8sync.layers.map((l) => l.name)).toEqual(["evenings", "weekends"]);
  });
});
