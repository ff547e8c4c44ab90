import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OncallDirectory, UnknownScheduleError } from "../../src/paging/directory.js";
import { DuplicateScheduleError } from "../../src/paging/scheduleDir.js";
import { backends, openTestStore, type TestStore } from "../support/db.js";
import { FakeClock } from "../support/fakes.js";
import { EASTERN, eastern, openDirectory, WES } from "./support.js";

// WES week of Thanksgiving 2026: chen has the after-hours week from Mon 23 Nov 08:00 to Mon 30 Nov
// 08:00, then dana. The help desk (the fallback channel) answers 08:00–17:00 Eastern on weekdays.

/** Kim covers weekdays (UTC) around the clock; weekends are promised but nobody has them. */
const WEEKDAYS_ONLY = `
id: night-desk
name: Night desk
zone: UTC
mustCover: always
layers:
  - name: weekdays
    rotation: { members: [kim], shift: weekly, handoff: "00:00", start: "2026-01-05" }
    only:
      - { days: [mon, tue, wed, thu, fri], from: "00:00", to: "24:00" }
fallback: { channel: "#night-desk" }
`;

function scheduleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "oncall-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("OncallDirectory from the YAML alone", () => {
  it("answers who is on call on a Saturday night and gives no one during business hours", async () => {
    const directory = await openDirectory();
    expect(directory.onCall(WES, eastern("2026-11-28T22:00"))).toEqual(["chen"]);
    expect(directory.onCall(WES, eastern("2026-11-24T10:00"))).toEqual([]);
    expect(directory.whoIsOnCall(WES, eastern("2026-11-24T10:00")).target).toEqual({
      kind: "channel",
      channel: "#wes-help-desk",
    });
    expect(directory.schedules().map((s) => s.id)).toEqual(["in8sync-support", WES]);
  });

  it("pages the In8Sync support lead (a person fallback) at night, and nobody for an unknown schedule", async () => {
    const directory = await openDirectory();
    expect(directory.onCall("in8sync-support", eastern("2026-11-25T03:00"))).toEqual(["support-lead"]);
    expect(directory.onCall("nope", eastern("2026-11-25T03:00"))).toEqual([]);
    expect(() => directory.whoIsOnCall("nope", eastern("2026-11-25T03:00"))).toThrow(UnknownScheduleError);
  });

  it("refuses covers without a database, saying why", async () => {
    const directory = await openDirectory();
    const result = await directory.addOverride(
      { person: "dana", end: eastern("2026-11-29T18:00"), by: "U1" },
      eastern("2026-11-28T22:00"),
    );
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/need the database/) });
  });

  it("warns admins about a weekend nobody covers, with its fallback", async () => {
    const directory = await OncallDirectory.open({ dir: scheduleDir({ "night.yaml": WEEKDAYS_ONLY }) });
    const gaps = directory.gaps(eastern("2026-11-23T00:00"), eastern("2026-11-30T00:00"));
    expect(
      gaps.map((g) => [g.scheduleId, g.start.toUTC().toISO(), g.end.toUTC().toISO(), g.fallback]),
    ).toEqual([
      [
        "night-desk",
        "2026-11-28T00:00:00.000Z",
        "2026-11-30T00:00:00.000Z",
        { kind: "channel", channel: "#night-desk" },
      ],
    ]);
  });

  it("stops at two files defining the same schedule id, naming both", async () => {
    const dir = scheduleDir({ "a.yaml": WEEKDAYS_ONLY, "b.yaml": WEEKDAYS_ONLY });
    await expect(OncallDirectory.open({ dir })).rejects.toThrow(DuplicateScheduleError);
    await expect(OncallDirectory.open({ dir })).rejects.toThrow(
      /b\.yaml: schedule id "night-desk" is already defined in a\.yaml/,
    );
  });
});

