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
      const counts = [
        `${loaded.severities.length} severities`,
        `${loaded.channels.length} channels`,
        `${loaded.plans.length} plans`,
        `${loaded.targets.length} target rules`,
        `${loaded.escalations.length} escalation steps`,
      ];
      process.stdout.write(`${file}: ok — ${loaded.name} (${loaded.zone}; ${counts.join(", ")})\n`);
    });
}
