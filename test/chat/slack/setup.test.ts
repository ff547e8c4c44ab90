import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp } from "../../../src/chat/slack/app.js";
import { loadConfig } from "../../../src/config.js";
import { loadPolicyFile } from "../../../src/policy/index.js";
import { TicketService } from "../../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../../support/db.js";
import { FakeClock, silentLogger } from "../../support/fakes.js";
import { type Harness, startHarness } from "./harness.js";

describe("wiring the Slack app", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      SLACK_CLIENT_ID: "1234.5678",
      SLACK_CLIENT_SECRET: "client-secret",
      SLACK_STATE_SECRET: "state-secret-state-secret",
      SLACK_ADMIN_CHANNEL: "#escalator-admin",
    });
  });
  afterAll(() => h.close());

  it("serves the OAuth install page, redirecting to Slack's authorize page with the bot scopes", async () => {
    expect(h.slack.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /slack/install",
      "GET /slack/oauth_redirect",
      "POST /slack/events",
    ]);
    const res = await fetch(`${h.base}/slack/install`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("client_id")).toBe("1234.5678");
    expect(location.searchParams.get("scope")).toContain("chat:write");
    expect(h.slack.adminDestination).toEqual({
      platform: "slack",
      workspaceId: "slack:default",
      channelName: "#escalator-admin",
    });
  });

  describe("in Socket Mode", () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore("pglite");
    });
    afterAll(() => t.dispose());

    it("adds no /slack/events route (Slack connects over a WebSocket) and needs no signing secret", async () => {
      const policy = loadPolicyFile("policies/wes.yaml");
      const clock = new FakeClock(h.clock.current);
      const slack = await createSlackApp({
        config: loadConfig({ SLACK_BOT_TOKEN: "xoxb-x", SLACK_APP_TOKEN: "xapp-1-x" }),
        store: t.store,
        tickets: new TicketService({ store: t.store, policy, now: clock.now }),
        policy,
        logger: silentLogger,
        now: clock.now,
      });
      expect(slack.routes).toEqual([]);
      expect(slack.port.platform).toBe("slack");
    });
  });
});
