import { coerceError } from "../../logger.js";
import { PermanentSendError, RetryableSendError } from "../port.js";

interface HttpFailure {
  statusCode?: number;
  response?: { status?: number; headers?: { get?(name: string): string | undefined | null } };
  code?: string;
}

/** Teams throttles with 429 and asks for retries of 412, 502 and 504; 5xx in general is worth another try. */
const retryable = new Set([408, 412, 429, 500, 502, 503, 504]);

/**
 * Every error of a Bot Connector call becomes one of the port's two errors, in this one place: throttling and
 * gateway failures are retried (after `Retry-After` when Teams says), "bot not in conversation" (403) and
 * "not found" (404) are permanent and reach the admin channel.
 */
export function toSendError(thrown: unknown): RetryableSendError | PermanentSendError {
  const error = coerceError(thrown);
  if (error instanceof RetryableSendError || error instanceof PermanentSendError) return error;
  const failure = error as Error & HttpFailure;
  const status = failure.statusCode ?? failure.response?.status;
  if (status === undefined) return new RetryableSendError(`Teams unreachable: ${error.message}`);
  const retryAfter = retryAfterMs(failure.response?.headers?.get?.("retry-after"));
  if (retryable.has(status))
    return new RetryableSendError(`Teams HTTP ${status}${status === 429 ? " (throttled)" : ""}`, retryAfter);
  if (status === 403)
    return new PermanentSendError(
      `Teams HTTP 403: the bot is not in that conversation any more (removed, or the app was uninstalled)`,
    );
  if (status === 404) return new PermanentSendError("Teams HTTP 404: the conversation or message is gone");
  if (status === 401) return new PermanentSendError("Teams HTTP 401: check MICROSOFT_APP_ID and its secret");
  if (status === 413) return new PermanentSendError("Teams HTTP 413: the message is too big");
  if (status >= 400 && status < 500) return new PermanentSendError(`Teams HTTP ${status}: ${error.message}`);
  return new RetryableSendError(`Teams HTTP ${status}`, retryAfter);
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
