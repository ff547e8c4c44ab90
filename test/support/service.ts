import { type ChildProcess, spawn } from "node:child_process";
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";

/** Runs `bin/escalator.js serve` as a user does, in child processes the test ends (kill -9) afterwards. */
const bin = new URL("../../bin/escalator.js", import.meta.url).pathname;
const children: ChildProcess[] = [];

export function killAll(): void {
  for (const child of children) child.kill("SIGKILL");
}

export { freePort, waitFor } from "./serve.js";

export interface Served {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

export function serve(env: Record<string, string>): Served {
  const child = spawn(process.execPath, [bin, "serve"], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 50));
}

/**
 * A Slack Web API on loopback (SLACK_API_URL): records every `chat.postMessage` text as it arrives, answers
 * `ok` to everything else. `hold(text)` decides per post whether to leave it unanswered (a send in flight).
 */
export class FakeSlack {
  readonly posted: string[] = [];
  hold: (text: string) => boolean = () => false;
  private readonly server = createHttp((req, res) => void this.answer(req, res));
  private ts = 0;

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/api/`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += chunk;
    const method = req.url?.replace(/^\/api\//, "") ?? "";
    const reply = (json: object): void => {
      res.setHeader("content-type", "application/json").end(JSON.stringify(json));
    };
    if (method === "auth.test") return reply({ ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" });
    if (method !== "chat.postMessage") return reply({ ok: true });
    const params = req.headers["content-type"]?.includes("json")
      ? (JSON.parse(body) as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(body));
    const text = String(params.text ?? "");
    this.posted.push(text);
    if (this.hold(text)) return; // never answered: the sender dies first
    reply({ ok: true, channel: params.channel, ts: `1700000000.${String(++this.ts).padStart(6, "0")}` });
  }
}

/** Environment for a Slack-configured bot whose Web API is `apiUrl`. */
export function slackEnv(apiUrl: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: "test-signing-secret",
    SLACK_API_URL: apiUrl,
  };
}

/** `n` admin alerts for Slack channel C<thread>, `threads` threads, each message naming itself in its text (`<prefix> <i> end`). */
export function alerts(prefix: string, n: number, threads: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}:${i}`,
    kind: "adminAlert",
    target: { platform: "slack" as const, workspaceId: "T1", channelId: `C${i % threads}` },
    payload: { type: "adminAlert" as const, text: `${prefix} ${i} end` },
    orderingKey: `${prefix}-thread-${i % threads}`,
  }));
}
