import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermanentSendError, RetryableSendError } from "../../../src/chat/port.js";
import { webClientOptions } from "../../../src/chat/slack/client.js";
import { toSendError } from "../../../src/chat/slack/errors.js";
import { keepAliveFetch } from "../../../src/chat/slack/transport.js";
import { silentLogger } from "../../support/fakes.js";

interface Seen {
  path: string;
  headers: IncomingMessage["headers"];
  body: URLSearchParams;
}

/** A Web API on loopback: answers by method, and never answers `conversations.history` (a hung call). */
function fakeApi(seen: Seen[]): Server {
  return createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      seen.push({ path: req.url ?? "", headers: req.headers, body: new URLSearchParams(raw) });
      const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.url === "/api/chat.postMessage") return answer(200, { ok: true, channel: "D1", ts: "1.5" });
      if (req.url === "/api/chat.update") return answer(200, { ok: false, error: "not_in_channel" });
      if (req.url === "/api/chat.getPermalink")
        return answer(429, { ok: false, error: "ratelimited" }, { "retry-after": "9" });
      if (req.url === "/api/conversations.open") return answer(503, { ok: false });
    });
  });
}

describe("the Web API client's keep-alive transport", () => {
  const seen: Seen[] = [];
  const server = fakeApi(seen);
  let api: string;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const client = () => new webApi.WebClient("xoxb-transport", webClientOptions(api, silentLogger));

  it("sends the bot token and the form Slack expects, and gives the answer back", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "🚨 *You are paged*" } }];
    const posted = await client().chat.postMessage({ channel: "D1", text: "paged", blocks });
    expect(posted).toMatchObject({ ok: true, channel: "D1", ts: "1.5" });
    const call = seen.find((s) => s.path === "/api/chat.postMessage")!;
    expect(call.headers.authorization).toBe("Bearer xoxb-transport");
    expect(call.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(call.body.get("channel")).toBe("D1");
    expect(JSON.parse(call.body.get("blocks")!)).toEqual(blocks);
  });

  it("lets Slack's refusals, rate limits and outages become the port's errors as before", async () => {
    const refused = await client().chat.update({ channel: "C1", ts: "1.1", text: "x" }).catch(toSendError);
    expect(refused).toBeInstanceOf(PermanentSendError);
    expect(refused).toMatchObject({ message: "Slack refused: not_in_channel" });
    const limited = await client().chat.getPermalink({ channel: "C1", message_ts: "1.1" }).catch(toSendError);
    expect(limited).toBeInstanceOf(RetryableSendError);
    expect(limited).toMatchObject({ retryAfterMs: 9000 });
    const down = await client().conversations.open({ users: "U1" }).catch(toSendError);
    expect(down).toBeInstanceOf(RetryableSendError);
    expect(down).toMatchObject({ message: "Slack HTTP 503" });
  });

  it("gives up on a call with no answer after its timeout: a retry, not a hang", async () => {
    const hung = new webApi.WebClient("xoxb-transport", {
      ...webClientOptions(api, silentLogger),
      fetch: keepAliveFetch(200),
    });
    const started = Date.now();
    const error = await hung.conversations.history({ channel: "C1" }).catch(toSendError);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect(error).toMatchObject({ message: expect.stringContaining("Slack unreachable") });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("hands a file upload's form data (and a caller's own abort signal) to the global fetch", async () => {
    const given: unknown[] = [];
    const fallback: webApi.FetchFunction = async (_url, init) => {
      given.push(init?.body);
      return new Response("{}") as never;
    };
    const form = new FormData();
    form.append("file", new Blob(["png"]), "chart.png");
    await keepAliveFetch(1_000, fallback)(`${api}files.upload`, { method: "POST", body: form });
    const signal = AbortSignal.timeout(1_000);
    await keepAliveFetch(1_000, fallback)(`${api}chat.postMessage`, { method: "POST", body: "a=1", signal });
    expect(given).toEqual([form, "a=1"]);
  });
});
