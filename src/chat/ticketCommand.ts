import type { Policy } from "../policy/types.js";
import { closest, didYouMean } from "../suggest.js";

/** What someone asked for with `/ticket …`, on any platform. */
export type TicketCommand =
  | { kind: "help" }
  | { kind: "modal" }
  | { kind: "list" }
  | { kind: "show"; number: number }
  | { kind: "create"; severity?: string; summary: string }
  /** The first word reads as a severity this policy does not have ("urgent" under WES): say so, don't guess. */
  | { kind: "unknownSeverity"; typed: string }
  | AgentCommand;

/** Words people use for a severity; under a policy without them they are a mistake, not the summary. */
const SEVERITY_WORDS =
  /^(urgent|critical|crit|high|medium|med|low|normal|minor|major|blocker|emergency|sev-?[0-5]|p[0-5]|s[0-5])$/i;

/** The support side's moves from `/ticket` (see agentCommands.ts, which runs them for every platform). */
export type AgentCommand =
  | { kind: "assign"; number: number; assignee: string }
  | { kind: "away" }
  | { kind: "back" }
  | { kind: "search"; text: string }
  | { kind: "queue" }
  | { kind: "digest" }
  /** `digest post`: last week's digest, with its chart, posted where it was typed. */
  | { kind: "digestPost" }
  | { kind: "usage"; text: string };

/**
 * `/ticket` alone → a form; `/ticket help`; `/ticket list`; `/ticket 142` or `/ticket #142`;
 * `/ticket [severity] summary…`, where the first word is a severity only if the policy has it (by key or
 * label, any case), so "/ticket printer down" keeps every word of the summary.
 */
export function parseTicketCommand(text: string, policy: Pick<Policy, "severities">): TicketCommand {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "modal" };
  const lower = trimmed.toLowerCase();
  if (lower === "help" || lower === "?") return { kind: "help" };
  if (lower === "list" || lower === "mine") return { kind: "list" };
  const agent = parseAgentCommand(trimmed);
  if (agent) return agent;
  const number = /^#?(\d+)$/.exec(trimmed);
  if (number) return { kind: "show", number: Number(number[1]) };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const severity = policy.severities.find(
    (s) => s.key.toLowerCase() === first.toLowerCase() || s.label.toLowerCase() === first.toLowerCase(),
  );
  if (severity && rest.length > 0) return { kind: "create", severity: severity.key, summary: rest.join(" ") };
  const known = policy.severities.flatMap((s) => [s.key, s.label]);
  const typo = first.length >= 5 && closest(first, known) !== undefined;
  if (!severity && rest.length > 0 && (SEVERITY_WORDS.test(first) || typo))
    return { kind: "unknownSeverity", typed: first };
  return { kind: "create", summary: trimmed };
}

/** `assign 142 @bob` (or `<@U123|bob>`, or `me`), `away`, `back`, `queue`, `search …`, `digest [post]`. */
function parseAgentCommand(text: string): AgentCommand | undefined {
  const [word = "", ...rest] = text.split(/\s+/);
  switch (word.toLowerCase()) {
    case "away":
    case "out":
      return rest.length === 0 ? { kind: "away" } : undefined;
    case "back":
      return rest.length === 0 ? { kind: "back" } : undefined;
    case "queue":
      return rest.length === 0 ? { kind: "queue" } : undefined;
    case "digest":
      if (rest.length === 0) return { kind: "digest" };
      // Other words after "digest" are a ticket's summary ("digest emails stopped"), as before.
      return rest.length === 1 && rest[0]!.toLowerCase() === "post" ? { kind: "digestPost" } : undefined;
    case "search":
    case "find":
      return { kind: "search", text: rest.join(" ") };
    case "assign": {
      const number = Number((rest[0] ?? "").replace(/^#/, ""));
      const who = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$|^@?([\w.-]+)$/i.exec(rest[1] ?? "");
      if (!Number.isInteger(number) || number <= 0 || !who || rest.length !== 2)
        return { kind: "usage", text: "Usage: `assign 142 @person` (or `assign 142 me`)" };
      return { kind: "assign", number, assignee: who[1] ?? who[2]! };
    }
    default:
      return undefined;
  }
}

/** What to say to `/ticket urgent …` under a policy without "urgent". */
export function unknownSeverityText(typed: string, policy: Policy, command = "/ticket"): string {
  const keys = policy.severities.map((s) => s.key);
  return (
    `“${typed}” is not a severity of ${policy.name}${didYouMean(typed, keys)}. ` +
    `Severities: ${policy.severities.map((s) => `${s.key} (${s.label})`).join(", ")}. ` +
    `Try \`${command} ${keys[0] ?? "high"} ${"…"}\`, or leave the severity out for ${defaultLabel(policy)}.`
  );
}

function defaultLabel(policy: Policy): string {
  return policy.severities.find((s) => s.key === policy.defaults.severity)?.label ?? policy.defaults.severity;
}

export function ticketHelp(policy: Policy, command = "/ticket"): string {
  const severities = policy.severities.map((s) =>
    s.key === s.label.toLowerCase() ? s.key : `${s.key} (${s.label})`,
  );
  return [
    `*${command}* — open and follow support tickets (${policy.name})`,
    `• \`${command} [severity] summary\` opens a ticket now, e.g. \`${command} ${policy.severities[0]?.key ?? "high"} printer down\``,
    `• \`${command}\` opens a form with every field`,
    `• \`${command} list\` shows your open tickets`,
    `• \`${command} 142\` shows ticket #142`,
    `• \`${command} search printer | customer:acme | #channel | @person | high | breached\` and \`${command} queue\` (agents)`,
    `• \`${command} digest\` shows you last week's SLA digest; \`${command} digest post\` posts it here, with its chart (agents)`,
    `• \`${command} assign 142 @person\` assigns #142 (agents); \`${command} away\` / \`${command} back\` leaves or rejoins round-robin`,
    `Severities: ${severities.join(", ")}; without one a ticket is ${defaultLabel(policy)}.`,
  ].join("\n");
}
