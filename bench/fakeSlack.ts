// A fake Slack Web API on loopback for the benchmarks: answers every method `ok` after `delayMs`, and
// records what was posted and when. Point Escalator at it with SLACK_API_URL=<url>/api/. Anything else
// POSTed to it (a command's response_url) is answered `ok` and kept in `requests` with every API call.
// GET /count answers how many chat.* messages it has taken, GET /paths?prefix=/respond/ the paths posted to
// (for a fake run in its own process).
import { createServer } from "node:http";

export interface Delivery {
  method: string;
  channel: string;
  text: string;
  at: number;
}

export interface Request {
  path: string;
  body: Record<string, unknown>;
}

export async function fakeSlack(delayMs: number) {
  const deliveries: Delivery[] = [];
  const requests: Request[] = [];
  const pathsFrom = (prefix: string) => requests.map((r) => r.path).filter((p) => p.startsWith(prefix));
  let delay = delayMs;
  let ts = 1_700_000_000;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/count") return reply(res, { count: deliveries.length });
      if (req.method === "GET" && req.url?.startsWith("/paths?prefix=")) {
        return reply(res, { paths: pathsFrom(decodeURIComponent(req.url.slice("/paths?prefix=".length))) });
      }
      const raw = Buffer.concat(chunks).toString();
      const body = parse(raw, req.headers["content-type"] ?? "");
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
      setTimeout(() => {
        requests.push({ path: req.url ?? "", body });
        if (!req.url?.startsWith("/api/")) return reply(res, { ok: true });
        const channel = String(body.channel ?? "D0");
        if (method.startsWith("chat.")) {
          deliveries.push({ method, channel, text: String(body.text ?? ""), at: Date.now() });
        }
        reply(res, answer(method, body, channel, `${++ts}.000100`));
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    requests,
    /** The paths posted to it that start with `prefix`. */
    paths: async (prefix: string) => pathsFrom(prefix),
    /** How long the fake waits before answering, from now on. */
    setDelay: (ms: number) => {
      delay = ms;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function answer(method: string, body: Record<string, unknown>, channel: string, ts: string): object {
  switch (method) {
    case "auth.test":
      return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0BENCH" };
    case "users.info":
      return { ok: true, user: { id: body.user, tz: "America/New_York", is_bot: false, name: "bench" } };
    case "conversations.open":
      return { ok: true, channel: { id: `D${String(body.users ?? "0")}` } };
    case "chat.getPermalink":
      return { ok: true, permalink: `https://bench.slack.com/archives/${channel}/p${ts}` };
    default:
      return { ok: true, channel, ts, message: { ts } };
  }
}

function parse(raw: string, type: string): Record<string, unknown> {
  if (type.includes("json")) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function reply(res: import("node:http").ServerResponse, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(text);
}
