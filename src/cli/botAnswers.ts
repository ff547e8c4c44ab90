import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { OncallDirectory } from "../paging/directory.js";
import type { Policy } from "../policy/types.js";
import {
  type OperatorAnswer,
  type OperatorRequest,
  operatorSocketPath,
  startOperatorSocket,
} from "../server/operatorSocket.js";
import type { Store } from "../store/db.js";
import { migrateOpenStore } from "./commands/db.js";
import { feedLines } from "./commands/oncall.js";
import { complianceText, dataNow, type ReportOptions } from "./commands/report.js";
import { type ExportOptions, exportTickets } from "./commands/tickets.js";

export interface BotContext {
  store: Store;
  policy: Policy;
  directory: OncallDirectory;
  feedSecret: string;
  clock: Clock;
  dataDir: string;
}

/**
 * The running bot answers the operator commands that need its embedded database, on the socket in its
 * data folder. Reports are made at the bot's clock (the terminal chat's simulated time).
 */
export function answerOperatorCommands(context: BotContext, logger: Logger) {
  return startOperatorSocket(
    operatorSocketPath(context.dataDir),
    (request) => answer(context, request),
    logger,
  );
}

async function answer(context: BotContext, request: OperatorRequest): Promise<OperatorAnswer> {
  const { store, policy } = context;
  switch (request.command) {
    case "report": {
      const options = request.options as unknown as ReportOptions;
      const now = options.at ? await dataNow(store, options.at) : context.clock.now();
      return complianceText(store, policy, options, now);
    }
    case "tickets export":
      return exportTickets(store, policy, request.options as unknown as ExportOptions);
    case "db migrate":
      return { ok: true, output: await migrateOpenStore(store, "PGlite, through the running bot") };
    case "oncall ical-urls":
      return { ok: true, output: feedLines(request.baseUrl, context.directory, context.feedSecret) };
  }
}
