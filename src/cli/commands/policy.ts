import type { Command } from "commander";
import { loadPolicyFile, type Policy, PolicyError } from "../../policy/index.js";

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
    .action((file: string) => {
      const loaded = loadPolicyOrReport(file);
      if (!loaded) return;
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
