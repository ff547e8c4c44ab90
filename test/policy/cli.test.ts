import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerPolicyCommands } from "../../src/cli/commands/policy.js";
import { registerSimulateCommand } from "../../src/cli/commands/simulate.js";
import { runCli } from "../support/cli.js";

/** Runs `escalator ARGS` and captures what it writes. */
const run = (...args: string[]) => runCli([registerPolicyCommands, registerSimulateCommand], args);

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe("escalator policy validate", () => {
  it("accepts a seed policy", async () => {
    const { stdout, exitCode } = await run("policy", "validate", "policies/workeasy.yaml");
    expect(stdout).toMatch(/^policies\/workeasy\.yaml: ok/);
    expect(exitCode).toBeUndefined();
  });

  it("reports a missing file without a stack trace", async () => {
    const { stderr, exitCode } = await run("policy", "validate", "policies/nope.yaml");
    expect(stderr).toBe("policies/nope.yaml: file not found\n");
    expect(exitCode).toBe(1);
  });

  it("says a folder is a folder", async () => {
    const { stderr, exitCode } = await run("policy", "validate", "policies");
    expect(stderr).toBe("policies: is a folder; give one policy file, e.g. policies/wes.yaml\n");
    expect(exitCode).toBe(1);
  });

  it("refuses a policy whose schedule, role or channel does not exist, suggesting the closest name", async () => {
    // A copy of policies/ (schedules name their policies' calendars by file in the same folder).
    const dir = mkdtempSync(join(tmpdir(), "escalator-refs-"));
    cpSync("policies", dir, { recursive: true });
    const file = join(dir, "wes.yaml");
    const wes = readFileSync("policies/wes.yaml", "utf8");
    writeFileSync(
      file,
      wes
        .replace("pageOncall: wes-after-hours", "pageOncall: wes-after-hourz")
        .replace("role: it-manager", "role: it-managr")
        .replace('postToChannel: "#wes-incidents"', 'postToChannel: "wes incidents"')
        .concat("\nchat:\n  roundRobin: { schedules: [wes-afterhours], agents: [alice] }\n"),
    );
    const { stdout, stderr, exitCode } = await run(
      "policy",
      "validate",
      file,
      "--oncall-dir",
      join(dir, "oncall"),
    );
    rmSync(dir, { recursive: true, force: true });
    expect(stdout).toBe("");
    expect(exitCode).toBe(1);
    // Line numbers follow the seed file; the rest of each line is what the operator reads.
    expect(
      stderr
        .trim()
        .split("\n")
        .map((line) => line.replace(/^.*?:\d+ /, "")),
    ).toEqual([
      'escalations[1].actions[0].pageOncall: no on-call schedule "wes-after-hourz" (did you mean wes-after-hours?); schedules: in8sync-support, wes-after-hours',
      'escalations[3].actions[0].postToChannel: "wes incidents" must be a channel name like "#support" (lowercase letters, digits, - and _)',
      'escalations[6].actions[0].notify.role: "it-managr" is neither a role in policies/people.yaml nor a person there or on a schedule (did you mean it-manager?)',
      'chat.roundRobin.schedules[0]: no on-call schedule "wes-afterhours" (did you mean wes-after-hours?); schedules: in8sync-support, wes-after-hours',
    ]);
    expect(stderr.startsWith(`${file}:`)).toBe(true);
  });

  it("checks a ladder's schedules against the folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "escalator-refs-"));
    const wes = readFileSync("policies/oncall/wes.yaml", "utf8");
    writeFileSync(
      join(dir, "wes.yaml"),
      wes.replace(/- schedule: wes-after-hours/, "- schedule: wes-afterhours"),
    );
    const { stderr, exitCode } = await run("policy", "validate", "policies/wes.yaml", "--oncall-dir", dir);
    rmSync(dir, { recursive: true, force: true });
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(
      /wes\.yaml:\d+ ladder\.levels\[0\]\.schedule: no on-call schedule "wes-afterhours" \(did you mean wes-after-hours\?\)/,
    );
  });
});

describe("escalator simulate", () => {
  it("prints the deadlines and timeline as JSON in the policy's zone", async () => {
    const { stdout } = await run(
      "simulate",
      "--policy",
      "policies/wetx.yaml",
      "--opened-at",
      "2026-11-20T18:30",
      "--channel",
      "email",
      "--json",
    );
    const result = JSON.parse(stdout);
    expect(result.deadlines[0]).toMatchObject({
      target: "firstResponse",
      due: "2026-11-23T19:00:00.000-07:00",
    });
    expect(result.timeline.map((a: { kind: string }) => a.kind)).toEqual(["breach", "escalate"]);
  });

  it("reads an instant with an offset and shows it in the policy's zone", async () => {
    const { stdout } = await run(
      "simulate",
      "--policy",
      "policies/workeasy.yaml",
      "--opened-at",
      "2026-11-20T21:00:00Z",
    );
    expect(stdout).toContain("opened Fri 2026-11-20 16:00 EST, inside business hours");
    expect(stdout).toContain("firstResponse  Wed 2026-11-25 10:00 EST");
  });

  it("lists the valid channels when given an unknown one", async () => {
    const { stderr, exitCode } = await run(
      "simulate",
      "--policy",
      "policies/support-guidelines.yaml",
      "--opened-at",
      "2026-11-20T10:00",
      "--channel",
      "fax",
    );
    expect(stderr).toBe('unknown channel "fax": channel must be one of phone, chat, email\n');
    expect(exitCode).toBe(1);
  });

  it("rejects an opening instant that is not ISO", async () => {
    const { stderr } = await run("simulate", "--policy", "policies/wes.yaml", "--opened-at", "friday");
    expect(stderr).toMatch(/--opened-at "friday" is not an ISO date-time/);
  });
});
