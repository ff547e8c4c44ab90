import type { IncomingMessage, ServerResponse } from "node:http";
import type { HTTPReceiver } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { readBody } from "../../server/body.js";
import { sendJson } from "../../server/http.js";
import type { SqlQuery } from "../../store/db.js";
import { claimCommand } from "./inbound.js";
import { checkSlackBody } from "./payloads.js";
import { signedBySlack } from "./signature.js";

export interface GuardOptions {
  receiver: HTTPReceiver;
  signingSecret: string | undefined;
  verify: boolean;
  /** The ack path's connections (Store.intake). */
  intake: SqlQuery;
  logger: Logger;
  now: () => Date;
  /** Told how long each request took from reading it to the answer written (the ack, for Slack). */
  answered?: (ms: number) => void;
  /**
   * Slash commands whose handler claims the invocation itself (`claimedInHandler`), so that `/ticket` writes
   * its claim and its pending row in one statement: one commit before the ack instead of two.
   */
  claimedInHandler?: ReadonlySet<string>;
}

/** A request whose replay check is left to its handler carries its key here (Bolt: `context.commandKey`). */
export type DeferredClaim = IncomingMessage & { commandKey?: string };

/**
 * The request filter in front of Bolt's HTTP receiver: reads the body (at most 1 MB), checks the signature,
 * parses the body with the schemas in payloads.ts, drops a replayed slash command (same trigger_id; for
 * `claimedInHandler` commands the handler does, with what it writes), and only then hands the request to
 * Bolt (with the body already read, which Bolt accepts). Anything it does not understand is a 400 with
 * nothing written.
 */
export function guardedSlackListener(options: GuardOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const answered = options.answered;
    if (answered) res.once("finish", () => answered(performance.now() - started));
    const raw = await readBody(req);
    if (raw === undefined) return sendJson(res, 413, { error: "body too large" });
    const body = raw.toString("utf8");
    if (options.verify && !signedBySlack(req.headers, body, options.signingSecret ?? "")) {
      options.logger.warn({ path: req.url }, "Slack request refused: bad or stale signature");
      return sendJson(res, 401, { error: "invalid signature" });
    }
    const checked = checkSlackBody(String(req.headers["content-type"] ?? ""), body);
    if (!checked) {
      options.logger.warn({ path: req.url, bytes: raw.length }, "Slack request refused: unexpected body");
      return sendJson(res, 400, { error: "unexpected request body" });
    }
    if (checked.commandKey && checked.command && options.claimedInHandler?.has(checked.command)) {
      (req as DeferredClaim).commandKey = checked.commandKey;
    } else if (
      checked.commandKey &&
      !(await claimCommand(options.intake, checked.commandKey, options.now()))
    ) {
      options.logger.warn({ commandKey: checked.commandKey }, "replayed Slack command ignored");
      res.writeHead(200).end();
      return;
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    options.receiver.requestListener(req, res);
  };
}
