import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { evaluate, type PolicyEvent, type TicketHistory } from "../../src/policy/index.js";
import { seedPolicy } from "./helpers.js";

const policies = ["support-guidelines", "wes", "wetx", "in8sync", "workeasy"].map(seedPolicy);

const MINUTE = 60_000;
const kinds = [
  "agentReply",
  "customerReply",
  "waitingOnCustomer",
  "resumed",
  "severityChanged",
  "resolved",
  "reopened",
] as const;

/** A random ticket of a random seed policy: opened somewhere in 2026-2030, then up to 8 events. */
const ticket = fc
  .record({
    policy: fc.integer({ min: 0, max: policies.length - 1 }),
    opened: fc.integer({ min: Date.UTC(2026, 0, 1) / MINUTE, max: Date.UTC(2030, 11, 1) / MINUTE }),
    picks: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
    events: fc.array(
      fc.record({
        gap: fc.integer({ min: 1, max: 4 * 24 * 60 }),
        kind: fc.constantFrom(...kinds),
        pick: fc.nat(),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ policy: index, opened, picks, events }) => {
    const policy = policies[index]!;
    const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;
    const openedAt = DateTime.fromMillis(opened * MINUTE, { zone: policy.zone });
    const log: PolicyEvent[] = [
      {
        type: "opened",
        at: openedAt,
        severity: pick(policy.severities, picks[0]!).key,
        channel: pick(policy.channels, picks[1]!),
        plan: pick(policy.plans, picks[2]!).key,
        category: pick(policy.categories, picks[3]!),
      },
    ];
    let at = openedAt;
    for (const event of events) {
      at = at.plus({ minutes: event.gap });
      log.push(
        event.kind === "severityChanged"
          ? { type: event.kind, at, severity: pick(policy.severities, event.pick).key }
          : { type: event.kind, at },
      );
    }
    return { policy, history: { openedAt, events: log } satisfies TicketHistory };
  });

describe("no breach, warning or escalation is ever due before the event that starts its clock", () => {
  it("holds for random tickets of every seed policy across 2026-2030 (DST switches and holidays included)", () => {
    fc.assert(
      fc.property(ticket, ({ policy, history }) => {
        for (const event of history.events) {
          const t = event.at;
          const before = evaluate(policy, history, t.minus({ milliseconds: 1 }));
          const after = evaluate(policy, history, t);
          const wasDue = new Set(before.actionsDue.map((a) => a.key));
          // Whatever the event made due is due at its own instant, never at one before it.
          for (const action of after.actionsDue) {
            if (!wasDue.has(action.key))
              expect(action.at.toMillis(), action.key).toBeGreaterThanOrEqual(t.toMillis());
          }
          for (const action of after.timeline) {
            expect(action.at.toMillis()).toBeGreaterThanOrEqual(history.openedAt.toMillis());
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
