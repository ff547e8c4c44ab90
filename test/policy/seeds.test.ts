import { describe, expect, it } from "vitest";
import { evaluate, simulate } from "../../src/policy/index.js";
import { firstResponseDue, historyOf, local, seedPolicy, wall } from "./helpers.js";

describe("Support Guidelines: first response by severity, 08:00-17:00 Mountain", () => {
  const policy = seedPolicy("support-guidelines");
  it.each([
    ["critical", "2026-03-02 10:00", "Tue 2026-03-03 10:00", "24 hours is one business day"],
    ["urgent", "2026-03-06 10:00", "Tue 2026-03-10 10:00", "48 hours skips the weekend"],
    ["high", "2026-03-02 10:00", "Thu 2026-03-05 10:00", "three days"],
    ["normal", "2026-03-02 10:00", "Mon 2026-03-09 10:00", "one week is five business days"],
    ["low", "2026-12-18 16:00", "Tue 2027-01-05 16:00", "two weeks skip Christmas and New Year"],
    ["critical", "2026-03-07 12:00", "Mon 2026-03-09 17:00", "on Saturday: by Monday's close"],
    ["critical", "2026-03-02 06:00", "Mon 2026-03-02 17:00", "before opening: by the same day's close"],
  ])("a %s case opened %s is due %s (%s)", (severity, opened, due) => {
    expect(firstResponseDue(policy, { severity }, opened)).toBe(due);
  });

  it("runs the agreed severity's time frame from the agreement", () => {
    const history = historyOf(policy, "2026-03-02 10:00", { severity: "normal" }, [
      [
        "2026-03-02 11:00",
        { type: "severityChanged", severity: "critical", by: "agent", why: "agreed on call" },
      ],
    ]);
    const result = evaluate(policy, history, local("2026-03-02 12:00", policy.zone));
    expect(result.facts.severity).toBe("critical");
    expect(wall(result.targets[0]?.due, policy.zone)).toBe("Tue 2026-03-03 11:00");
    expect(wall(result.targets[0]?.previousDue, policy.zone)).toBe("Mon 2026-03-09 10:00");
  });

  it("resolves a case after 4 consecutive days without the customer's answer, reminding a day before", () => {
    const history = historyOf(policy, "2026-03-02 10:00", {}, [
      ["2026-03-02 11:00", { type: "agentReply" }],
      ["2026-03-02 11:05", { type: "waitingOnCustomer" }],
    ]);
    const result = evaluate(policy, history, local("2026-03-05 12:00", policy.zone));
    expect(result.actionsDue.map((a) => [a.key, wall(a.at, policy.zone)])).toEqual([
      ["c1:autoResolve#1:reminder", "Thu 2026-03-05 11:05"],
    ]);
    expect(wall(result.nextCheckAt, policy.zone)).toBe("Fri 2026-03-06 11:05");
  });

  it("does not auto-resolve once the customer answers", () => {
    const history = historyOf(policy, "2026-03-02 10:00", {}, [
      ["2026-03-02 11:00", { type: "agentReply" }],
      ["2026-03-02 11:05", { type: "waitingOnCustomer" }],
      ["2026-03-04 09:00", { type: "customerReply" }],
    ]);
    const result = evaluate(policy, history, local("2026-03-10 12:00", policy.zone));
    expect(result.timeline.filter((a) => a.kind.startsWith("autoResolve"))).toEqual([]);
  });
});

describe("WorkEasy: callback within 24 business hours (typically 4), Eastern, Friday closes at 17:00", () => {
  const policy = seedPolicy("workeasy");
  it.each([
    ["phone", "2026-11-20 16:00", "Wed 2026-11-25 10:00", "a WorkEasy call at Friday 16:00 Eastern"],
    ["in-product", "2026-03-05 19:00", "Tue 2026-03-10 13:00", "across the spring DST weekend"],
    ["portal", "2026-10-30 16:00", "Wed 2026-11-04 10:00", "across the autumn DST weekend"],
    ["chat", "2026-11-25 19:00", "Tue 2026-12-01 13:00", "Thanksgiving closes Thursday"],
  ])("a %s ticket at %s is due %s (%s)", (channel, opened, due) => {
    expect(firstResponseDue(policy, { channel }, opened)).toBe(due);
  });

  it("warns at the typical 4 business hours", () => {
    const result = simulate(policy, { channel: "phone" }, local("2026-11-20 16:00", policy.zone));
    expect(wall(result.deadlines[0]?.warnAt, policy.zone)).toBe("Mon 2026-11-23 12:00");
  });

  it("sets no SLA for enhancement requests and sends them to the Product Team", () => {
    const result = simulate(policy, { category: "enhancement" }, local("2026-11-20 16:00", policy.zone));
    expect(result.deadlines).toEqual([
      { target: "firstResponse", due: null, warnAt: null, within: "none", goal: null },
    ]);
    expect(result.timeline.map((a) => a.key)).toEqual(["c1:esc:enhancement-review"]);
  });

  it("sends critical defects to the hotfix channel at once", () => {
    const result = simulate(
      policy,
      { category: "defect", severity: "critical" },
      local("2026-11-20 16:00", policy.zone),
    );
    expect(result.timeline[0]).toMatchObject({ key: "c1:esc:critical-defect-hotfix", kind: "escalate" });
  });
});

