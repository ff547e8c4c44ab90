import type { IncomingMessage, ServerResponse } from "node:http";
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger.js";
import type { PoolNumbers, SqlQuery } from "../store/db.js";
import type { RequestObserver } from "./http.js";

/**
 * The front door: a thread of its own that owns the service's public HTTP port. A chat platform waits at
 * most 3 s for its acknowledgement (Slack answers the person "operation_timeout" after that), and the ack of
 * the busiest request, `/ticket`, is one database row; in the service's own event loop it waited behind
 * whatever else was ready there (opening tickets, sending cards, the scheduler), so under load the ack's p99
 * was hundreds of milliseconds though its own work takes one or two. In this thread a lane (frontLane.ts for
 * Slack) answers such a request itself: it checks the signature, writes the row on connections of its own,
 * acknowledges, and tells the service, which carries the request out. Every other request, and any the lane
 * leaves, is forwarded unchanged to the service's HTTP server on an internal loopback port, which checks and
 * answers it as if it had come directly. Only with PostgreSQL: the embedded database lives in the service's
 * thread.
 */
export interface FrontDoorOptions {
  /** The public address (PORT, HOST). */
  port: number;
  host: string;
  /** The service's own HTTP server, on loopback. */
  upstream: { host: string; port: number };
  databaseUrl: string;
  /** Connections the lanes write through (the ack path's). */
  poolSize: number;
  lanes: LaneSpec[];
  logger: Logger;
  /** Requests the lanes answered (forwarded ones are counted by the service's own server). */
  observe?: RequestObserver;
  /** How long each request a lane answered took, from reading it to the answer written (ms). */
  answered?: (ms: number) => void;
  /** What a lane tells the service (a request written down: carry it out). */
  onNote(note: LaneNote): void;
}

/** A lane: a module the thread imports (`openLane(options, kit)`), with options it can be sent. */
export interface LaneSpec {
  module: string;
  options: unknown;
}

/** What a lane answers in the thread. */
export interface Lane {
  /** The POST path it looks at (e.g. /slack/events). */
  path: string;
  /** Answers the request and resolves true, or resolves false to leave it to the service (body and all). */
  answer(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean>;
}

export interface LaneKit {
  /** The thread's own connections. */
  intake: SqlQuery;
  logger: ThreadLogger;
  note(note: LaneNote): void;
}

export type LaneNote = { kind: "queued"; platform: string };

/** The thread's log: each line is written by the service's logger (its level, redaction and destination). */
export interface ThreadLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the thread is started with (its workerData). */
export type FrontDoorData = Pick<
  FrontDoorOptions,
  "port" | "host" | "upstream" | "databaseUrl" | "poolSize" | "lanes"
>;

export type FromThread =
  | { kind: "listening"; port: number }
  | { kind: "failed"; message: string }
  | { kind: "log"; level: "info" | "warn" | "error"; fields: Record<string, unknown>; message: string }
  | {
      kind: "answered";
      requests: { route: string; method: string; status: number; ms: number }[];
      pool: PoolNumbers;
    }
  | { kind: "note"; note: LaneNote }
  | { kind: "closed" };

export type ToThread = { kind: "close" };

export interface FrontDoor {
  /** The public port it listens on. */
  port: number;
  /** The thread's connections, as it last reported them (about once a second). */
  pool(): PoolNumbers | undefined;
  /** Stops taking requests, finishes those in hand, and ends the thread. */
  close(): Promise<void>;
}

/** The thread's resource limits: it holds requests in flight and little else. */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 2 };

/**
 * Starts the thread and resolves once it listens (rejects when it cannot, e.g. the port is taken). A thread
 * that stops unexpectedly is logged as an error and started again (after 1 s, doubling to 30 s while it
 * keeps failing); meanwhile nothing answers on the public port, which /healthz probes notice.
 */
