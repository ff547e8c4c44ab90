import type { Server } from "node:http";
import { dirname } from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { businessHoursOf, OncallDirectory, policyCalendars } from "../paging/index.js";
import type { Policy } from "../policy/types.js";
import { listen } from "../server/http.js";
import type { Store } from "../store/db.js";
import { releaseDeadLeases } from "../store/outbox.js";

/** The embedded database is one process's: a row left `sending` was in flight when its process died. */
export async function releaseSendsOfDeadProcess(store: Store, now: Date, logger: Logger): Promise<void> {
  const freed = await releaseDeadLeases(store.prisma, now);
  if (freed > 0)
    logger.warn({ freed }, "sends in flight when the last run stopped are sent again (each may show twice)");
}

export async function openDirectory(config: Config, store: Store, policy: Policy): Promise<OncallDirectory> {
  try {
    return await OncallDirectory.open({
      dir: config.ONCALL_DIR,
      prisma: store.prisma,
      businessHours: businessHoursOf(policy.calendar),
      policies: policyCalendars(dirname(config.POLICY_FILE), policy),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`ONCALL_DIR: there is no folder ${config.ONCALL_DIR} (it holds the on-call schedules)`);
    }
    throw error;
  }
}

/**
 * The terminal chat needs no HTTP: when the port is taken it says which and carries on without /healthz and
 * the calendar feeds. A server that cannot listen stops (its only way in is HTTP).
 */
export async function listenUnlessTerminal(
  server: Server,
  config: Config,
  terminal: { write: (text: string) => void } | undefined,
  logger: Logger,
): Promise<number> {
  try {
    return await listen(server, config.PORT, config.HOST);
  } catch (error) {
    if (!terminal) throw error;
    logger.warn(
      { err: error, port: config.PORT },
      "HTTP port unavailable; terminal chat continues without it",
    );
    terminal.write(
      `(Port ${config.PORT} on ${config.HOST} is in use (${(error as Error).message}); the terminal chat works without it, but /healthz and the calendar feeds are off. Set PORT to use another.)`,
    );
    return 0;
  }
}
