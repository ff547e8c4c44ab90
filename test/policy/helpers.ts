import { DateTime } from "luxon";
import {
  loadPolicyFile,
  type Policy,
  type PolicyEvent,
  simulate,
  type TicketFacts,
} from "../../src/policy/index.js";

const loaded = new Map<string, Policy>();

/** The seed policy in policies/NAME.yaml, loaded once per test file. */
export function seedPolicy(name: string): Policy {
  let policy = loaded.get(name);
  if (!policy) {
    policy = loadPolicyFile(new URL(`../../policies/${name}.yaml`, import.meta.url).pathname);
    loaded.set(name, policy);
  }
  return policy;
}

/** "2026-11-20 18:30" on the wall clock of `zone`. */
export function local(text: string, zone: string): DateTime {
  const t = DateTime.fromISO(text.replace(" ", "T"), { zone });
  if (!t.isValid) throw new Error(`bad test instant ${text}`);
  return t;
}

/** Wall-clock text of an instant in `zone`, e.g. "Mon 2026-11-23 19:00". */
export function wall(t: DateTime | null | undefined, zone: string): string | null {
  return t ? t.setZone(zone).toFormat("ccc yyyy-MM-dd HH:mm") : null;
}

export function firstResponseDue(
  policy: Policy,
  facts: Partial<TicketFacts>,
  openedAt: string,
): string | null {
  const result = simulate(policy, facts, local(openedAt, policy.zone));
  const deadline = result.deadlines.find((d) => d.target === "firstResponse");
  return wall(deadline?.due, policy.zone);
}

/** A history in the policy's zone: [["2026-11-20 10:00", {type: "agentReply"}], ...]. */
export function historyOf(
  policy: Policy,
  opened: string,
  facts: Partial<TicketFacts>,
  later: [string, object][] = [],
) {
  const openedAt = local(opened, policy.zone);
  const events = [
    { type: "opened", at: openedAt, ...facts },
    ...later.map(([when, event]) => ({ ...event, at: local(when, policy.zone) })),
  ] as PolicyEvent[];
  return { openedAt, events };
}
