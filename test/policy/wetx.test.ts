import { describe, expect, it } from "vitest";
import { evaluate, simulate } from "../../src/policy/index.js";
import { firstResponseDue, historyOf, local, seedPolicy, wall } from "./helpers.js";

const wetx = seedPolicy("wetx");
const zone = "America/Denver";

describe("WETx: initial acknowledgement by channel (Business Day = weekdays 07:00-19:00 Mountain)", () => {
  it.each([
    ["email", "2026-11-20 18:30", "Mon 2026-11-23 19:00", "a WETx email at Friday 18:30 is due Monday 19:00"],
    ["email", "2026-11-25 09:00", "Fri 2026-11-27 19:00", "an email the day before Thanksgiving skips it"],
    ["portal", "2026-11-21 10:00", "Mon 2026-11-23 19:00", "a web ticket on Saturday is due Monday 19:00"],
    [
      "voicemail",
      "2026-11-24 06:00",
      "Tue 2026-11-24 19:00",
      "a voicemail at 06:00 Tuesday is due that evening",
    ],
    ["voicemail", "2026-11-24 07:00", "Wed 2026-11-25 19:00", "a voicemail at opening is due the next day"],
    ["phone", "2026-11-20 20:00", "Mon 2026-11-23 19:00", "a call after hours goes to voicemail"],
    [
      "phone",
      "2026-11-20 10:00",
      "Fri 2026-11-20 10:05",
      "a call in business hours is owed at once, breached after its 5-minute grace",
    ],
    [
      "text",
      "2026-11-20 10:00",
      "Sat 2026-11-21 00:00",
      "a text in hours is due by the end of the calendar day",
    ],
    ["text", "2026-11-21 10:00", "Mon 2026-11-23 19:00", "a text on Saturday is due the end of Monday"],
    ["chat", "2026-11-25 17:00", "Fri 2026-11-27 19:00", "a chat on Wednesday is due Friday (Thanksgiving)"],
  ])("%s at %s is due %s (%s)", (channel, opened, due) => {
    expect(firstResponseDue(wetx, { channel }, opened)).toBe(due);
  });

  it("carries the compliance goals: 95% of texts, 5% of calls", () => {
    const text = simulate(wetx, { channel: "text" }, local("2026-11-20 10:00", zone));
    const phone = simulate(wetx, { channel: "phone" }, local("2026-11-20 10:00", zone));
    expect(text.deadlines[0]?.goal).toBe(95);
    expect(phone.deadlines[0]?.goal).toBe(5);
  });

  it("warns a chat that has waited an hour ('many times within the same hour')", () => {
    const chat = simulate(wetx, { channel: "chat" }, local("2026-11-24 10:00", zone));
    expect(wall(chat.deadlines[0]?.warnAt, zone)).toBe("Tue 2026-11-24 11:00");
  });

  it("skips the observed Independence Day (Friday 2026-07-03)", () => {
    expect(firstResponseDue(wetx, { channel: "email" }, "2026-07-02 12:00")).toBe("Mon 2026-07-06 19:00");
  });

  it("skips the observed Veterans Day, which date-holidays types as bank (Friday 2028-11-10)", () => {
    expect(firstResponseDue(wetx, { channel: "email" }, "2028-11-09 12:00")).toBe("Mon 2028-11-13 19:00");
  });

  it("keeps the 19:00 close across the spring DST change (Sunday 2026-03-08)", () => {
    const due = simulate(wetx, { channel: "email" }, local("2026-03-06 18:00", zone)).deadlines[0]?.due;
    expect(due?.toISO()).toBe("2026-03-09T19:00:00.000-06:00");
  });
});

describe("WETx: escalation 72 h (legal) and 96 h (CEO) after reporting a defect", () => {
  it("notifies legal at 72 h and the CEO at 96 h while the defect is unresolved", () => {
    const { timeline } = simulate(
      wetx,
      { channel: "email", category: "defect" },
      local("2026-11-16 09:00", zone),
    );
    const steps = timeline.filter((a) => a.kind === "escalate").map((a) => [a.key, wall(a.at, zone)]);
    expect(steps).toContainEqual(["c1:esc:legal-72h", "Thu 2026-11-19 09:00"]);
    expect(steps).toContainEqual(["c1:esc:ceo-96h", "Fri 2026-11-20 09:00"]);
  });

  it("does not escalate a question, nor a defect resolved before 72 h", () => {
    const question = simulate(wetx, { category: "question" }, local("2026-11-16 09:00", zone));
    expect(question.timeline.map((a) => a.key)).not.toContain("c1:esc:legal-72h");
    const history = historyOf(wetx, "2026-11-16 09:00", { category: "defect" }, [
      ["2026-11-16 10:00", { type: "agentReply" }],
      ["2026-11-18 09:00", { type: "resolved", reason: "fixed" }],
    ]);
    const later = evaluate(wetx, history, local("2026-11-30 09:00", zone));
    expect(later.timeline.filter((a) => a.kind === "escalate")).toEqual([]);
    expect(later.nextCheckAt).toBeNull();
  });
});

describe("WETx: support plans", () => {
  it("gives Gold a TAM and a tier 2 engineer at once, then three levels above the TAM on a miss", () => {
    const { timeline } = simulate(wetx, { channel: "email", plan: "gold" }, local("2026-11-23 09:00", zone));
    const steps = timeline.filter((a) => a.kind === "escalate").map((a) => [a.key, wall(a.at, zone)]);
    expect(steps).toEqual([
      ["c1:esc:tam", "Mon 2026-11-23 09:00"],
      ["c1:esc:tier2-engineer", "Mon 2026-11-23 09:00"],
      ["c1:firstResponse:esc:breach-notice", "Tue 2026-11-24 19:00"],
      ["c1:firstResponse:esc:gold-level-1", "Tue 2026-11-24 19:00"],
      ["c1:firstResponse:esc:gold-level-2", "Wed 2026-11-25 11:00"],
      ["c1:firstResponse:esc:gold-level-3", "Fri 2026-11-27 11:00"],
    ]);
  });

  it("gives Silver a tier 2 engineer but no TAM", () => {
    const { timeline } = simulate(wetx, { plan: "silver" }, local("2026-11-23 09:00", zone));
    const keys = timeline.map((a) => a.key);
    expect(keys).toContain("c1:esc:tier2-engineer");
    expect(keys).not.toContain("c1:esc:tam");
  });
});
