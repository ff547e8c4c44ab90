import { didYouMean } from "../suggest.js";
import type { PolicyConditions, PolicyFile } from "./schema.js";

export interface Problem {
  path: PropertyKey[];
  message: string;
}

/** Checks zod cannot express alone: every key a rule names must be one the policy declares. */
export function crossCheck(file: PolicyFile): Problem[] {
  const known = {
    severity: file.severities.map((s) => s.key),
    channel: file.channels,
    plan: file.plans.map((p) => p.key),
    category: file.categories,
  };
  const problems: Problem[] = [];
  const expectKnown = (kind: keyof typeof known, value: string, path: PropertyKey[]) => {
    if (!known[kind].includes(value)) {
      problems.push({
        path,
        message: `${kind} must be one of ${known[kind].join(", ")} (got "${value}")${didYouMean(value, known[kind])}`,
      });
    }
  };
  const checkConditions = (when: PolicyConditions | undefined, path: PropertyKey[]) => {
    for (const kind of ["severity", "channel", "plan", "category"] as const) {
      when?.[kind]?.forEach((value, i) => {
        expectKnown(kind, value, [...path, "when", kind, i]);
      });
    }
  };
  for (const kind of ["severity", "channel", "plan", "category"] as const) {
    expectKnown(kind, file.defaults[kind], ["defaults", kind]);
  }
  file.targets.forEach((rule, i) => {
    checkConditions(rule.when, ["targets", i]);
    if (rule.grace && rule.within.kind !== "immediate")
      problems.push({ path: ["targets", i, "grace"], message: "a grace is only for within: immediate" });
  });
  if (!file.calendar.alwaysOpen && !file.calendar.hours) {
    problems.push({ path: ["calendar"], message: "give opening hours or alwaysOpen: true" });
  }
  const ids = new Set<string>();
  file.escalations.forEach((step, i) => {
    const path = ["escalations", i];
    checkConditions(step.when, path);
    if (step.when?.afterHoursAt && step.when.afterHours === undefined)
      problems.push({ path: [...path, "when", "afterHoursAt"], message: "afterHoursAt needs afterHours" });
    if (ids.has(step.id))
      problems.push({ path: [...path, "id"], message: `duplicate escalation id "${step.id}"` });
    ids.add(step.id);
    if (step.from !== "opened" && !step.target) {
      problems.push({ path, message: `an escalation from "${step.from}" must name its target` });
    }
    if (step.from !== "due" && step.after && step.after.ms < 0) {
      problems.push({
        path: [...path, "after"],
        message: "only steps from the due instant may come before it",
      });
    }
    step.actions.forEach((action, j) => {
      if ("raiseSeverity" in action) expectKnown("severity", action.raiseSeverity, [...path, "actions", j]);
    });
  });
  return problems;
}
