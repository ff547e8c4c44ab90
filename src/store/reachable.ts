import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";

/** Errors that say the database cannot be reached right now (rather than that something is wrong in it). */
export function isConnectionError(thrown: unknown): boolean {
  const error = coerceError(thrown);
  const code = String((error as { code?: unknown }).code ?? "");
  return (
    /^E[A-Z]+$/.test(code) || // ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND, EAI_AGAIN …
    code.startsWith("08") || // SQLSTATE connection exceptions
    code === "57P03" || // the server is starting up
    /connection terminated|timeout|terminating connection/i.test(error.message)
  );
}

/**
 * Opens the database, waiting for it when it cannot be reached yet (a replica starting before PostgreSQL,
 * a network blip): each failure is logged and retried with a growing delay (1 s … 30 s), so the service
 * comes up by itself once the database does, without a restart. Anything else fails at once.
 */
export async function openWhenReachable<T>(
  open: () => Promise<T>,
  options: {
    logger: Logger;
    sleep?: (ms: number) => Promise<void>;
    maxDelayMs?: number;
    /** Told once, at the first failure to reach the database (the service then answers /healthz). */
    onUnreachable?: () => void;
  },
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (thrown) {
      if (!isConnectionError(thrown)) throw thrown;
      if (attempt === 1) options.onUnreachable?.();
      const delayMs = Math.min(1_000 * 2 ** (attempt - 1), options.maxDelayMs ?? 30_000);
      options.logger.error(
        { err: coerceError(thrown), attempt, retryInMs: delayMs },
        "database unreachable; not ready, retrying",
      );
      await sleep(delayMs);
    }
  }
}
