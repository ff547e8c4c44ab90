import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchedule } from "../../src/oncall/index.js";
import { OncallDirectory } from "../../src/paging/directory.js";
import { warnAboutGaps } from "../../src/paging/gapWatch.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { eastern, wesBusinessHours } from "./support.js";

describe("on-call gap warnings", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  it("warns the admin channel once about a gap ahead, however often it is checked", async () => {
    // Weekends must be covered, but the only rotation works weekdays: every weekend is a gap.
    const schedule = parseSchedule(
      [
        "id: weekend-gap",
        "name: Weekday rota",
        "zone: America/New_York",
        "mustCover: always",
        "layers:",
        "  - name: weekdays",
        "    rotation: { members: [ann], shift: daily, handoff: '09:00', start: '2026-11-02' }",
        "    only: [{ days: [mon, tue, wed, thu, fri], from: '00:00', to: '24:00' }]",
      ].join("\n"),
      "weekend-gap.yaml",
    );
    const directory = await OncallDirectory.open({ dir: "policies/oncall", businessHours: wesBusinessHours });
    directory.schedules = () => [schedule];
    const admin = { platform: "terminal" as const, workspaceId: "local", channelName: "#escalator-admin" };
    const now = eastern("2026-11-23T09:00");
    const first = await warnAboutGaps(t.store.prisma, directory, admin, now, "America/New_York");
    const again = await warnAboutGaps(
      t.store.prisma,
      directory,
      admin,
      now.plus({ minutes: 1 }),
      "America/New_York",
    );
    expect(first).toBe(2); // two weekends in the next 14 days
    expect(again).toBe(0);
    const rows = await t.store.prisma.notification.findMany({
      where: { kind: "adminAlert" },
      orderBy: { id: "asc" },
    });
    expect((rows[0]?.payload as { text?: string } | undefined)?.text).toMatch(
      /^⚠️ No one is on call at these times/,
    );
  });
});