describe.each(backends)("OncallDirectory with covers on %s", (backend) => {
  let t: TestStore;
  let directory: OncallDirectory;
  const clock = new FakeClock(eastern("2026-11-28T22:00")); // Saturday night

  beforeAll(async () => {
    t = await openTestStore(backend);
    directory = await openDirectory(t.store.prisma);
  });
  afterAll(() => t.dispose());

  it("records each schedule's row so covers can reference it", async () => {
    const rows = await t.store.prisma.oncallSchedule.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.zone])).toEqual([
      ["in8sync-support", "America/Denver"],
      [WES, EASTERN],
    ]);
  });

  it("a cover across the Monday handoff changes onCall, persists, and is seen by another replica", async () => {
    const added = await directory.addOverride(
      { person: "@alice", end: eastern("2026-12-01T08:00"), by: "U_ASKER" },
      clock.now(),
    );
    if (!added.ok) throw new Error(added.error);
    expect(added.cover).toMatchObject({ scheduleId: WES, person: "alice", createdBy: "U_ASKER" });
    // Before the handoff (chen's week) and after it (dana's week), alice covers; then dana again.
    expect(directory.onCall(WES, eastern("2026-11-29T03:00"))).toEqual(["alice"]);
    expect(directory.onCall(WES, eastern("2026-11-30T20:00"))).toEqual(["alice"]);
    expect(directory.onCall(WES, eastern("2026-12-01T20:00"))).toEqual(["dana"]);

    const row = await t.store.prisma.oncallOverride.findFirstOrThrow({
      where: { id: Number(added.cover.id) },
    });
    expect(row).toMatchObject({ scheduleId: WES, userId: "alice", createdBy: "U_ASKER" });
    expect(row.startsAt.toISOString()).toBe("2026-11-29T03:00:00.000Z");

    const replica = await openDirectory(t.store.prisma);
    expect(replica.onCall(WES, eastern("2026-11-30T20:00"))).toEqual(["alice"]);
  });

  it("refuses a cover that ends in the past, saying so in the asker's zone", async () => {
    const result = await directory.addOverride(
      { person: "bruno", end: eastern("2026-11-28T18:00"), by: "U1", zone: "America/Denver" },
      clock.now(),
    );
    expect(result).toEqual({
      ok: false,
      error: "That cover would end Sat 28 Nov 16:00 MST, which has already passed. Pick a later time.",
    });
  });

  it("refuses someone on no schedule, listing who can cover", async () => {
    const result = await directory.addOverride(
      { person: "zed", end: eastern("2026-11-29T18:00"), by: "U1" },
      clock.now(),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/I don't know "zed".*alice, bruno, chen, dana/);
  });

  it("cancelling a cover in progress ends it now; a future one disappears; refresh sees both", async () => {
    const future = await directory.addOverride(
      { person: "bruno", start: eastern("2026-12-05T18:00"), end: eastern("2026-12-06T18:00"), by: "U1" },
      clock.now(),
    );
    if (!future.ok) throw new Error(future.error);
    const current = directory.covers(clock.now()).find((c) => c.person === "alice")!;
    clock.set("2026-11-29T10:00:00-05:00");

    const ended = await directory.cancelOverride(current.id, clock.now());
    expect(ended).toMatchObject({ ok: true, effect: "ended" });
    expect(directory.onCall(WES, eastern("2026-11-29T11:00"))).toEqual(["chen"]);
    const removed = await directory.cancelOverride(`#${future.cover.id}`, clock.now());
    expect(removed).toMatchObject({ ok: true, effect: "removed" });
    expect(await directory.cancelOverride("999", clock.now())).toMatchObject({ ok: false });

    const replica = await openDirectory(t.store.prisma);
    expect(replica.covers(eastern("2026-11-28T00:00")).map((c) => [c.person, c.end.toUTC().toISO()])).toEqual(
      [["alice", "2026-11-29T15:00:00.000Z"]],
    );
  });

  it("an instant it has answered is answered again after a cover here, or one another replica adds, ends or removes", async () => {
    // Dana's week; Saturday 5 December 23:00 is after hours. Each answer below was asked before the change.
    const here = await openDirectory(t.store.prisma);
    const replica = await openDirectory(t.store.prisma);
    const night = eastern("2026-12-05T23:00");
    const now = eastern("2026-12-05T20:00");
    expect(here.onCall(WES, night)).toEqual(["dana"]);

    const mine = await here.addOverride({ person: "chen", end: eastern("2026-12-05T23:30"), by: "U1" }, now);
    if (!mine.ok) throw new Error(mine.error);
    expect(here.onCall(WES, night)).toEqual(["chen"]);
    expect(here.whoIsOnCall(WES, night).until.toISO()).toBe("2026-12-05T23:30:00.000-05:00");
    // Past the cover's end, the rotation's person again.
    expect(here.onCall(WES, eastern("2026-12-05T23:30"))).toEqual(["dana"]);

    const theirs = await replica.addOverride(
      { person: "bruno", start: eastern("2026-12-05T22:00"), end: eastern("2026-12-06T02:00"), by: "U2" },
      now,
    );
    if (!theirs.ok) throw new Error(theirs.error);
    await here.refresh();
    expect(here.onCall(WES, night)).toEqual(["bruno"]);

    await replica.cancelOverride(theirs.cover.id, eastern("2026-12-05T22:30"));
    await here.refresh();
    expect(here.onCall(WES, night)).toEqual(["chen"]);
    expect(here.onCall(WES, eastern("2026-12-05T22:15"))).toEqual(["bruno"]);

    await replica.refresh();
    await replica.cancelOverride(mine.cover.id, eastern("2026-12-05T21:00"));
    await here.refresh();
    expect(here.onCall(WES, night)).toEqual(["dana"]);
    expect(here.whoIsOnCall(WES, night).until.toISO()).toBe("2026-12-07T08:00:00.000-05:00");
  });
});
