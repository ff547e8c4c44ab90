import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { evaluate, type Policy, type TicketFacts } from "../../src/policy/index.js";
import { complianceReport } from "../../src/reports/compliance.js";
import type { LoggedEvent } from "../../src/tickets/events.js";
import { historyOf, local, seedPolicy, wall } from "./helpers.js";

/** Every action of the timeline as [key, local instant], for a history evaluated at `now`. */
function timelineOf(policy: Policy, history: ReturnType<typeof historyOf>, now: string) {
  const result = evaluate(policy, history, local(now, policy.zone));
  return result.timeline.map((a) => [a.key, wall(a.at, policy.zone)]);
}

describe("day and week units are calendar days in the policy's zone", () => {
  it("Support Guidelines: a wait from Fri 2030-03-08 08:09 MST resolves Tue 03-12 08:09 MDT", () => {
    const policy = seedPolicy("support-guidelines");
    const history = historyOf(policy, "2030-03-07 10:00", {}, [
      ["2030-03-08 08:00", { type: "agentReply" }],
      ["2030-03-08 08:09", { type: "waitingOnCustomer" }],
    ]);
    const inactivity = timelineOf(policy, history, "2030-03-20 00:00").filter(([key]) =>
      String(key).includes("autoResolve"),
    );
    expect(inactivity).toEqual([
      ["c1:autoResolve#1:reminder", "Mon 2030-03-11 08:09"],
      ["c1:autoResolve#1", "Tue 2030-03-12 08:09"],
    ]);
    const resolveAt = evaluate(policy, history, local("2030-03-20 00:00", policy.zone)).timeline.at(-1)!.at;
    expect(resolveAt.toUTC().toISO()).toBe("2030-03-12T14:09:00.000Z"); // 08:09 MDT (UTC-6)
  });

  it("In8Sync: 7 calendar days across the autumn switch keep the local time (reminder 2 days before)", () => {
    const policy = seedPolicy("in8sync");
    const history = historyOf(policy, "2026-10-29 09:00", {}, [
      ["2026-10-29 09:30", { type: "agentReply" }],
      ["2026-10-29 09:45", { type: "waitingOnCustomer" }],
    ]);
    const inactivity = timelineOf(policy, history, "2026-11-10 00:00").filter(([key]) =>
      String(key).includes("autoResolve"),
    );
    expect(inactivity).toEqual([
      ["c1:autoResolve#1:reminder", "Tue 2026-11-03 09:45"],
      ["c1:autoResolve#1", "Thu 2026-11-05 09:45"],
    ]);
  });
});

