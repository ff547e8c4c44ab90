import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { closest } from "../suggest.js";

type Register = (program: Command) => void;

/**
 * The `escalator` operator CLI. Each command lives in its own file under ./commands and is loaded only
 * when it runs (or its help is asked for), so `--help` and `policy validate` do not load the whole bot.
 */
const commands: Record<string, { description: string; load: () => Promise<Register> }> = {
  serve: {
    description: "run the bot: HTTP callbacks, scheduler and chat adapters (the default command)",
    load: async () => (await import("./commands/serve.js")).registerServeCommand,
  },
  db: {
    description: "database maintenance",
    load: async () => (await import("./commands/db.js")).registerDbCommands,
  },
  policy: {
    description: "support policy files",
    load: async () => (await import("./commands/policy.js")).registerPolicyCommands,
  },
  simulate: {
    description: "show a ticket's deadlines and everything the policy does if nobody answers",
    load: async () => (await import("./commands/simulate.js")).registerSimulateCommand,
  },
  report: {
    description: "SLA compliance per target, severity, channel and plan, against the policy's goals",
    load: async () => (await import("./commands/report.js")).registerReportCommand,
  },
  digest: {
    description: "the weekly SLA digest, as posted in chat",
    load: async () => (await import("./commands/digest.js")).registerDigestCommand,
  },
  oncall: {
    description: "on-call schedules: who is on call, schedules, calendars",
    load: async () => (await import("./commands/oncall.js")).registerOncallCommands,
  },
  tickets: {
    description: "tickets in the store",
    load: async () => (await import("./commands/tickets.js")).registerTicketsCommands,
  },
};

function version(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function baseProgram(): Command {
  return new Command("escalator")
    .description("Escalator: runs your support policy in Slack and Microsoft Teams.")
    .version(version(), "-V, --version", "print the version")
    .showHelpAfterError("(run `escalator --help` to see every command)")
    .showSuggestionAfterError(true)
    .exitOverride();
}

/** The command a command line names: its first word, or serve (the default) when it starts with options. */
function commandOf(args: string[]): string | undefined {
  const first = args[0];
  if (first === undefined || first.startsWith("-")) {
    const wantsTopHelp = args.some((a) => ["-h", "--help", "help", "-V", "--version"].includes(a));
    return wantsTopHelp ? undefined : "serve";
  }
  // `escalator help policy` shows that command's own help, so it is loaded.
  return first === "help" ? args[1] : first;
}

/** The whole program, every command loaded (for tests and tools that inspect it). */
export async function buildProgram(): Promise<Command> {
  const program = baseProgram();
  for (const { load } of Object.values(commands)) (await load())(program);
  return program;
}

/**
 * Reads `.env` from the working folder into process.env; a variable already set in the real environment
 * wins. Returns false (after saying why) when the file exists but cannot be read.
 */
export function loadDotEnv(file = ".env"): boolean {
  try {
    process.loadEnvFile(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    process.stderr.write(`escalator: cannot read ${file}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return false;
  }
}

export async function main(argv: string[]): Promise<void> {
  if (!loadDotEnv()) return;
  const args = argv.slice(2);
  const name = commandOf(args);
  const program = baseProgram();
  if (name !== undefined && !(name in commands)) {
    const guess = closest(name, Object.keys(commands));
    process.stderr.write(
      `escalator: unknown command '${name}'${guess ? ` (did you mean ${guess}?)` : ""}; commands: ${Object.keys(commands).join(", ")}\n`,
    );
    process.exitCode = 1;
    return;
  }
  if (name === undefined) {
    // Top-level help lists every command without loading any of them.
    for (const [command, { description }] of Object.entries(commands))
      program.command(command, { isDefault: command === "serve" }).description(description);
  } else {
    (await commands[name]?.load())?.(program);
  }
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
