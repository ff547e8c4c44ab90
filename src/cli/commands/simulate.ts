import type { Command } from "commander";
import { DateTime } from "luxon";
import {
  type PlannedAction,
  type Policy,
  type SimulatedDeadline,
  type Simulation,
  simulate,
  type TicketFacts,
  UnknownFactError,
  validateFacts,
} from "../../policy/index.js";
import { loadPolicyOrReport } from "./policy.js";

interface SimulateOptions {
  policy: string;
  openedAt: string;
  channel?: string;
  severity?: string;
  plan?: string;
  category?: string;
  json?: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("show a ticket's deadlines and everything the policy does if nobody answers")
    .requiredOption("--policy <file>", "policy YAML file")
    .requiredOption(
      "--opened-at <iso>",
      "when the ticket was opened (ISO; without an offset, in the policy's zone)",
    )
    .option("--channel <channel>", "channel the ticket came in on")
    .option("--severity <severity>", "severity key")
    .option("--plan <plan>", "support plan key")
    .option("--category <category>", "category key")
    .option("--json", "print JSON instead of text")
    .action((options: SimulateOptions) => runSimulate(options));
}

function runSimulate(options: SimulateOptions): void {
  const policy = loadPolicyOrReport(options.policy);
  if (!policy) return;
  const openedAt = DateTime.fromISO(options.openedAt, { zone: policy.zone });
  if (!openedAt.isValid) {
    fail(`--opened-at "${options.openedAt}" is not an ISO date-time like 2026-11-20T18:30`);
    return;
  }
  const facts = factsFrom(policy, options);
  if (!facts) return;
  const result = simulate(policy, facts, openedAt.setZone(policy.zone));
  process.stdout.write(
    options.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(policy, result),
  );
}

/** The ticket's facts from the options, or null after reporting a key the policy does not know. */
function factsFrom(policy: Policy, options: SimulateOptions): TicketFacts | null {
  const { channel, severity, plan, category } = options;
  const given = Object.entries({ channel, severity, plan, category }).filter(([, v]) => v !== undefined);
  try {
    return validateFacts(policy, Object.fromEntries(given));
  } catch (error) {
    if (!(error instanceof UnknownFactError)) throw error;
    fail(error.message);
    return null;
  }
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

function toJson(result: Simulation) {
  return {
    openedAt: result.openedAt.toISO(),
    facts: result.facts,
    openedInBusinessHours: result.openedInBusinessHours,
    deadlines: result.deadlines.map((d) => ({
      ...d,
      due: d.due?.toISO() ?? null,
      warnAt: d.warnAt?.toISO() ?? null,
    })),
    timeline: result.timeline.map((a) => ({ ...a, at: a.at.toISO(), ...instantFields(a) })),
  };
}

function instantFields(action: PlannedAction) {
  if ("due" in action) return { due: action.due.toISO() };
  if ("waitingSince" in action) return { waitingSince: action.waitingSince.toISO() };
  return {};
}

const FORMAT = "ccc yyyy-MM-dd HH:mm ZZZZ";

function toText(policy: Policy, result: Simulation): string {
  const { facts } = result;
  const lines = [
    `${policy.name}: ${facts.channel} ticket, severity ${facts.severity}, plan ${facts.plan}, category ${facts.category}`,
    `opened ${result.openedAt.toFormat(FORMAT)}, ${result.openedInBusinessHours ? "inside" : "outside"} business hours`,
    "",
    "Deadlines",
    ...result.deadlines.map(deadlineLine),
    "",
    "Timeline if nobody answers",
    ...(result.timeline.length === 0 ? ["  (nothing happens)"] : result.timeline.map(timelineLine)),
  ];
  return `${lines.join("\n")}\n`;
}

function deadlineLine(d: SimulatedDeadline): string {
  const due = d.due ? d.due.toFormat(FORMAT) : "no SLA";
  const goal = d.goal === null ? "" : `, goal ${d.goal}%`;
  const warn = d.warnAt ? `, warning ${d.warnAt.toFormat(FORMAT)}` : "";
  return `  ${d.target.padEnd(14)} ${due}  (${d.within}${goal}${warn})`;
}

function timelineLine(action: PlannedAction): string {
  const at = action.at.toFormat(FORMAT);
  if ("target" in action) return `  ${at}  ${action.kind} ${action.target}`;
  if (!("actions" in action)) return `  ${at}  ${action.kind}`;
  const what = action.actions.map((a) => {
    if (a.type === "postToChannel") return `post to ${a.channel}`;
    if (a.type === "pageOncall") return `page ${a.schedule}`;
    if (a.type === "raiseSeverity") return `raise severity to ${a.to}`;
    if (a.type === "tellCustomer") return `tell the customer "${a.text}"`;
    return `notify ${[a.role, a.person].filter(Boolean).join(" ")}`;
  });
  return `  ${at}  escalate ${action.step}: ${what.join("; ")}`;
}
