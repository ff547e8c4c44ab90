import { describe, expect, it } from "vitest";
import { loadPolicyFile, PolicyError, parsePolicy } from "../../src/policy/index.js";

const valid = `id: small
name: Small
calendar:
  zone: America/Denver
  hours:
    weekdays: ["08:00-17:00"]
severities:
  - key: normal
    label: Normal
channels: [email]
plans:
  - key: standard
    label: Standard
categories: [issue]
defaults: { severity: normal, channel: email, plan: standard, category: issue }
targets:
  - target: firstResponse
    within: 4h
`;

function problems(text: string): string[] {
  try {
    parsePolicy(text, "policies/small.yaml");
  } catch (error) {
    if (error instanceof PolicyError) return error.problems;
    throw error;
  }
  return [];
}

describe("policy files", () => {
  it("loads all five seed policies", () => {
    for (const name of ["wetx", "support-guidelines", "workeasy", "wes", "in8sync"]) {
      expect(loadPolicyFile(`policies/${name}.yaml`).id).toBe(name);
    }
  });

  it("names the file, the line and the path of a bad duration", () => {
    expect(problems(valid.replace("within: 4h", 'within: "four hours"'))).toEqual([
      'policies/small.yaml:18 targets[0].within: expected a duration like "4h" or "3 business days", or one of "immediate", "none", "end of calendar day", "end of business day", "end of next business day"',
    ]);
  });

  it("lists every problem, including keys the policy does not declare", () => {
    const text = valid
      .replace('weekdays: ["08:00-17:00"]', 'weekdays: ["08:00-17:99"]')
      .replace("severity: normal, channel: email", "severity: urgent, channel: email")
      .replace("  - target: firstResponse\n", "  - target: firstResponse\n    when: { channel: fax }\n");
    const found = problems(text);
    expect(found).toContainEqual(
      expect.stringMatching(/^policies\/small\.yaml:6 calendar\.hours\.weekdays\[0\]: /),
    );
    // Cross-checks run once the shape is valid.
    const keys = problems(
      valid.replace("severity: normal, channel: email", "severity: urgent, channel: email"),
    );
    expect(keys).toEqual([
      'policies/small.yaml:15 defaults.severity: severity must be one of normal (got "urgent")',
    ]);
    expect(problems(text.replace("17:99", "17:00"))).toContainEqual(
      'policies/small.yaml:18 targets[0].when.channel[0]: channel must be one of email (got "fax")',
    );
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problems(`${valid}  - target: [\n`)[0]).toMatch(/^policies\/small\.yaml:2\d /);
  });

  it("reports an unknown time zone on the calendar", () => {
    expect(problems(valid.replace("America/Denver", "Mars/Olympus"))).toEqual([
      'policies/small.yaml:4 calendar.zone: unknown time zone "Mars/Olympus"',
    ]);
  });

  it("refuses a grace on a target that is not immediate, and afterHoursAt without afterHours", () => {
    const text = `${valid.replace("within: 4h", "within: 4h\n    grace: 10m")}escalations:
  - id: late
    from: breach
    target: firstResponse
    when: { afterHoursAt: step }
    actions: [{ postToChannel: "#support" }]
`;
    expect(problems(text)).toEqual([
      "policies/small.yaml:19 targets[0].grace: a grace is only for within: immediate",
      "policies/small.yaml:24 escalations[0].when.afterHoursAt: afterHoursAt needs afterHours",
    ]);
    expect(
      problems(
        text
          .replace("within: 4h", "within: immediate")
          .replace("{ afterHoursAt", "{ afterHours: true, afterHoursAt"),
      ),
    ).toEqual([]);
  });
});
