import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { fakeSlack } from "../../../bench/fakeSlack.js";
import { migratedDataDir } from "../../support/paths.js";
import { freePort, waitHealthy } from "../../support/serve.js";
import { commandBody, eventually, form, sign, signingSecret } from "./harness.js";

// "Stored before acknowledged", as it happens: the real service in a child process on an embedded database,
// Slack's Web API faked on loopback, a burst of signed /ticket requests, kill -9 after the first acks, and a
// restart on the same data. Timeouts only catch a hang (each start opens PGlite, slow on a busy machine).
// The data folder starts as a copy of the migrated template (no initdb in the first start).
const bin = new URL("../../../bin/escalator.js", import.meta.url).pathname;
const dataDir = migratedDataDir("escalator-crash-");
const children: ChildProcess[] = [];
const burst = 30;
const killAfterAcks = 6;

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

function serve(port: number, slackUrl: string) {
  const child = spawn(process.execPath, [bin, "serve"], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: `${slackUrl}/api/`,
      SLACK_AGENT_USER_IDS: "UAGENT1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const died = exited.then(() => {
    throw new Error("the service exited before it was healthy (its stderr is above)");
  });
  died.catch(() => undefined);
  return { child, exited, healthy: () => Promise.race([waitHealthy(port), died]) };
}

/** Sends one signed `/ticket <summary>`; resolves true only when Slack would have seen a 200 ack. */
async function ticketCommand(port: number, summary: string, responseUrl: string): Promise<boolean> {
  const body = commandBody(summary, { response_url: responseUrl });
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": form,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(body, timestamp),
      },
      body,
    });
    await response.text();
    return response.status === 200;
  } catch {
    return false; // the process died before answering: Slack would show the person an error
  }
}

/** The tickets as an operator exports them (the running bot answers the CLI). */
function exportedTickets(): Promise<string> {
  return new Promise((resolve, reject) => {
    const cli = spawn(process.execPath, [bin, "tickets", "export"], {
      env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    cli.stdout?.on("data", (chunk) => (out += chunk));
    cli.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`tickets export exited ${code}`)),
    );
  });
}

it("a /ticket acknowledged before kill -9 has its ticket and its answer after the restart", {
  timeout: 180_000,
}, async () => {
  // Slack answers slowly at first, so the kill lands while acknowledged tickets are still being carried out.
  const slack = await fakeSlack(300);
  const port = await freePort();
  const first = serve(port, slack.url);
  await first.healthy();

  const acked: string[] = [];
  const summaries = Array.from({ length: burst }, (_, i) => `burst ${String(i + 1).padStart(2, "0")}`);
  let killed = false;
  let answeredBeforeKill = 0;
  await Promise.all(
    summaries.map(async (summary) => {
      const ok = await ticketCommand(port, summary, `${slack.url}/commands/${summary.replace(" ", "-")}`);
      if (!ok || killed) return;
      acked.push(summary);
      if (acked.length === killAfterAcks) {
        killed = true;
        first.child.kill("SIGKILL");
        answeredBeforeKill = answers(slack.requests).length;
      }
    }),
  );
  await first.exited;
  expect(acked.length).toBeGreaterThanOrEqual(killAfterAcks);
  // The crash window was really hit: some acknowledged requests had no answer yet when the process died.
  expect(answeredBeforeKill).toBeLessThan(acked.length);

  slack.setDelay(0);
  const revived = serve(port, slack.url);
  await revived.healthy();
  await eventually(() => {
    const told = answers(slack.requests);
    for (const summary of acked) expect(told.some((text) => text.includes(summary))).toBe(true);
  }, 120_000);
  const csv = await exportedTickets();
  for (const summary of acked) expect(csv.split(summary).length - 1, summary).toBe(1);
  // Anything the burst opened at all was opened once, acknowledged or not.
  for (const summary of summaries) expect(csv.split(`${summary},`).length - 1).toBeLessThanOrEqual(1);

  revived.child.kill("SIGTERM");
  await revived.exited;
  await slack.close();
});

/** What the people were told through their commands' response_url. */
function answers(requests: { path: string; body: Record<string, unknown> }[]): string[] {
  return requests.filter((r) => r.path.startsWith("/commands/")).map((r) => String(r.body.text ?? ""));
}