describe("after a severity change the new severity's targets run from the change", () => {
  const policy = seedPolicy("support-guidelines");
  const raised = (when: string, later: [string, object][] = []) =>
    historyOf(policy, "2026-03-02 10:00", { severity: "normal" }, [
      [when, { type: "severityChanged", severity: "critical", by: "agent", why: "agreed" }],
      ...later,
    ]);

  it("normal opened Mon 10:00, raised to critical Wed 10:00: due Thu 10:00, nothing fires at the change", () => {
    const result = evaluate(policy, raised("2026-03-04 10:00"), local("2026-03-04 10:00", policy.zone));
    const target = result.targets.find((t) => t.target === "firstResponse")!;
    expect(wall(target.due, policy.zone)).toBe("Thu 2026-03-05 10:00");
    expect(wall(target.previousDue, policy.zone)).toBe("Mon 2026-03-09 10:00");
    expect(target.state).toBe("pending");
    expect(result.actionsDue).toEqual([]);
    expect(result.timeline.map((a) => [a.key, wall(a.at, policy.zone)])).toEqual([
      ["c1:firstResponse:warn", "Wed 2026-03-04 16:45"],
      ["c1:firstResponse:breach", "Thu 2026-03-05 10:00"],
      ["c1:firstResponse:esc:breach-notice", "Thu 2026-03-05 10:00"],
    ]);
  });

  it("an upgrade never gives a ticket longer: low due in two weeks, raised to critical a day before", () => {
    const history = historyOf(policy, "2026-03-02 10:00", { severity: "low" }, [
      ["2026-03-13 10:00", { type: "severityChanged", severity: "critical", by: "agent", why: "agreed" }],
    ]);
    const target = evaluate(policy, history, local("2026-03-13 10:00", policy.zone)).targets[0]!;
    expect(wall(target.due, policy.zone)).toBe("Mon 2026-03-16 10:00");
    expect(wall(target.previousDue, policy.zone)).toBe("Mon 2026-03-16 10:00");
  });

  it("a downgrade after the response never makes the met target unmet", () => {
    const history = historyOf(policy, "2026-03-02 10:00", { severity: "critical" }, [
      ["2026-03-02 11:00", { type: "agentReply" }],
      ["2026-03-04 10:00", { type: "severityChanged", severity: "low", by: "agent", why: "workaround" }],
    ]);
    const target = evaluate(policy, history, local("2026-03-20 10:00", policy.zone)).targets[0]!;
    expect([target.state, wall(target.due, policy.zone)]).toEqual(["met", "Tue 2026-03-03 10:00"]);
    expect(target.previousDue).toBeUndefined();
  });

  it("a change after the breach leaves the breach as it was announced", () => {
    const history = historyOf(policy, "2026-03-02 10:00", { severity: "critical" }, [
      ["2026-03-04 10:00", { type: "severityChanged", severity: "low", by: "agent", why: "workaround" }],
    ]);
    const result = evaluate(policy, history, local("2026-03-04 10:00", policy.zone));
    expect([result.targets[0]!.state, wall(result.targets[0]!.due, policy.zone)]).toEqual([
      "breached",
      "Tue 2026-03-03 10:00",
    ]);
  });
});

describe("within: immediate is owed now, breached only after its grace", () => {
  const wes = seedPolicy("wes");
  const critical = (later: [string, object][] = []) =>
    historyOf(wes, "2026-11-23 10:00", { severity: "critical", category: "error" }, later);

  it("WES critical: respond now (pending) at opening, breached and escalated at 10:15 without a reply", () => {
    const atOpening = evaluate(wes, critical(), local("2026-11-23 10:00", wes.zone));
    expect(atOpening.targets[0]).toMatchObject({ state: "pending", immediate: true });
    expect(atOpening.actionsDue.map((a) => a.key)).not.toContain("c1:firstResponse:breach");
    const late = timelineOf(wes, critical(), "2026-11-23 10:15").filter(([key]) =>
      String(key).startsWith("c1:firstResponse"),
    );
    expect(late).toEqual([
      ["c1:firstResponse:breach", "Mon 2026-11-23 10:15"],
      ["c1:firstResponse:esc:response-missed", "Mon 2026-11-23 10:15"],
    ]);
  });

  it("WES critical: a call back at 10:10 meets the target and nothing escalates", () => {
    const result = evaluate(
      wes,
      critical([["2026-11-23 10:10", { type: "agentReply" }]]),
      local("2026-11-23 12:00", wes.zone),
    );
    expect(result.targets[0]?.state).toBe("met");
    expect(result.timeline.some((a) => a.key.startsWith("c1:firstResponse"))).toBe(false);
  });

  it("the report counts calls met within the grace as met and later ones as breached", () => {
    const opened = DateTime.fromISO("2026-11-23T10:00", { zone: wes.zone });
    const log = (replyAfterMinutes: number | null): LoggedEvent[] => {
      const events: LoggedEvent[] = [
        {
          seq: 1,
          at: opened.toJSDate(),
          actorId: "carol",
          source: "terminal",
          payload: {
            type: "created",
            summary: "Warehouse down",
            description: "",
            severity: "critical",
            channel: "phone",
            plan: "standard",
            category: "error",
          },
        },
      ];
      if (replyAfterMinutes !== null)
        events.push({
          seq: 2,
          at: opened.plus({ minutes: replyAfterMinutes }).toJSDate(),
          actorId: "alice",
          source: "terminal",
          payload: { type: "comment", author: "agent", visibility: "public", text: "On it" },
        });
      return events;
    };
    const logs = [log(5), log(14), log(20), log(null)];
    const [row] = complianceReport(wes, logs, opened.plus({ minutes: 10 }), []);
    expect(row).toMatchObject({ met: 1, breached: 0, open: 3 });
    const [later] = complianceReport(wes, logs, opened.plus({ hours: 1 }), []);
    expect(later).toMatchObject({ met: 2, breached: 2, open: 0, compliance: 50 });
  });
});

