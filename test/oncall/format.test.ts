import { describe, expect, it } from "vitest";
import { formatOnCallNowAndNext, formatScheduleText } from "../../src/oncall/format.js";
import { loadScheduleFile } from "../../src/oncall/scheduleFile.js";
import { at, wesHours } from "./support/fakeCalendar.js";

const NY = "America/New_York";
const wes = loadScheduleFile("policies/oncall/wes.yaml");
const ctx = { businessHours: wesHours };

describe("on-call text for chat", () => {
  it("/oncall on Saturday night: now and next, in the asker's zone", () => {
    const text = formatOnCallNowAndNext(wes, at("2026-03-07T22:00", NY), ctx, { zone: "America/Denver" });
    expect(text).toBe(
      [
        "WES after-hours on-call",
        "Now: alice, until Mon 9 Mar 06:00 MDT (after-hours rotation)",
        "Next: #wes-help-desk, Mon 9 Mar 06:00 MDT until Mon 9 Mar 15:00 MDT (no one on call, fallback)",
        "Then: bruno, Mon 9 Mar 15:00 MDT until Tue 10 Mar 06:00 MDT (after-hours rotation)",
      ].join("\n"),
    );
  });

  it("/oncall schedule lists each stretch", () => {
    const text = formatScheduleText(wes, at("2026-03-09T00:00", NY), at("2026-03-10T00:00", NY), ctx);
    expect(text.split("\n")).toEqual([
      "WES after-hours on-call, Mon 9 Mar 00:00 EDT to Tue 10 Mar 00:00 EDT",
      "- alice, Mon 9 Mar 00:00 EDT until Mon 9 Mar 08:00 EDT (after-hours rotation)",
      "- #wes-help-desk, Mon 9 Mar 08:00 EDT until Mon 9 Mar 17:00 EDT (no one on call, fallback)",
      "- bruno, Mon 9 Mar 17:00 EDT until Tue 10 Mar 00:00 EDT (after-hours rotation)",
    ]);
  });
});
