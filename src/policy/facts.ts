import type { Policy, TicketFacts } from "./types.js";

/** A fact the policy does not know, with the keys it does (for chat and CLI messages). */
export class UnknownFactError extends Error {
  constructor(
    readonly field: keyof TicketFacts,
    readonly value: string,
    readonly valid: string[],
  ) {
    super(`unknown ${field} "${value}": ${field} must be one of ${valid.join(", ")}`);
    this.name = "UnknownFactError";
  }
}

export function validKeys(policy: Policy, field: keyof TicketFacts): string[] {
  if (field === "severity") return policy.severities.map((s) => s.key);
  if (field === "plan") return policy.plans.map((p) => p.key);
  return field === "channel" ? policy.channels : policy.categories;
}

/** Fills missing facts from the policy defaults and rejects keys the policy does not declare. */
export function validateFacts(policy: Policy, facts: Partial<TicketFacts>): TicketFacts {
  const result: TicketFacts = { ...policy.defaults };
  for (const field of ["severity", "channel", "plan", "category"] as const) {
    const value = facts[field];
    if (value === undefined) continue;
    const valid = validKeys(policy, field);
    if (!valid.includes(value)) throw new UnknownFactError(field, value, valid);
    result[field] = value;
  }
  return result;
}
