import type { Command } from "commander";
import { startService } from "../../app.js";
import { createLogger } from "../../logger.js";
import { loadConfigOrExit } from "../config.js";

export function registerServeCommand(program: Command): void {
  program
    .command("serve", { isDefault: true })
    .description("run the bot: HTTP callbacks, scheduler and chat adapters (the default command)")
    .action(async () => {
      const config = loadConfigOrExit();
      if (!config) return;
      const logger = createLogger(config.LOG_LEVEL);
      const service = await startService(config, logger).catch((error: Error) => {
        logger.fatal({ err: error }, "could not start");
        process.stderr.write(`escalator: could not start: ${error.message}\n`);
        process.exitCode = 1;
        return undefined;
      });
      if (!service) return;
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
    });
}
