import { type Config, ConfigError, loadConfig } from "../config.js";

/** Loads the configuration; on a problem prints one line per bad variable, sets exit code 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write("escalator: invalid configuration (see .env.example)\n");
    for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
    process.exitCode = 1;
    return undefined;
  }
}
