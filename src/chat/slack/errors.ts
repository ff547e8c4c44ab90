import { webApi } from "@slack/bolt";
import { coerceError } from "../../logger.js";
import { PermanentSendError, RetryableSendError } from "../port.js";

/** Platform errors that will not go away by waiting: someone must invite the bot, reinstall, or fix config. */
const permanent = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "user_not_found",
  "cannot_dm_bot",
  "msg_too_long",
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_blocks_too_long",
  "cant_update_message",
  "message_not_found",
  "edit_window_closed",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_thread_only_channel",
  "restricted_action_non_threadable_channel",
  "team_access_not_granted",
  "ekm_access_denied",
  "not_allowed_token_type",
]);

/**
 * Every error from a Web API call becomes one of the port's two errors, in this one place: 429 → retry after
 * the `Retry-After` seconds; 5xx, timeouts and network failures → retry with backoff; known refusals →
 * permanent; any other platform error → retry (the outbox gives up after its maximum attempts).
 */
export function toSendError(thrown: unknown): RetryableSendError | PermanentSendError {
  const error = coerceError(thrown);
  if (error instanceof RetryableSendError || error instanceof PermanentSendError) return error;
  if (error instanceof webApi.WebAPIRateLimitedError)
    return new RetryableSendError("Slack rate limit (429)", error.retryAfter * 1000);
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (permanent.has(code)) return new PermanentSendError(`Slack refused: ${code}`);
    if (code === "ratelimited") return new RetryableSendError("Slack rate limit (ratelimited)");
    return new RetryableSendError(`Slack error: ${code}`);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const retryAfter = Number(error.headers["retry-after"]);
    if (error.statusCode === 429)
      return new RetryableSendError("Slack rate limit (429)", retryAfter > 0 ? retryAfter * 1000 : undefined);
    if (error.statusCode >= 500) return new RetryableSendError(`Slack HTTP ${error.statusCode}`);
    if (error.statusCode === 401 || error.statusCode === 403 || error.statusCode === 404)
      return new PermanentSendError(`Slack HTTP ${error.statusCode}`);
    return new RetryableSendError(`Slack HTTP ${error.statusCode}`);
  }
  if (error instanceof webApi.WebAPIRequestError)
    return new RetryableSendError(`Slack unreachable: ${error.original.message}`);
  return new RetryableSendError(error.message);
}
