import type { IncomingHttpHeaders } from "node:http";
// Bolt's own check, from its module alone: the front door thread imports this file and not Bolt.
import { isValidSlackRequest } from "@slack/bolt/dist/receivers/verify-request.js";

/** Whether a request carries Slack's signature of its raw body, made with `signingSecret` in the last 5 minutes. */
export function signedBySlack(headers: IncomingHttpHeaders, body: string, signingSecret: string): boolean {
  const signature = headers["x-slack-signature"];
  const timestamp = Number(headers["x-slack-request-timestamp"]);
  if (typeof signature !== "string" || !Number.isFinite(timestamp) || !signingSecret) return false;
  return isValidSlackRequest({
    signingSecret,
    body,
    headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
  });
}
