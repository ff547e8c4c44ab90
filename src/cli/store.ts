import type { Config } from "../config.js";
import { loadPolicyFile, PolicyError } from "../policy/index.js";
import type { Policy } from "../policy/types.js";
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

export function fail(message: string): void {
  process.stderr.write(`escalator: ${message}\n`);
  process.exitCode = 1;
}
