import { Command, CommanderError } from "commander";
import { registerDbCommands } from "./commands/db.js";
import { registerOncallCommands } from "./commands/oncall.js";
import { registerPolicyCommands } from "./commands/policy.js";
import { registerReportCommand } from "./commands/report.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerSimulateCommand } from "./commands/simulate.js";
import { registerTicketsCommands } from "./commands/tickets.js";

/** The `escalator` operator CLI. Each command lives in its own file under ./commands. */
export function buildProgram(): Command {
  const program = new Command("escalator")
    .description("Escalator: runs your support policy in Slack and Microsoft Teams.")
    .showHelpAfterError("(run `escalator --help` to see every command)")
    .showSuggestionAfterError(true);
  registerServeCommand(program);
  registerDbCommands(program);
  registerPolicyCommands(program);
  registerSimulateCommand(program);
  registerReportCommand(program);
  registerOncallCommands(program);
  registerTicketsCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}
