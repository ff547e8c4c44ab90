import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OncallDirectory } from "../../src/paging/directory.js";
import { businessHoursOf, policyCalendars } from "../../src/paging/scheduleDir.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { EASTERN, eastern, WES } from "./support.js";

function scheduleDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "oncall-calendar-"));
  writeFileSync(join(dir, "desk.yaml"), text);
  return dir;
}

const desk = (calendar: string) => `
id: berlin-desk
name: Berlin desk
zone: Europe/Berlin
${calendar}
mustCover: [afterHours]
layers:
  - name: nights
    rotation: { members: [kim], shift: weekly, handoff: "09:00", start: "2026-01-05" }
    only: [afterHours]
fallback: { channel: "#berlin" }
`;

describe("each on-call schedule reads its own business calendar", () => {
  it("the WES rotation keeps WES hours under POLICY_FILE=policies/wetx.yaml", async () => {
    const wetx = loadPolicyFile("policies/wetx.yaml");
    const directory = await OncallDirectory.open({
      dir: "policies/oncall",
      businessHours: businessHoursOf(wetx.calendar),
      policies: policyCalendars("policies", wetx),
    });
    const who = (iso: string) => directory.whoIsOnCall(WES, eastern(iso)).target;
    // Mon 17:30 Eastern is 15:30 in Denver, inside WETx hours, but WES has closed: dana's week on call.
    expect(who("2026-11-30T17:30")).toEqual({ kind: "person", person: "dana" });
    // Tue 07:30 Eastern: WES still closed; 08:30 Eastern (06:30 Denver, WETx closed): the WES help desk.
    expect(who("2026-12-01T07:30")).toEqual({ kind: "person", person: "dana" });
    expect(who("2026-12-01T08:30")).toEqual({ kind: "channel", channel: "#wes-help-desk" });
  });

  it("a calendar written in the schedule file: Berlin's 09:00-17:00, whatever the running policy", async () => {
    const dir = scheduleDir(desk('calendar: { zone: Europe/Berlin, hours: { weekdays: ["09:00-17:00"] } }'));
    const directory = await OncallDirectory.open({
      dir,
      businessHours: businessHoursOf(loadPolicyFile("policies/wes.yaml").calendar),
    });
    const at = (iso: string) => directory.whoIsOnCall("berlin-desk", eastern(iso).setZone(EASTERN)).target;
    expect(at("2026-11-30T12:00")).toEqual({ kind: "person", person: "kim" }); // 18:00 in Berlin
    expect(at("2026-11-30T10:00")).toEqual({ kind: "channel", channel: "#berlin" }); // 16:00 in Berlin
  });

  it("stops the start when a schedule names a policy that does not exist, or a calendar that is wrong", async () => {
    await expect(
      OncallDirectory.open({ dir: scheduleDir(desk("calendar: { policy: nowhere }")) }),
    ).rejects.toThrow(/desk\.yaml: calendar\.policy: there is no policy "nowhere"/);
    await expect(
      OncallDirectory.open({
        dir: scheduleDir(desk('calendar: { zone: Europe/Berlin, hours: { weekdays: ["9-5"] } }')),
      }),
    ).rejects.toThrow(/desk\.yaml: calendar\.hours\.weekdays\.0: expected opening hours like "09:00-17:00"/);
  });
});