export async function openFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const { logger } = options;
  let closing = false;
  let current: Worker;
  let port = options.port;
  let delayMs = 1_000;
  let retry: NodeJS.Timeout | undefined;
  let connections: PoolNumbers | undefined;

  const start = () =>
    new Promise<Worker>((resolve, reject) => {
      const data: FrontDoorData = {
        port,
        host: options.host,
        upstream: options.upstream,
        databaseUrl: options.databaseUrl,
        poolSize: options.poolSize,
        lanes: options.lanes,
      };
      const worker = new Worker(threadModule.entry, {
        eval: threadModule.eval,
        workerData: data,
        resourceLimits: THREAD_LIMITS,
        stdout: false,
        stderr: false,
      });
      let listening = false;
      worker.on("message", (message: FromThread) => {
        switch (message.kind) {
          case "listening":
            listening = true;
            port = message.port;
            delayMs = 1_000;
            resolve(worker);
            break;
          case "failed":
            reject(new Error(`the HTTP port ${port} on ${options.host}: ${message.message}`));
            void worker.terminate();
            break;
          case "log":
            logger[message.level](message.fields, message.message);
            break;
          case "answered":
            connections = message.pool;
            for (const r of message.requests) {
              options.observe?.(r.route, r.method, r.status);
              options.answered?.(r.ms);
            }
            break;
          case "note":
            options.onNote(message.note);
            break;
          case "closed":
            break;
        }
      });
      worker.on("error", (error) => {
        logger.error({ err: error }, "the front door thread failed");
        if (!listening) reject(error);
      });
      worker.on("exit", (code) => {
        // Settles a start that never got as far as listening (a promise already settled stays as it was).
        if (!listening)
          reject(new Error(`the front door thread stopped before listening (exit code ${code})`));
        if (!listening || closing || worker !== current) return;
        logger.error({ code, retryInMs: delayMs }, "the front door thread stopped; starting it again");
        retry = setTimeout(restart, delayMs);
        delayMs = Math.min(delayMs * 2, 30_000);
      });
    });

  const restart = () => {
    retry = undefined;
    if (closing) return;
    const next = start();
    next.then(
      (worker) => {
        current = worker;
        logger.info({ port }, "the front door thread is listening again");
      },
      (error: unknown) => {
        logger.error({ err: error, retryInMs: delayMs }, "the front door thread could not start again");
        retry = setTimeout(restart, delayMs);
        delayMs = Math.min(delayMs * 2, 30_000);
      },
    );
  };

  const first = start();
  current = await first;
  return {
    get port() {
      return port;
    },
    pool: () => connections,
    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      const worker = current;
      const closed = new Promise<void>((resolve) => {
        worker.on("message", (message: FromThread) => {
          if (message.kind === "closed") resolve();
        });
        worker.once("exit", () => resolve());
      });
      worker.postMessage({ kind: "close" } satisfies ToThread);
      const late = setTimeout(() => void worker.terminate(), 10_000);
      await closed;
      clearTimeout(late);
      await worker.terminate();
    },
  };
}

/**
 * The thread's module: the compiled `.js` beside this file when the service runs from dist/; the `.ts`
 * source when it runs from src/ (under tsx or the tests), loaded through tsx's loader registered in the thread
 * first (a worker does not inherit the loader of the thread that starts it).
 */
function threadEntry(): { entry: string | URL; eval: boolean } {
  const url = siblingModule(import.meta.url, "frontDoorThread");
  if (url.href.endsWith(".js")) return { entry: url, eval: false };
  const code = `import("tsx/esm/api").then((tsx) => tsx.register()).then(() => import(${JSON.stringify(url.href)}))`;
  return { entry: code, eval: true };
}

/** A module beside `from` (an `import.meta.url`) by its base name: `.ts` when `from` is TypeScript, else `.js`. */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}.${from.endsWith(".ts") ? "ts" : "js"}`, from);
}

const threadModule = threadEntry();
