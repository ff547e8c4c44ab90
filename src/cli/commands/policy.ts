import type { Command } from "commander";
import { loadPolicyFile, type Policy, PolicyError } from "../../policy/index.js";
import { loadConfigOrExit } from "../config.js";

/** Loads a policy or writes its problems to stderr; null means the command has already failed. */
export function loadPolicyOrReport(file: string): Policy | null {
  try {
    return loadPolicyFile(file);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return null;
  }
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command("policy").description("support policy files");
  policy
    .command("validate")
    .description("check a policy file; lists every problem as file:line path: message")
    .argument("<file>", "policy YAML file, e.g. policies/wetx.yaml")
    .option("--oncall-dir <folder>", "the schedules its pageOncall steps name (default: ONCALL_DIR)")
    .option("--people <file>", "the roles and people its notify steps name (default: PEOPLE_FILE)")
    .action(async (file: string, options: { oncallDir?: string; people?: string }) => {
      const loaded = loadPolicyOrReport(file);
      if (!loaded) return;
      const config = loadConfigOrExit();
      if (!config) return;
      const { configuredReferenceProblems } = await import("../../paging/references.js");
      const problems = configuredReferenceProblems(
        loaded,
        options.oncallDir ?? config.ONCALL_DIR,
        options.people ?? config.PEOPLE_FILE,
      );
      if (problems.length > 0) {
        process.stderr.write(`${problems.join("\n")}\n`);
        process.exitCode = 1;
        return;
      }
      const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      const counts = [
        count(loaded.severities.length, "severity", "severities"),
        count(loaded.channels.length, "channel", "channels"),
        count(loaded.plans.length, "plan", "plans"),
        count(loaded.targets.length, "target rule", "target rules"),
        count(loaded.escalations.length, "escalation step", "escalation steps"),
      ];
      process.stdout.write(`${file}: ok — ${loaded.name} (${loaded.zone}; ${counts.join(", ")})\n`);
    });
}
