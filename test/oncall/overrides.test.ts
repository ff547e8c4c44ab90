import { describe, expect, it } from "vitest";
import { addOverride, cancelOverride, validateOverride } from "../../src/oncall/overrides.js";
import { whoIsOnCall } from "../../src/oncall/queries.js";
import { loadScheduleFile } from "../../src/oncall/scheduleFile.js";
import { at, wesHours } from "./support/fakeCalendar.js";

const NY = "America/New_York";
const wes = loadScheduleFile("policies/oncall/wes.yaml");
const ctx = { businessHours: wesHours };
const now = at("2026-03-07T20:00", NY);

function errorOf(result: { ok: true } | { ok: false; error: string }): string {
  if (result.ok) throw new Error("expected the request to be refused");
  return result.error;
}

describe("/oncall override @person until <time>", () => {
  it("dana covers from now until Sunday 18:00, across the spring-forward night", () => {
    const result = addOverride(wes, { person: "@dana", end: at("2026-03-08T18:00", NY) }, now);
    if (!result.ok) throw new Error(result.error);
    expect(result.override).toMatchObject({ person: "dana", id: "dana@2026-03-08T01:00:00.000Z" });
    expect(whoIsOnCall(result.schedule, at("2026-03-08T03:30", NY), ctx).target).toEqual({
      kind: "person",
      person: "dana",
    });
    expect(whoIsOnCall(result.schedule, at("2026-03-08T18:00", NY), ctx).target).toEqual({
      kind: "person",
      person: "alice",
    });
    // The original schedule is untouched: overrides return a new one for the caller to store.
    expect(wes.overrides).toEqual([]);
  });

  it("refuses someone it does not know, listing who can cover", () => {
    expect(errorOf(validateOverride(wes, { person: "@zed", end: at("2026-03-08T18:00", NY) }, now))).toBe(
      'I don\'t know "zed" on WES after-hours on-call. ' +
        "People who can cover: alice, bruno, chen, dana, it-manager, vp-technology.",
    );
  });

  it("refuses an end that has already passed, in the asker's zone", () => {
    const error = errorOf(
      validateOverride(wes, { person: "bruno", end: at("2026-03-07T09:00", NY) }, now, "America/Denver"),
    );
    expect(error).toBe(
      "That cover would end Sat 7 Mar 07:00 MST, which has already passed. Pick a later time.",
    );
  });

  it("refuses an end before the start", () => {
    const request = { person: "bruno", start: at("2026-03-09T18:00", NY), end: at("2026-03-09T09:00", NY) };
    expect(errorOf(validateOverride(wes, request, now))).toBe(
      "A cover must end after it starts: it starts Mon 9 Mar 18:00 EDT but ends Mon 9 Mar 09:00 EDT.",
    );
  });

  it("refuses a cover of months (usually a mistyped year)", () => {
    const error = errorOf(validateOverride(wes, { person: "bruno", end: at("2027-03-08T09:00", NY) }, now));
    expect(error).toMatch(/at most 90 days/);
  });

  it("moves a start in the past to now instead of rewriting history", () => {
    const result = validateOverride(
      wes,
      { person: "chen", start: at("2026-03-07T12:00", NY), end: at("2026-03-07T23:00", NY) },
      now,
    );
    expect(result.ok && result.override.start.toISO()).toBe(now.toISO());
  });

  it("cancelling: a cover in progress ends now, a future one disappears, a past one stays", () => {
    const added = addOverride(wes, { person: "dana", end: at("2026-03-08T18:00", NY) }, now);
    if (!added.ok) throw new Error(added.error);
    const id = added.override.id;
    const midway = at("2026-03-08T10:00", NY);
    const cut = cancelOverride(added.schedule, id, midway);
    expect(cut.ok && cut.schedule.overrides[0]?.end.toISO()).toBe(midway.toISO());
    const gone = cancelOverride(added.schedule, id, now.minus({ minutes: 1 }));
    expect(gone.ok && gone.schedule.overrides).toEqual([]);
    expect(errorOf(cancelOverride(added.schedule, id, at("2026-03-09T00:00", NY)))).toMatch(/already ended/);
  });
});
