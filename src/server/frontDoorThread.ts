// The front door's thread (see frontDoor.ts): it owns the service's public port, answers what its lanes can
// answer alone, and forwards everything else to the service on its internal port. Nothing here may import
// the service's heavier modules (Bolt, Prisma, the ticket service): this thread's memory is the point.
import { Agent, type IncomingMessage, request, type ServerResponse } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { openPool, poolDriver, poolNumbers } from "../store/pgPool.js";
import { readBody } from "./body.js";
import type { FromThread, FrontDoorData, Lane, LaneKit, ThreadLogger, ToThread } from "./frontDoor.js";
import { closeServer, createHttpServer, listen, sendJson } from "./http.js";

const data = workerData as FrontDoorData;
const parent = parentPort!;
const post = (message: FromThread) => parent.postMessage(message);

const logger: ThreadLogger = {
  info: (fields, message) => post({ kind: "log", level: "info", fields: plain(fields), message }),
  warn: (fields, message) => post({ kind: "log", level: "warn", fields: plain(fields), message }),
  error: (fields, message) => post({ kind: "log", level: "error", fields: plain(fields), message }),
};

const pool = openPool(data.databaseUrl, data.poolSize);

/**
 * Answered requests and their ack times go to the service in batches (its metrics and intake throttle),
 * with the thread's connections: every 200 ms while requests come, every second otherwise.
 */
const answered: { route: string; method: string; status: number; ms: number }[] = [];
let quiet = 0;
const report = () => post({ kind: "answered", requests: answered.splice(0), pool: poolNumbers(pool) });
const flush = setInterval(() => {
  if (answered.length === 0 && ++quiet < 5) return;
  quiet = 0;
  report();
}, 200);
flush.unref();
const kit: LaneKit = {
  intake: poolDriver(pool),
  logger,
  note: (note) => post({ kind: "note", note }),
};
const lanes: Lane[] = [];
for (const { module, options } of data.lanes) {
  const { openLane } = (await import(module)) as { openLane: (options: unknown, kit: LaneKit) => Lane };
  lanes.push(openLane(options, kit));
}

// Keep-alive connections to the service, so a forwarded request costs no connection setup.
const upstream = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createHttpServer([{ method: "*", path: "/*", handler: (req, res) => answer(req, res) }], {
  error: (fields, message) => logger.error(fields as Record<string, unknown>, message),
});

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const lane = req.method === "POST" ? lanes.find((l) => l.path === path) : undefined;
  if (!lane) return forward(req, res);
  const started = performance.now();
  const body = await readBody(req);
  if (body === undefined) return sendJson(res, 413, { error: "body too large" });
  let taken = false;
  try {
    taken = await lane.answer(req, body, res);
  } catch (error) {
    // The service answers it instead, as it would without this thread (and says what went wrong there).
    logger.error({ err: error, path }, "front door lane failed; the service answers the request");
    if (res.headersSent) return void res.end();
  }
  if (!taken) return forward(req, res, body);
  const done = () =>
    answered.push({ route: path, method: "POST", status: res.statusCode, ms: performance.now() - started });
  if (res.writableFinished) done();
  else res.once("finish", done);
}

/** Headers that describe one connection, not the request: never passed on. */
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

function passedOn(headers: NodeJS.Dict<string | string[]>): NodeJS.Dict<string | string[]> {
  const kept: NodeJS.Dict<string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (!hopByHop.has(name)) kept[name] = value;
  return kept;
}

/** Hands the request to the service (its body, when a lane has read it already) and relays the answer. */
function forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
  const headers = passedOn(req.headers);
  // The service keeps this request id, so its logs and this answer's header agree.
  headers["x-request-id"] = String(res.getHeader("x-request-id"));
  if (body) headers["content-length"] = String(body.length);
  const out = request(
    {
      host: data.upstream.host,
      port: data.upstream.port,
      method: req.method,
      path: req.url,
      headers,
      agent: upstream,
    },
    (back) => {
      res.writeHead(back.statusCode ?? 502, passedOn(back.headers));
      back.pipe(res);
    },
  );
  out.on("error", (error) => {
    logger.error({ err: error, path: req.url }, "the service did not answer a forwarded request");
    if (!res.headersSent) sendJson(res, 502, { error: "the service is not answering" });
    else res.destroy();
  });
  // The caller went away before the answer: stop waiting for it.
  res.once("close", () => {
    if (!res.writableFinished) out.destroy();
  });
  if (body) out.end(body);
  else req.pipe(out);
}

function plain(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    out[key] =
      value instanceof Error ? { message: value.message, stack: value.stack, name: value.name } : value;
  return out;
}

parent.on("message", (message: ToThread) => {
  if (message.kind !== "close") return;
  void (async () => {
    await closeServer(server);
    upstream.destroy();
    await pool.end().catch(() => undefined);
    clearInterval(flush);
    report();
    post({ kind: "closed" });
  })();
});

try {
  // The lanes' connections are opened before the first request, which would otherwise wait for them.
  const warm = await Promise.all(Array.from({ length: data.poolSize }, () => pool.connect()));
  for (const client of warm) client.release();
  const port = await listen(server, data.port, data.host);
  post({ kind: "listening", port });
} catch (error) {
  post({ kind: "failed", message: (error as Error).message });
  await pool.end().catch(() => undefined);
}
