import type { Destination } from "../chat/port.js";
import type { Policy } from "../policy/types.js";
import { invalid } from "./errors.js";

export interface NewTicketInput {
  summary: string;
  description?: string;
  severity?: string;
  channel?: string;
  plan?: string;
  category?: string;
  customerId?: string;
  /** Where the ticket card goes: its thread holds the ticket's whole conversation. */
  home: Destination;
  /** The support team's channel for this ticket (name or id): a copy of the card, SLA and internal notes. */
  triageChannel?: string | null;
  /** The chat message the ticket was created from ("Create ticket" on a message). */
  origin?: { channelId: string; messageId: string; threadId?: string | null; permalink?: string | null };
}

export interface NewTicketFacts {
  summary: string;
  description: string;
  severity: string;
  channel: string;
  plan: string;
  category: string;
}

export const SUMMARY_MAX = 200;

/** Checks a new ticket against the policy's lists; the message says what is valid. */
export function validateNewTicket(policy: Policy, input: NewTicketInput): NewTicketFacts {
  const summary = input.summary.trim().replace(/\s+/g, " ");
  if (!summary)
    throw invalid(
      "A ticket needs a summary: say in a few words what is wrong, e.g. `/ticket high printer down`.",
    );
  if (summary.length > SUMMARY_MAX) {
    throw invalid(
      `The summary is ${summary.length} characters; keep it under ${SUMMARY_MAX} and put the rest in the description.`,
    );
  }
  return {
    summary,
    description: (input.description ?? "").trim(),
    severity: resolveSeverity(policy, input.severity ?? policy.defaults.severity),
    channel: pick("contact channel", input.channel ?? policy.defaults.channel, policy.channels),
    plan: pick(
      "plan",
      input.plan ?? policy.defaults.plan,
      policy.plans.map((p) => p.key),
    ),
    category: pick("category", input.category ?? policy.defaults.category, policy.categories),
  };
}

/** A severity by its key or its label, in any case ("1", "critical", "Critical"). */
export function resolveSeverity(policy: Policy, given: string): string {
  const wanted = given.trim().toLowerCase();
  const match = policy.severities.find(
    (s) => s.key.toLowerCase() === wanted || s.label.toLowerCase() === wanted,
  );
  if (match) return match.key;
  throw invalid(
    `Severity must be one of ${policy.severities.map((s) => describeSeverity(s)).join(", ")}; got “${given}”.`,
  );
}

function describeSeverity(s: { key: string; label: string }): string {
  return s.key.toLowerCase() === s.label.toLowerCase() ? s.key : `${s.key} (${s.label})`;
}

function pick(what: string, given: string, valid: string[]): string {
  const wanted = given.trim().toLowerCase();
  const match = valid.find((v) => v.toLowerCase() === wanted);
  if (match) return match;
  throw invalid(`The ${what} must be one of ${valid.join(", ")}; got “${given}”.`);
}
