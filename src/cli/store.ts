import type { Config } from "../config.js";
import { loadPolicyFile, PolicyError } from "../policy/index.js";
import type { Policy } from "../policy/types.js";
import {
  askRunningBot,
  type OperatorAnswer,
  type OperatorRequest,
  operatorSocketPath,
} from "../server/operatorSocket.js";
import { DataDirInUseError } from "../store/dataDirLock.js";
import { openMigratedStore, type Store, storeLocation } from "../store/db.js";
import { loadConfigOrExit } from "./config.js";

/** For operator commands: the configured store and policy, closed again after `work`. */
export async function withStoreAndPolicy(
  policyFile: string | undefined,
  work: (ctx: { store: Store; policy: Policy; config: Config }) => Promise<void>,
): Promise<void> {
  const config = loadConfigOrExit();
  if (!config) return;
  let policy: Policy;
  try {
    policy = loadPolicyFile(policyFile ?? config.POLICY_FILE);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const { store } = await openMigratedStore(storeLocation(config));
  try {
    await work({ store, policy, config });
  } finally {
    await store.close();
  }
}

/**
 * Runs an operator command on the store; when the bot holds the embedded database, asks the bot to run it
 * (see operatorSocket.ts). Prints the output, or one line saying what went wrong and what to do.
 */
export async function runOperatorCommand(
  request: OperatorRequest,
  policyFile: string | undefined,
  local: (ctx: { store: Store; policy: Policy; config: Config }) => Promise<OperatorAnswer>,
): Promise<void> {
  await orRunningBot(request, async () => {
    let answer: OperatorAnswer | undefined;
    await withStoreAndPolicy(policyFile, async (ctx) => {
      answer = await local(ctx);
    });
    return answer;
  });
}

/** Prints what `local` answers, or, when the bot holds the embedded database, what the bot answers. */
export async function orRunningBot(
  request: OperatorRequest,
  local: () => Promise<OperatorAnswer | undefined>,
): Promise<void> {
  let answer: OperatorAnswer | undefined;
  try {
    answer = await local();
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    answer = await viaRunningBot(request, error);
  }
  if (!answer) return;
  if (answer.ok) process.stdout.write(answer.output);
  else fail(answer.error);
}

async function viaRunningBot(request: OperatorRequest, busy: DataDirInUseError): Promise<OperatorAnswer> {
  const config = loadConfigOrExit();
  const socket = config ? operatorSocketPath(config.DATA_DIR) : "";
  const answer = config ? await askRunningBot(socket, request) : undefined;
  if (answer) {
    process.stderr.write(`(answered by the running bot, pid ${busy.pid})\n`);
    return answer;
  }
  return {
    ok: false,
    error:
      `the bot (pid ${busy.pid}) holds the embedded database in ${busy.dir} and did not answer on ${socket}. ` +
      `Stop it (kill -TERM ${busy.pid}) and run this again, or run Escalator on PostgreSQL (DATABASE_URL) ` +
      "so commands and the bot share the database.",
  };
}

export function fail(message: string): void {
  process.stderr.write(`escalator: ${message}\n`);
  process.exitCode = 1;
}