describe("WETx gold: phone calls in business hours are counted, never escalated", () => {
  const wetx = seedPolicy("wetx");
  const gold: Partial<TicketFacts> = { channel: "phone", plan: "gold" };

  it("an unanswered in-hours gold call breaches at 10:05 but climbs no ladder and posts nothing", () => {
    const steps = timelineOf(wetx, historyOf(wetx, "2026-11-18 10:00", gold), "2026-11-30 10:00");
    expect(steps).toEqual([
      ["c1:esc:tam", "Wed 2026-11-18 10:00"],
      ["c1:esc:tier2-engineer", "Wed 2026-11-18 10:00"],
      ["c1:firstResponse:breach", "Wed 2026-11-18 10:05"],
    ]);
  });

  it("a gold call answered two minutes later is met, with no escalation", () => {
    const history = historyOf(wetx, "2026-11-18 10:00", gold, [["2026-11-18 10:02", { type: "agentReply" }]]);
    const result = evaluate(wetx, history, local("2026-11-30 10:00", wetx.zone));
    expect(result.targets[0]?.state).toBe("met");
    expect(result.timeline.filter((a) => a.kind !== "escalate" || a.step.startsWith("gold"))).toEqual([]);
  });

  it("a gold call after hours is a voicemail: the ladder starts at its missed return call", () => {
    const steps = timelineOf(wetx, historyOf(wetx, "2026-11-18 20:00", gold), "2026-11-30 10:00");
    expect(steps.filter(([key]) => String(key).startsWith("c1:firstResponse"))).toEqual([
      ["c1:firstResponse:breach", "Thu 2026-11-19 19:00"],
      ["c1:firstResponse:esc:breach-notice", "Thu 2026-11-19 19:00"],
      ["c1:firstResponse:esc:gold-level-1", "Thu 2026-11-19 19:00"],
      ["c1:firstResponse:esc:gold-level-2", "Fri 2026-11-20 11:00"],
      ["c1:firstResponse:esc:gold-level-3", "Mon 2026-11-23 11:00"],
    ]);
  });
});

describe("WES: the IT manager hears of a missed response to a call that came in after hours", () => {
  const wes = seedPolicy("wes");
  const missed = (opened: string) =>
    timelineOf(wes, historyOf(wes, opened, {}), "2026-11-30 00:00")
      .filter(([key]) => String(key).startsWith("c1:firstResponse:esc"))
      .map(([key, at]) => [String(key).replace("c1:firstResponse:esc:", ""), at]);

  it("Fri 16:30 (in hours, no ladder paged): missed at 17:30, the help desk only", () => {
    expect(missed("2026-11-20 16:30")).toEqual([["response-missed", "Fri 2026-11-20 17:30"]]);
  });

  it("Mon 07:30 (after hours, the ladder is paging): missed at 08:30, the IT manager too", () => {
    expect(missed("2026-11-23 07:30")).toEqual([
      ["response-missed", "Mon 2026-11-23 08:30"],
      ["response-missed-after-hours", "Mon 2026-11-23 08:30"],
    ]);
  });
});
