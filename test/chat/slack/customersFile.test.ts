import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCustomers } from "../../../src/chat/customers.js";
import { loadPolicyFile } from "../../../src/policy/index.js";

const dir = mkdtempSync(join(tmpdir(), "escalator-customers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const policy = loadPolicyFile("policies/support-guidelines.yaml");
const plan = policy.plans[0]!.key;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("the Slack customers file", () => {
  it("names file, line and path of every problem, all at once", () => {
    const path = file(
      "bad.yaml",
      [
        "customers:",
        "  - id: acme",
        `    plan: ${plan}`,
        "    channels: [C1]",
        "  - id: globex",
        "    plan: platinum-plus",
        "  - name: no id",
        `    plan: ${plan}`,
        "    users: U1",
      ].join("\n"),
    );
    expect(() => loadCustomers(path, policy)).toThrow(
      [
        `${path}:7 customers[2].id: Invalid input: expected string, received undefined`,
        `${path}:9 customers[2].users: Invalid input: expected array, received string`,
      ].join("\n"),
    );
    const plans = policy.plans.map((p) => p.key).join(", ");
    const wrongPlan = file(
      "plan.yaml",
      `customers:\n  - id: acme\n    plan: ${plan}\n  - id: globex\n    plan: gold-x\n`,
    );
    expect(() => loadCustomers(wrongPlan, policy)).toThrow(
      `${wrongPlan}:5 customers[1].plan: must be one of ${plans}; got “gold-x”`,
    );
  });

  it("reports a YAML syntax error at its line, and reads a good file", () => {
    const broken = file("syntax.yaml", "customers:\n  - id: acme\n    plan: [unclosed\n");
    expect(() => loadCustomers(broken, policy)).toThrow(new RegExp(`^${broken}:\\d+ `));
    const good = file(
      "good.yaml",
      `customers:\n  - id: acme\n    plan: ${plan}\n    channels: [C1]\n    users: [U9]\n`,
    );
    const customers = loadCustomers(good, policy);
    expect(customers.find("T1", "C1")).toEqual({ id: "acme", plan, triage: undefined });
    expect(customers.customersOf("U9", undefined)).toEqual(["acme"]);
  });
});
