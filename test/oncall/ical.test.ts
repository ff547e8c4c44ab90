import { describe, expect, it } from "vitest";
import { scheduleToICal } from "../../src/oncall/ical.js";
import { loadScheduleFile } from "../../src/oncall/scheduleFile.js";
import { at, wesHours } from "./support/fakeCalendar.js";

const NY = "America/New_York";
const wes = loadScheduleFile("policies/oncall/wes.yaml");

/** Just enough RFC 5545 reading for the test: unfold lines, then collect each VEVENT's properties. */
function parseEvents(text: string): Record<string, string>[] {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT" && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon).split(";")[0]!] = line.slice(colon + 1);
    }
  }
  return events;
}

describe("scheduleToICal", () => {
  // Monday to Monday over the spring-forward week.
  const from = at("2026-03-02T08:00", NY);
  const to = at("2026-03-09T08:00", NY);
  const options = { businessHours: wesHours };

  it("writes a personal feed: alice's evenings and weekend, in UTC", () => {
    const text = scheduleToICal(wes, from, to, { ...options, person: "alice" });
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const events = parseEvents(text);
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.DTSTART)).toEqual([
      "20260302T220000Z",
      "20260303T220000Z",
      "20260304T220000Z",
      "20260305T220000Z",
      "20260306T220000Z",
    ]);
    // Friday 17:00 EST until Monday 08:00 EDT: the change is in the UTC hour.
    expect(events[4]!.DTEND).toBe("20260309T120000Z");
    expect(events[0]!.SUMMARY).toBe("On call (WES after-hours on-call): alice");
  });

  it("writes the whole schedule with the help-desk stretches, and stable UIDs", () => {
    const text = scheduleToICal(wes, from, to, options);
    const events = parseEvents(text);
    expect(events).toHaveLength(10);
    expect(events.filter((e) => e.SUMMARY?.endsWith("#wes-help-desk"))).toHaveLength(5);
    expect(scheduleToICal(wes, from, to, options)).toBe(text);
    expect(new Set(events.map((e) => e.UID)).size).toBe(10);
  });

  it("keeps shifts whole at the window's edges, so a rolling feed keeps the same UIDs", () => {
    const saturday = at("2026-03-07T12:00", NY);
    const [weekend] = parseEvents(scheduleToICal(wes, saturday, saturday.plus({ hours: 1 }), options));
    expect(weekend).toMatchObject({ DTSTART: "20260306T220000Z", DTEND: "20260309T120000Z" });
    const later = parseEvents(scheduleToICal(wes, saturday.plus({ hours: 6 }), to, options))[0];
    expect(later?.UID).toBe(weekend?.UID);
  });
});
