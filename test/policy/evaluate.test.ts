import { describe, expect, it } from "vitest";
import { evaluate, parsePolicy } from "../../src/policy/index.js";
import { historyOf, local, seedPolicy, wall } from "./helpers.js";

// A small policy with every target kind, on the business clock of Support Guidelines' hours.
const cadence = parsePolicy(
  `
id: cadence
name: Cadence test
calendar: { zone: America/Denver, hours: { weekdays: ["08:00-17:00"] } }
severities: [{ key: normal, label: Normal }]
channels: [email]
plans: [{ key: standard, label: Standard }]
categories: [issue]
defaults: { severity: normal, channel: email, plan: standard, category: issue }
targets:
  - { target: firstResponse, within: 2 business hours, warn: { before: 30m } }
  - { target: nextUpdate, within: 4 business hours }
  - { target: resolution, within: 3 business days }
escalations:
  - { id: lead, from: due, target: resolution, after: -1 business hours, actions: [{ notify: { role: lead } }] }
`,
  "cadence.yaml",
);
const zone = cadence.zone;
const at = (text: string) => local(text, zone);

describe("evaluate: targets and states from the ticket log", () => {
  it("meets the first response with the first public agent reply", () => {
    const history = historyOf(cadence, "2026-03-02 09:00", {}, [
      ["2026-03-02 10:00", { type: "agentReply" }],
    ]);
    const first = evaluate(cadence, history, at("2026-03-02 12:00")).targets[0]!;
    expect([first.target, first.state, wall(first.metAt, zone), wall(first.due, zone)]).toEqual([
      "firstResponse",
      "met",
      "Mon 2026-03-02 10:00",
      "Mon 2026-03-02 11:00",
    ]);
  });

  it("marks a late reply as breached and keeps the breach in the actions", () => {
    const history = historyOf(cadence, "2026-03-02 09:00", {}, [
      ["2026-03-02 11:30", { type: "agentReply" }],
    ]);
    const result = evaluate(cadence, history, at("2026-03-02 12:00"));
    expect(result.targets[0]?.state).toBe("breached");
    expect(result.actionsDue.map((a) => a.key)).toEqual(["c1:firstResponse:warn", "c1:firstResponse:breach"]);
  });

  it("starts a next-update cadence after each agent reply", () => {
    const history = historyOf(cadence, "2026-03-02 09:00", {}, [
      ["2026-03-02 10:00", { type: "agentReply" }],
      ["2026-03-02 13:00", { type: "agentReply" }],
    ]);
    const result = evaluate(cadence, history, at("2026-03-02 16:00"));
    const update = result.targets.find((t) => t.target === "nextUpdate");
    // Four business hours from 13:00 end exactly at the 17:00 close: due then, not at 08:00 next day.
    expect([update?.instance, wall(update?.due, zone), update?.state]).toEqual([
      2,
      "Mon 2026-03-02 17:00",
      "pending",
    ]);
    expect(wall(result.nextCheckAt, zone)).toBe("Mon 2026-03-02 17:00");
  });

  it("pauses resolution while waiting on the customer and resumes with the paused time added", () => {
    const waiting = historyOf(cadence, "2026-03-02 09:00", {}, [
      ["2026-03-02 10:00", { type: "agentReply" }],
      ["2026-03-02 11:00", { type: "waitingOnCustomer" }],
    ]);
    const paused = evaluate(cadence, waiting, at("2026-03-03 12:00"));
    expect(paused.targets.find((t) => t.target === "resolution")).toMatchObject({
      state: "paused",
      due: null,
    });
    const resumed = {
      ...waiting,
      events: [...waiting.events, { type: "customerReply" as const, at: at("2026-03-03 11:00") }],
    };
    const result = evaluate(cadence, resumed, at("2026-03-03 12:00"));
    // 3 business days = 27 h; 2 h ran before the wait, 25 h remain from Tuesday 11:00.
    expect(wall(result.targets.find((t) => t.target === "resolution")?.due, zone)).toBe(
      "Fri 2026-03-06 09:00",
    );
  });

  it("escalates before the resolution is due on the target's own clock", () => {
    const history = historyOf(cadence, "2026-03-02 09:00", {}, [
      ["2026-03-02 10:00", { type: "agentReply" }],
    ]);
    const step = evaluate(cadence, history, at("2026-03-02 10:00")).timeline.find(
      (a) => a.kind === "escalate",
    );
    // Due Thursday 09:00; one business hour before is Wednesday's 17:00 close (Thursday 08:00 is the
    // same business instant, and a budget used up at a close ends there).
    expect([step?.key, wall(step?.at, zone)]).toEqual(["c1:resolution:esc:lead", "Wed 2026-03-04 17:00"]);
  });

  it("restarts targets in a new cycle after a reopen, with keys of that cycle", () => {
    const history = historyOf(cadence, "2026-03-02 09:00", {}, [
      ["2026-03-02 10:00", { type: "agentReply" }],
      ["2026-03-02 12:00", { type: "resolved", reason: "fixed" }],
      ["2026-03-04 09:00", { type: "reopened" }],
    ]);
    const result = evaluate(cadence, history, at("2026-03-04 12:00"));
    expect(result.cycle).toBe(2);
    expect(result.actionsDue.map((a) => a.key)).toEqual(["c2:firstResponse:warn", "c2:firstResponse:breach"]);
  });

  it("returns the same keys for the same actions however often it is asked", () => {
    const policy = seedPolicy("wetx");
    const history = historyOf(policy, "2026-11-16 09:00", { category: "defect", plan: "gold" });
    const seen = new Map<string, string>();
    for (let hour = 0; hour <= 24 * 6; hour += 1) {
      const now = history.openedAt.plus({ hours: hour });
      const result = evaluate(policy, history, now);
      for (const action of result.actionsDue) {
        const instant = action.at.toISO()!;
        expect(seen.get(action.key) ?? instant).toBe(instant);
        seen.set(action.key, instant);
      }
      expect(result.nextCheckAt === null || result.nextCheckAt > now).toBe(true);
    }
    expect([...seen.keys()]).toContain("c1:esc:ceo-96h");
  });
});
