import type { Policy } from "../../policy/types.js";

/** The fields of the Slack form, as `/ticket` flags in the terminal. */
const FIELDS = ["severity", "channel", "plan", "category", "customer"] as const;
type Field = (typeof FIELDS)[number];

export interface TicketFields {
  severity?: string;
  channel?: string;
  plan?: string;
  category?: string;
  customerId?: string;
}

/**
 * `/ticket --channel text --plan premium printer down` → the fields and the rest of the line. The service
 * checks each value against the policy (and says which are valid); this only splits the words.
 */
export function ticketFlags(text: string): { fields: TicketFields; rest: string } | { error: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const fields: TicketFields = {};
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const flag = /^--([a-z]+)(?:=(.*))?$/.exec(word);
    if (!flag) {
      rest.push(word);
      continue;
    }
    const name = flag[1] as Field;
    if (!FIELDS.includes(name))
      return { error: `Unknown field --${flag[1]}; fields: ${FIELDS.map((f) => `--${f}`).join(", ")}` };
    const value = flag[2] ?? words[++i];
    if (!value) return { error: `--${name} needs a value, e.g. --${name} ${example(name)}` };
    if (name === "customer") fields.customerId = value;
    else fields[name] = value;
  }
  return { fields, rest: rest.join(" ") };
}

function example(field: Field): string {
  return { severity: "high", channel: "email", plan: "standard", category: "question", customer: "acme" }[
    field
  ];
}

export function ticketFormHelp(policy: Policy): string {
  const keys = (items: { key: string }[]) => items.map((i) => i.key).join(", ");
  return [
    "Open a ticket with every field (each is optional; the policy's default is used without it):",
    "  /ticket [--severity S] [--channel C] [--plan P] [--category K] [--customer NAME] summary…",
    `  severities: ${keys(policy.severities)} · channels: ${policy.channels.join(", ")}`,
    `  plans: ${keys(policy.plans)} · categories: ${policy.categories.join(", ")}`,
    `  e.g. /ticket --channel ${policy.channels.at(-1) ?? "email"} --category ${policy.categories[0] ?? "question"} app crashes on login`,
  ].join("\n");
}
