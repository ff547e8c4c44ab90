import { join } from "node:path";
import type { Command } from "commander";
import { DateTime } from "luxon";
import { pino } from "pino";
import { startService } from "../../app.js";
import { type Config, slackConfigured, teamsConfigured } from "../../config.js";
import { createLogger } from "../../logger.js";
import { PolicyError } from "../../policy/index.js";
import { tuneHeapForServer } from "../../server/heapSettings.js";
import { loadConfigOrExit } from "../config.js";

interface ServeOptions {
  terminal?: boolean;
  at?: string;
  speed?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve", { isDefault: true })
    .description("run the bot: HTTP callbacks, scheduler and chat adapters (the default command)")
    .option("--terminal", "open the terminal chat even when stdin is not a terminal (scripts, tests)")
    .option("--at <iso>", "terminal chat: start simulated time at this instant, e.g. 2026-11-28T22:00")
    .option("--speed <n>", "terminal chat: run simulated time n times faster than the clock", "1")
    .action(async (options: ServeOptions) => {
      const config = loadConfigOrExit();
      if (!config) return;
      tuneHeapForServer(); // before the store compiles Prisma's query compiler
      const terminal = wantsTerminal(config, options);
      const started = terminalOptions(options, terminal);
      if (!started) return;
      // In the terminal chat the screen is the chat: logs go to a file instead.
      const logger = terminal
        ? createLogger(
            config.LOG_LEVEL,
            pino.destination({ dest: join(config.DATA_DIR, "escalator.log"), mkdir: true, sync: false }),
          )
        : createLogger(config.LOG_LEVEL);
      const progress = (line: string) => process.stderr.write(`escalator: ${line}\n`);
      const service = await startService(config, logger, { ...started, progress }).catch((error: Error) => {
        // The problems go to stderr once, in words; the log records that the start failed and why in short.
        if (error instanceof PolicyError)
          logger.fatal(
            { file: error.file, problems: error.problems.length },
            "could not start: policy problems",
          );
        else logger.fatal({ err: error }, "could not start");
        process.stderr.write(
          `escalator: could not start: ${error instanceof PolicyError ? `\n${error.message}` : error.message}\n`,
        );
        // Exit now: nothing of the failed start may linger (open handles would keep the process alive).
        process.exit(1);
      });
      if (!service) return;
      guardProcess(logger);
      const shutdown = (signal: string) => {
        logger.info({ signal }, "shutting down");
        service.stop().then(
          () => process.exit(0),
          (error: Error) => {
            logger.error({ err: error }, "unclean shutdown");
            process.exit(1);
          },
        );
      };
      process.once("SIGINT", () => shutdown("SIGINT"));
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      await service.finished;
      shutdown("end of terminal chat");
    });
}

/**
 * Last-resort guards: an exception or rejection nothing caught (a bug, or a library's callback) is logged and
 * the server keeps answering, rather than every open request and pending send dying with the process.
 */
function guardProcess(logger: ReturnType<typeof createLogger>): void {
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  process.on("uncaughtException", (error) => logger.error({ err: error }, "uncaught exception"));
}

function wantsTerminal(config: Config, options: ServeOptions): boolean {
  if (options.terminal) return true;
  return !slackConfigured(config) && !teamsConfigured(config) && Boolean(process.stdin.isTTY);
}

function terminalOptions(options: ServeOptions, terminal: boolean) {
  if (!terminal) return {};
  const speed = Number(options.speed ?? "1");
  if (!Number.isFinite(speed) || speed < 1) {
    process.stderr.write("escalator: --speed must be a number of at least 1, e.g. --speed 60\n");
    process.exitCode = 1;
    return undefined;
  }
  if (options.at && !DateTime.fromISO(options.at).isValid) {
    process.stderr.write(
      `escalator: --at must be an ISO date and time such as 2026-11-28T22:00; got “${options.at}”\n`,
    );
    process.exitCode = 1;
    return undefined;
  }
  return {
    terminal: {
      input: process.stdin,
      write: (text: string) => process.stdout.write(`${text}\n`),
      prompt: Boolean(process.stdin.isTTY),
      output: process.stdout,
      ...(options.at ? { at: options.at } : {}),
      speed,
    },
  };
}
