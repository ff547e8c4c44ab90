import type { Server } from "node:http";
import { MicrosoftAppCredentials, ServiceClientCredentialsFactory } from "botframework-connector";
import { DateTime } from "luxon";
import nock from "nock";
import { createTeamsApp, type TeamsApp, type TeamsAppDeps } from "../../../src/chat/teams/app.js";
import { loadConfig } from "../../../src/config.js";
import { loadPolicyFile } from "../../../src/policy/index.js";
import type { Policy } from "../../../src/policy/types.js";
import { dispatchDue } from "../../../src/scheduler/dispatcher.js";
import { closeServer, createHttpServer, listen } from "../../../src/server/http.js";
import type { Recipients } from "../../../src/tickets/notifications.js";
import { TicketService } from "../../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../../support/db.js";
import { FakeClock, silentLogger } from "../../support/fakes.js";
import { FakeBotFramework } from "./fakeBotFramework.js";

export const appId = "6f1c2d3e-0000-4000-8000-00000000b07a";
export const tenant = "4a5b6c7d-0000-4000-8000-000000000071";
export const workspaceId = `teams:${tenant}`;
export const bot = { id: `28:${appId}`, name: "Escalator" };
export const agent = {
  id: "29:agent-1",
  aadObjectId: "a9e1a9e1-0000-4000-8000-000000000001",
  name: "Ann Agent",
};
export const customer = {
  id: "29:cust-1",
  aadObjectId: "c0c0c0c0-0000-4000-8000-000000000002",
  name: "Carl Customer",
};
/** Another Teams user: `n` (1–9) makes the AAD object id unique; `group` keeps test files' people apart. */
export const teamsPerson = (name: string, n: number, group: string) => ({
  id: `29:${name}`,
  aadObjectId: `0000000${n}-${group}-4000-8000-00000000000${n}`,
  name,
});
export const channel = "19:support@thread.tacv2";
export const team = "19:team@thread.tacv2";

/** Outbound calls carry no token in tests; the app id is the only one valid as a token's audience. */
class TestCredentials extends ServiceClientCredentialsFactory {
  async isValidAppId(id: string) {
    return id === appId;
  }
  async isAuthenticationDisabled() {
    return false;
  }
  async createCredentials() {
    return MicrosoftAppCredentials.Empty;
  }
}

export interface TeamsHarness {
  t: TestStore;
  clock: FakeClock;
  policy: Policy;
  tickets: TicketService;
  teams: TeamsApp;
  bf: FakeBotFramework;
  base: string;
  /** POSTs an activity to /api/messages with a valid token, or the claims given (undefined removes one). */
  post(
    activity: Record<string, unknown>,
    claims?: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }>;
  dispatch(): ReturnType<typeof dispatchDue>;
  close(): Promise<void>;
}

