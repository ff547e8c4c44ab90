import { Command } from "commander";
import { vi } from "vitest";

/** Runs `escalator ARGS` on a fresh program with the given commands and captures what it writes. */
export async function runCli(register: ((program: Command) => void)[], args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command().exitOverride();
  for (const add of register) add(program);
  try {
    await program.parseAsync(args, { from: "user" });
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return { stdout: out.join(""), stderr: err.join(""), exitCode };
}