describe("WES: one hour around the clock, help desk by day, on-call after hours", () => {
  const policy = seedPolicy("wes");
  const zone = policy.zone;
  const pages = (opened: string, facts = {}) =>
    simulate(policy, facts, local(opened, zone))
      .timeline.filter((a) => a.kind === "escalate")
      .map((a) => [a.key, wall(a.at, zone)]);

  it("pages the help desk in business hours and warns at the 15-minute average", () => {
    const result = simulate(policy, {}, local("2026-11-23 10:00", zone));
    expect(wall(result.deadlines[0]?.due, zone)).toBe("Mon 2026-11-23 11:00");
    expect(wall(result.deadlines[0]?.warnAt, zone)).toBe("Mon 2026-11-23 10:15");
    expect(pages("2026-11-23 10:00")).toEqual([
      ["c1:esc:page-help-desk", "Mon 2026-11-23 10:00"],
      ["c1:firstResponse:esc:response-missed", "Mon 2026-11-23 11:00"],
    ]);
  });

  it("pages on-call on a holiday night and again if nobody answers within the hour", () => {
    expect(pages("2026-11-26 02:30")).toEqual([
      ["c1:esc:page-on-call", "Thu 2026-11-26 02:30"],
      ["c1:firstResponse:esc:response-missed", "Thu 2026-11-26 03:30"],
      ["c1:firstResponse:esc:response-missed-after-hours", "Thu 2026-11-26 03:30"],
    ]);
  });

  it("answers a location that cannot use the system immediately (breached after the 15-minute grace)", () => {
    expect(firstResponseDue(policy, { severity: "critical" }, "2026-11-23 10:00")).toBe(
      "Mon 2026-11-23 10:15",
    );
    expect(pages("2026-11-23 10:00", { severity: "critical" })).toContainEqual([
      "c1:esc:location-down",
      "Mon 2026-11-23 10:00",
    ]);
  });

  it("raises a software error to the highest priority and refers modification requests", () => {
    const error = simulate(policy, { category: "error" }, local("2026-11-23 10:00", zone));
    const raise = error.timeline.find((a) => a.key === "c1:esc:error-highest-priority");
    expect(raise?.kind === "escalate" && raise.actions).toEqual([{ type: "raiseSeverity", to: "high" }]);
    const modification = simulate(policy, { category: "modification" }, local("2026-11-23 10:00", zone));
    expect(modification.deadlines[0]?.due).toBeNull();
    expect(modification.timeline.map((a) => a.key)).toContain("c1:esc:modification-review");
  });
});

describe("In8Sync: severities 1-5, initial response within 24 hours outside 08:00-17:00 Mountain", () => {
  const policy = seedPolicy("in8sync");

  it("escalates a case raised to Severity 1 when it is raised, not from its opening", () => {
    const history = historyOf(policy, "2026-11-24 09:00", { severity: "3" }, [
      ["2026-11-24 12:00", { type: "severityChanged", severity: "1" }],
    ]);
    const step = evaluate(policy, history, local("2026-11-24 12:00", policy.zone)).actionsDue.find(
      (a) => a.key === "c1:esc:severity-1",
    );
    expect(wall(step?.at, policy.zone)).toBe("Tue 2026-11-24 12:00");
    const before = evaluate(policy, history, local("2026-11-24 11:59", policy.zone));
    expect(before.actionsDue.map((a) => a.key)).not.toContain("c1:esc:severity-1");
  });
  it("keys severities 1 to 5 with their labels", () => {
    expect(policy.severities.map((s) => `${s.key} ${s.label}`)).toEqual([
      "1 Critical",
      "2 Important",
      "3 Minor",
      "4 Change Request",
      "5 Question",
    ]);
  });

  it("answers a Friday-evening case within 24 wall-clock hours", () => {
    expect(firstResponseDue(policy, { severity: "2" }, "2026-11-20 18:00")).toBe("Sat 2026-11-21 18:00");
  });

  it("posts a Severity 1 case at once, and closes an inactive case after 7 days with a reminder", () => {
    const history = historyOf(policy, "2026-11-02 09:00", { severity: "1" }, [
      ["2026-11-02 10:00", { type: "agentReply" }],
      ["2026-11-02 10:00", { type: "waitingOnCustomer" }],
    ]);
    const result = evaluate(policy, history, local("2026-11-12 09:00", policy.zone));
    expect(result.actionsDue.map((a) => [a.key, wall(a.at, policy.zone)])).toEqual([
      ["c1:esc:severity-1", "Mon 2026-11-02 09:00"],
      ["c1:autoResolve#1:reminder", "Sat 2026-11-07 10:00"],
      ["c1:autoResolve#1", "Mon 2026-11-09 10:00"],
    ]);
  });
});
