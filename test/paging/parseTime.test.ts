import { describe, expect, it } from "vitest";
import { clockTime, parseChatTime } from "../../src/paging/parseTime.js";
import { EASTERN, eastern } from "./support.js";

// Asked on Saturday 28 November 2026 at 22:00 Eastern.
const now = eastern("2026-11-28T22:00");

describe("times typed in chat, read in the asker's zone", () => {
  it.each([
    ["Sunday 18:00", "2026-11-29T18:00:00.000-05:00"],
    ["sun 6pm", "2026-11-29T18:00:00.000-05:00"],
    ["sat 23:00", "2026-11-28T23:00:00.000-05:00"], // today, still ahead
    ["Saturday 21:00", "2026-12-05T21:00:00.000-05:00"], // today's has passed: next week's
    ["2026-11-29 18:00", "2026-11-29T18:00:00.000-05:00"],
    ["2026-11-29T18:00", "2026-11-29T18:00:00.000-05:00"],
    ["+8h", "2026-11-29T06:00:00.000-05:00"],
    ["+1h30m", "2026-11-28T23:30:00.000-05:00"],
    ["+2d", "2026-11-30T22:00:00.000-05:00"],
    ["in 45 minutes", "2026-11-28T22:45:00.000-05:00"],
    ["tomorrow 08:00", "2026-11-29T08:00:00.000-05:00"],
    ["tonight 23:30", "2026-11-28T23:30:00.000-05:00"],
    ["18:00", "2026-11-29T18:00:00.000-05:00"], // the next time the clock shows 18:00
    ["6:30 pm", "2026-11-29T18:30:00.000-05:00"],
    ["  Tomorrow   8:00 ", "2026-11-29T08:00:00.000-05:00"],
  ])("%s → %s", (text, expected) => {
    const parsed = parseChatTime(text, now, EASTERN);
    expect(parsed.ok ? parsed.at.toISO() : parsed.error).toBe(expected);
  });

  it("reads the same words in the asker's own zone (Denver is two hours behind)", () => {
    const parsed = parseChatTime("Sunday 18:00", now, "America/Denver");
    expect(parsed.ok && parsed.at.toUTC().toISO()).toBe("2026-11-30T01:00:00.000Z");
  });

  it("keeps the wall-clock time when +1d crosses the end of DST", () => {
    const parsed = parseChatTime("+1d", eastern("2026-10-31T20:00"), EASTERN);
    expect(parsed.ok && parsed.at.toISO()).toBe("2026-11-01T20:00:00.000-05:00");
  });

  it.each([
    ["2026-11-01 10:00", "Sun 1 Nov 2026 10:00 EST has already passed. Pick a later time."],
    ["blah", 'I could not read "blah" as a time. Try `Sunday 18:00`'],
    ["Sunday", '"Sunday" has no time of day. Add one, e.g. `Sunday 18:00`.'],
    ["2026-11-29", '"2026-11-29" has no time of day. Add one, e.g. `2026-11-29 18:00`.'],
    ["2026-02-30 10:00", "There is no date 2026-02-30."],
    ["13pm", 'I could not read "13pm"'],
    ["next week", 'I could not read "next week"'],
  ])("refuses %s, saying what to type", (text, message) => {
    const parsed = parseChatTime(text, now, EASTERN);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it("names the zone in the examples it suggests", () => {
    const parsed = parseChatTime("soon", now, "Europe/Berlin");
    expect(!parsed.ok && parsed.error).toMatch(/times are in Europe\/Berlin/);
  });

  it("refuses a time the clocks skip when DST starts", () => {
    const parsed = parseChatTime("2026-03-08 02:30", eastern("2026-03-01T10:00"), EASTERN);
    expect(!parsed.ok && parsed.error).toBe(
      '02:30 does not exist on Sun 8 Mar 2026 in America/New_York: the clocks go forward then. Pick another time than "2026-03-08 02:30".',
    );
  });

  it.each([
    ["18:00", { hour: 18, minute: 0 }],
    ["8.05", { hour: 8, minute: 5 }],
    ["12am", { hour: 0, minute: 0 }],
    ["12pm", { hour: 12, minute: 0 }],
    ["18", null],
    ["24:00", null],
    ["9:75", null],
  ])("clock time %s", (text, expected) => {
    expect(clockTime(text)).toEqual(expected);
  });
});
