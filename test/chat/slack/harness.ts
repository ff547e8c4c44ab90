import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import { DateTime } from "luxon";
import nock from "nock";
import { createSlackApp, type SlackApp, type SlackAppDeps } from "../../../src/chat/slack/app.js";
import { loadConfig } from "../../../src/config.js";
import { loadPolicyFile } from "../../../src/policy/index.js";
import type { Policy } from "../../../src/policy/types.js";
import { dispatchDue } from "../../../src/scheduler/dispatcher.js";
import { closeServer, createHttpServer, listen } from "../../../src/server/http.js";
import type { Recipients } from "../../../src/tickets/notifications.js";
import { TicketService } from "../../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../../support/db.js";
import { FakeClock, silentLogger } from "../../support/fakes.js";

export const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";
export const slackApi = "http://slack.test";
export const team = "T0001";
export const workspaceId = `slack:${team}`;
export const agentId = "UAGENT1";
export const groupAgentId = "UAGENT2";
export const customerId = "UCUST01";
export const botUserId = "UBOT0001";
export const channel = "C0SUPPORT1";

/** Slack's v0 request signature: hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" with the signing secret. */
export function sign(body: string, timestamp: number, secret = signingSecret): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface Harness {
  t: TestStore;
  clock: FakeClock;
  policy: Policy;
  tickets: TicketService;
  slack: SlackApp;
  base: string;
  server: Server;
  dispatch(): ReturnType<typeof dispatchDue>;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  extra: Pick<SlackAppDeps, "oncallCommand"> & { policyFile?: string; recipients?: Recipients } = {},
): Promise<Harness> {
  const { policyFile = "policies/support-guidelines.yaml", recipients, ...appExtra } = extra;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  const t = await openTestStore("pglite");
  // Tuesday 2026-11-17 10:00 Mountain: inside business hours.
  const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" }));
  const policy = loadPolicyFile(policyFile);
  const tickets = new TicketService({
    store: t.store,
    policy,
    now: clock.now,
    ...(recipients ? { recipients } : {}),
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: `${slackApi}/api/`,
    SLACK_AGENT_USER_IDS: agentId,
    SLACK_AGENT_GROUP_IDS: "SSUPPORT1",
    ...env,
  });
  const slack = await createSlackApp({
    config,
    store: t.store,
    tickets,
    policy,
    logger: silentLogger,
    now: clock.now,
    homeThrottleMs: 10,
    ...appExtra,
  });
  const server = createHttpServer(slack.routes, silentLogger);
  const port = await listen(server, 0, "127.0.0.1");
  return {
    t,
    clock,
    policy,
    tickets,
    slack,
    server,
    base: `http://127.0.0.1:${port}`,
    dispatch: () =>
      dispatchDue({
        store: t.store,
        ports: { slack: slack.port },
        logger: silentLogger,
        replicaId: "test",
        now: clock.date,
      }),
    async close() {
      await slack.stop();
      await closeServer(server);
      await t.dispose();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/**
 * The identity and group lookups every request may need, answered for the whole test. `channels` overrides
 * what conversations.info says of a channel (default: one the bot is in); the ids asked about are returned.
 */
export function slackBasics(channels: Record<string, object> = {}): string[] {
  const asked: string[] = [];
  nock(slackApi)
    .persist()
    .post("/api/auth.test")
    .reply(200, { ok: true, user_id: botUserId, bot_id: "B0001", team_id: team })
    .post("/api/usergroups.users.list")
    .reply(200, { ok: true, users: [groupAgentId] })
    .post("/api/conversations.info")
    .reply(200, (_uri, body) => {
      const id = new URLSearchParams(body as string).get("channel") ?? "";
      asked.push(id);
      return { ok: true, channel: { id, is_member: true, ...channels[id] } };
    });
  return asked;
}

export interface SignedOptions {
  timestamp?: number;
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a raw body to the app's HTTP server, signed like Slack signs it (or as the options spoil it). */
export async function postSigned(
  h: Harness,
  body: string,
  contentType: string,
  options: SignedOptions = {},
): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${h.base}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? sign(body, timestamp),
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

export const form = "application/x-www-form-urlencoded";

/** What the person is told through their command's response_url (commandBody's), as it arrives. */
export function responseUrlAnswers(path = `/commands/${team}/1/abc`): { text: string }[] {
  const answered: { text: string }[] = [];
  nock(slackApi)
    .persist()
    .post(path, (b) => answered.push(b) > 0)
    .reply(200, "ok");
  return answered;
}

export function commandBody(text: string, fields: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: "xyzz0WbapA4vBCDEFasx0q6G",
    team_id: team,
    team_domain: "acme",
    channel_id: channel,
    channel_name: "support",
    user_id: customerId,
    user_name: "carol",
    command: "/ticket",
    text,
    api_app_id: "A0APP",
    is_enterprise_install: "false",
    response_url: `${slackApi}/commands/${team}/1/abc`,
    trigger_id: `398738663015.47445629121.${Math.random().toString(16).slice(2)}`,
    ...fields,
  }).toString();
}

/** A Slack user as interactivity payloads name them. */
export const slackUser = (id: string) => ({
  id,
  username: id.toLowerCase(),
  name: id.toLowerCase(),
  team_id: team,
});

/** A view_submission payload (docs: view_submission payload): a form sent by `userId`. */
export function viewSubmission(
  callbackId: string,
  viewId: string,
  userId: string,
  meta: object,
  values: object,
) {
  return {
    type: "view_submission",
    team: { id: team, domain: "acme" },
    user: slackUser(userId),
    api_app_id: "A0APP",
    token: "XXYYZZ",
    trigger_id: "12345.98765.abcd2358fdea",
    view: {
      id: viewId,
      team_id: team,
      type: "modal",
      callback_id: callbackId,
      private_metadata: JSON.stringify(meta),
      hash: "156772938.1827394",
      state: { values },
      title: { type: "plain_text", text: "Escalator" },
      blocks: [],
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function payloadBody(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export function eventBody(event: object, eventId: string): string {
  return JSON.stringify({
    token: "XXYYZZ",
    team_id: team,
    api_app_id: "A0APP",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: team, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/**
 * Polls until `check` passes (listeners run after the ack). Not a speed check: the bound only turns a
 * check that never passes into its last error before the test's own timeout (30 s) hides it.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Parses a Web API form body: nested values (blocks, view) are JSON strings inside the form. */
export function jsonField<T = unknown>(body: Record<string, string>, name: string): T {
  return JSON.parse(body[name] ?? "null") as T;
}

/** Every mrkdwn string of a Slack message or view (its blocks, as posted): where markup would come alive. */
export function mrkdwnOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) mrkdwnOf(v, out);
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
    for (const v of Object.values(o)) mrkdwnOf(v, out);
  }
  return out;
}