export async function startTeamsHarness(
  options: {
    env?: Record<string, string>;
    policyFile?: string;
    start?: DateTime;
    recipients?: (h: { policy: Policy; prisma: TestStore["store"]["prisma"] }) => Promise<Recipients>;
    oncallCommand?: TeamsAppDeps["oncallCommand"];
    /** Explicit local mode (ESCALATOR_LOCAL=1) with botbuilder's own authentication, which it turns off. */
    local?: boolean;
  } = {},
): Promise<TeamsHarness> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  const bf = new FakeBotFramework();
  await bf.start();
  const t = await openTestStore("pglite");
  const clock = new FakeClock(
    options.start ?? DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" }),
  );
  const policy = loadPolicyFile(options.policyFile ?? "policies/support-guidelines.yaml");
  const tickets = new TicketService({
    store: t.store,
    policy,
    now: clock.now,
    ...(options.recipients
      ? { recipients: await options.recipients({ policy, prisma: t.store.prisma }) }
      : {}),
  });
  const config = loadConfig({
    MICROSOFT_APP_ID: appId,
    MICROSOFT_APP_PASSWORD: "test-secret-not-used",
    MICROSOFT_APP_TENANT_ID: tenant,
    TEAMS_AGENT_USER_IDS: agent.aadObjectId,
    ...(options.local ? { ESCALATOR_LOCAL: "1" } : {}),
    ...options.env,
  });
  const teams = createTeamsApp({
    config,
    store: t.store,
    tickets,
    policy,
    logger: silentLogger,
    now: clock.now,
    ...(options.local
      ? {}
      : { auth: { openIdMetadataUrl: bf.openIdMetadataUrl, credentialsFactory: new TestCredentials() } }),
    ...(options.oncallCommand ? { oncallCommand: options.oncallCommand } : {}),
  });
  const server: Server = createHttpServer(teams.routes, silentLogger);
  const base = `http://127.0.0.1:${await listen(server, 0, "127.0.0.1")}`;
  const validClaims = () => ({
    iss: "https://api.botframework.com",
    aud: appId,
    serviceurl: bf.serviceUrl,
    nbf: Math.floor(Date.now() / 1000) - 60,
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  return {
    t,
    clock,
    policy,
    tickets,
    teams,
    bf,
    base,
    async post(activity, claims = {}) {
      const token = bf.token({ ...validClaims(), ...claims });
      const response = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ serviceUrl: bf.serviceUrl, ...activity }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      return { status: response.status, body };
    },
    dispatch: () =>
      dispatchDue({
        store: t.store,
        ports: { teams: teams.port },
        logger: silentLogger,
        replicaId: "r",
        now: clock.date,
        ...(teams.adminDestination ? { adminDestination: teams.adminDestination } : {}),
      }),
    async close() {
      await closeServer(server);
      await bf.stop();
      await t.dispose();
      nock.enableNetConnect();
    },
  };
}

let seq = 0;
type Person = typeof agent;

const channelData = (extra: Record<string, unknown> = {}) => ({ tenant: { id: tenant }, ...extra });

/** A message in the person's 1:1 chat with the bot. */
export function personalMessage(from: Person, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: "message",
    id: `m${++seq}`,
    channelId: "msteams",
    text,
    from,
    recipient: bot,
    conversation: { id: `a:personal-${from.aadObjectId}`, conversationType: "personal", tenantId: tenant },
    channelData: channelData(),
    ...extra,
  };
}

/** A message in the support channel (a new post, or a reply in `root`'s thread), @mentioning the bot or not. */
export function channelMessage(from: Person, text: string, opts: { mention?: boolean; root?: string } = {}) {
  const mention = opts.mention ?? true;
  return {
    type: "message",
    id: `m${++seq}`,
    channelId: "msteams",
    text: mention ? `<at>Escalator</at> ${text}` : text,
    from,
    recipient: bot,
    conversation: {
      id: opts.root ? `${channel};messageid=${opts.root}` : channel,
      conversationType: "channel",
      isGroup: true,
      tenantId: tenant,
    },
    entities: mention ? [{ type: "mention", text: "<at>Escalator</at>", mentioned: bot }] : [],
    channelData: channelData({
      team: { id: team, name: "Support" },
      channel: { id: channel, name: "support" },
    }),
  };
}

/** An invoke (card action, message extension) from a conversation. */
export function invoke(
  from: Person,
  name: string,
  value: unknown,
  conversation: { id: string; conversationType: string },
) {
  return {
    type: "invoke",
    id: `i${++seq}`,
    name,
    value,
    channelId: "msteams",
    from,
    recipient: bot,
    conversation: { ...conversation, tenantId: tenant },
    channelData: channelData(),
  };
}

export const personalOf = (p: Person) => ({
  id: `a:personal-${p.aadObjectId}`,
  conversationType: "personal",
});
export const channelConversation = { id: channel, conversationType: "channel" };

/** The person installs the app: Teams says so in their personal chat (the reference the bot keeps). */
export function installed(p: Person) {
  return {
    type: "installationUpdate",
    action: "add",
    id: `u${++seq}`,
    channelId: "msteams",
    from: p,
    recipient: bot,
    conversation: { id: `a:personal-${p.aadObjectId}`, conversationType: "personal", tenantId: tenant },
    channelData: channelData(),
  };
}
