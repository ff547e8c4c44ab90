import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { coerceError } from "../errors.js";
import { withRequestId } from "./requestContext.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: "GET" | "POST" | "*";
  /** An exact path, or a prefix ending in "/" or "*" (e.g. "/slack/*"). */
  path: string;
  handler: RouteHandler;
}

/**
 * The one HTTP server for the chat platforms' callbacks and the operator endpoints. Adapters add routes;
 * nothing else in the app touches HTTP.
 */
export function createHttpServer(routes: Route[], logger: ErrorLog, observe?: RequestObserver): Server {
  const server = createServer((req, res) => {
    // A request id for the logs, echoed to the caller (a proxy's x-request-id is kept).
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", requestId);
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = findRoute(routes, req.method ?? "GET", url.pathname);
    res.once("finish", () => observe?.(route?.path ?? "unmatched", req.method ?? "GET", res.statusCode));
    if (!route) return sendJson(res, 404, { error: "not found" });
    // Nothing thrown by a handler, synchronously or not, leaves the request: it is logged and answered 500.
    withRequestId(requestId, () => Promise.resolve().then(() => route.handler(req, res))).catch((thrown) => {
      const error = coerceError(thrown);
      logger.error({ err: error, path: url.pathname, requestId }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  // Keep idle connections longer than the callers (Slack, Bot Framework, load balancers, fetch's 4 s) so the
  // server never closes a connection just as a caller reuses it, which the caller sees as ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

/** Where a failed request is logged (a Logger, or the front door thread's stand-in). */
export interface ErrorLog {
  error(fields: object, message: string): void;
}

/** Told of every answered request: the route's path (not the raw URL), the method and the status. */
export type RequestObserver = (route: string, method: string, status: number) => void;

function findRoute(routes: Route[], method: string, path: string): Route | undefined {
  return routes.find((r) => {
    if (r.method !== "*" && r.method !== method && !(r.method === "GET" && method === "HEAD")) return false;
    if (r.path.endsWith("*")) return path.startsWith(r.path.slice(0, -1));
    return r.path === path;
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
