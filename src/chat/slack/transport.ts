import http from "node:http";
import https from "node:https";
import type { webApi } from "@slack/bolt";

type FetchFunction = webApi.FetchFunction;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;

/** Idle sockets close after 4 s (undici's default too), before a server or load balancer drops them. */
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 128, timeout: 4_000 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 128, timeout: 4_000 }),
};

/**
 * The Web API client's transport: the fetch it calls, for what it sends nearly always (a form-encoded POST,
 * a JSON answer), over node:http keep-alive sockets. The global fetch (undici: web streams, a signal per call)
 * cost 1.0 ms of CPU per chat.postMessage and the client 0.1 ms more; through this the call costs 0.55 ms
 * (bench/delivery.bench.ts, issue 14). A file upload's form data, or a caller's own abort signal, goes to
 * the global fetch. `timeoutMs` bounds the whole call, as the client's own `timeout` would.
 */
export function keepAliveFetch(timeoutMs: number, fallback?: FetchFunction): FetchFunction {
  return (input, init = {}) => {
    const url = typeof input === "string" ? input : input.href;
    const agent = agents[url.slice(0, url.indexOf(":") + 1) as keyof typeof agents];
    if (!agent || (init.body !== undefined && typeof init.body !== "string") || init.signal) {
      const signal = init.signal ?? (timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined);
      return (fallback ?? globalThis.fetch)(input, signal ? { ...init, signal } : init);
    }
    return request(url, agent, init, init.body, timeoutMs);
  };
}

function request(
  url: string,
  agent: http.Agent,
  init: FetchRequestInit,
  body: string | undefined,
  timeoutMs: number,
): Promise<FetchResponse> {
  const headers = { ...init.headers };
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const send = agent instanceof https.Agent ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method ?? "GET", agent, headers });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
        : undefined;
    const failed = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.on("error", failed);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", failed);
      res.on("end", () => {
        clearTimeout(timer);
        resolve(response(url, res, Buffer.concat(chunks)));
      });
    });
    req.end(body);
  });
}

function response(url: string, res: http.IncomingMessage, body: Buffer): FetchResponse {
  const value = (v: string | string[] | undefined) =>
    v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  const status = res.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? "",
    url,
    headers: {
      get: (name) => value(res.headers[name.toLowerCase()]),
      entries: () =>
        Object.entries(res.headers).flatMap(([name, v]) => (v === undefined ? [] : [[name, value(v)!]])),
    },
    text: async () => body.toString("utf8"),
    json: async () => JSON.parse(body.toString("utf8")),
    arrayBuffer: async () => new Uint8Array(body).buffer,
  };
}
