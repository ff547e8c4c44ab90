import { chmodSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";

/**
 * The embedded database belongs to one process: while the bot runs, operator commands (`report`,
 * `tickets export`, `db migrate`, `oncall ical-urls`) ask the bot itself, over a Unix socket in the data
 * folder. Only the folder's owner can reach it (mode 0600); nothing listens on the network.
 */
export type OperatorRequest =
  | { command: "report"; options: Record<string, unknown> }
  | { command: "tickets export"; options: Record<string, unknown> }
  | { command: "db migrate" }
  | { command: "oncall ical-urls"; baseUrl: string };

export type OperatorAnswer = { ok: true; output: string } | { ok: false; error: string };

export function operatorSocketPath(dataDir: string): string {
  return join(dataDir, "escalator.sock");
}

export async function startOperatorSocket(
  path: string,
  answer: (request: OperatorRequest) => Promise<OperatorAnswer>,
  logger: Logger,
): Promise<Server | undefined> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      Promise.resolve()
        .then(() => answer(JSON.parse(body) as OperatorRequest))
        .catch((thrown): OperatorAnswer => {
          const error = coerceError(thrown);
          logger.error({ err: error }, "operator command failed");
          return { ok: false, error: error.message };
        })
        .then((result) => res.end(JSON.stringify(result)));
    });
  });
  rmSync(path, { force: true }); // left by a process that was killed
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    chmodSync(path, 0o600);
    return server;
  } catch (error) {
    logger.warn({ err: coerceError(error), path }, "operator commands cannot reach this process");
    return undefined;
  }
}

/** The running bot's answer, or undefined when nothing listens on the socket. */
export function askRunningBot(path: string, body: OperatorRequest): Promise<OperatorAnswer | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: "/", method: "POST" }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        try {
          resolve(JSON.parse(text) as OperatorAnswer);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on("error", () => resolve(undefined));
    req.end(JSON.stringify(body));
  });
}
