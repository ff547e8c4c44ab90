import { readFileSync } from "node:fs";
import type { z } from "zod";
import { formatPath, parseLocatedYaml } from "../yaml/locate.js";
import {
  ALWAYS_OPEN,
  type BusinessCalendar,
  type CalendarSpec,
  createCalendar,
  WEEKDAYS,
} from "./calendar.js";
import { compileChatSettings } from "./chatSettings.js";
import { crossCheck, type Problem } from "./cross-check.js";
import { calendarSchema, type PolicyFile, policySchema } from "./schema.js";
import type { Policy } from "./types.js";

/** Every problem in a policy file, one per line as `file:line path: message`. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.join("\n"));
    this.name = "PolicyError";
  }
}

export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "file not found"
        : code === "EISDIR"
          ? "is a folder; give one policy file, e.g. policies/wes.yaml"
          : (error as Error).message;
    throw new PolicyError(path, [`${path}: ${reason}`]);
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, fileName: string): Policy {
  const yaml = parseLocatedYaml(text);
  if (yaml.syntaxErrors.length > 0) {
    throw new PolicyError(
      fileName,
      yaml.syntaxErrors.map((e) => `${fileName}:${e.line} ${e.message}`),
    );
  }
  const locate = (path: PropertyKey[]) => `${fileName}:${yaml.lineOf(path)} ${formatPath(path)}`;
  const parsed = policySchema.safeParse(yaml.value);
  if (!parsed.success) throw new PolicyError(fileName, zodProblems(parsed.error).map(withLine(locate)));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new PolicyError(fileName, problems.map(withLine(locate)));
  try {
    return compile(parsed.data, fileName);
  } catch (error) {
    const message = (error as Error).message;
    const path = message.includes("time zone") ? ["calendar", "zone"] : ["calendar", "hours"];
    throw new PolicyError(fileName, [`${locate(path)}: ${message}`]);
  }
}

function zodProblems(error: z.ZodError): Problem[] {
  return flatten(error.issues, []);
}

/**
 * A union reports only "no option matched"; the option that came closest (fewest issues) says more, and a
 * union inside it is opened the same way — so `notify: { rol: … }` reads "Unrecognized key: rol".
 */
function flatten(issues: readonly z.core.$ZodIssue[], base: PropertyKey[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      return flatten(best, path);
    }
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    return [{ path, message: missing ? `missing: expected ${issue.expected}` : issue.message }];
  });
}

function withLine(locate: (path: PropertyKey[]) => string) {
  return (problem: Problem) => `${locate(problem.path)}: ${problem.message}`;
}

function compileCalendar(calendar: PolicyFile["calendar"]): BusinessCalendar {
  const { weekdays, ...days } = calendar.hours ?? {};
  const hours = calendar.alwaysOpen
    ? ALWAYS_OPEN
    : { ...Object.fromEntries(WEEKDAYS.slice(0, 5).map((d) => [d, weekdays ?? []])), ...days };
  const spec: CalendarSpec = { ...calendar, hours };
  return createCalendar(spec);
}

/**
 * A calendar written like a policy's `calendar:` outside a policy (an on-call schedule's own). Throws
 * an Error listing every problem as `label path: message`.
 */
export function parseCalendar(data: unknown, label: string): BusinessCalendar {
  const parsed = calendarSchema.safeParse(data);
  const problems = parsed.success
    ? parsed.data.alwaysOpen || parsed.data.hours
      ? []
      : [{ path: [], message: "give opening hours or alwaysOpen: true" }]
    : zodProblems(parsed.error);
  const at = (path: PropertyKey[]) => [label, ...path.map(String)].join(".");
  if (problems.length > 0 || !parsed.success)
    throw new Error(problems.map((p) => `${at(p.path)}: ${p.message}`).join("\n"));
  try {
    return compileCalendar(parsed.data);
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`);
  }
}

function compile(file: PolicyFile, source: string): Policy {
  return {
    id: file.id,
    name: file.name,
    zone: file.calendar.zone,
    calendar: compileCalendar(file.calendar),
    severities: file.severities,
    channels: file.channels,
    plans: file.plans,
    categories: file.categories,
    defaults: file.defaults,
    targets: file.targets,
    escalations: file.escalations,
    inactivity: file.inactivity,
    source,
    chat: compileChatSettings(file.chat),
  };
}
