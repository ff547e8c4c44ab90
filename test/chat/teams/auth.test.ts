import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  appId,
  channelMessage,
  customer,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
} from "./harness.js";

describe("Teams /api/messages: only Bot Framework tokens for this app and tenant get in", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined); // botbuilder prints each refusal
    h = await startTeamsHarness();
  });
  afterAll(() => h.close());

  const written = async () => ({
    tickets: await h.t.store.prisma.ticket.count(),
    conversations: await h.t.store.prisma.teamsConversation.count(),
    replies: h.bf.calls.length,
  });
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ["a token for another bot (audience)", { aud: "someone-elses-app" }, /Invalid AppId/],
    ["a token from another issuer", { iss: "https://login.evil.example" }, /No valid identity/],
    ["an expired token", { exp: now() - 3600, nbf: now() - 7200 }, /expired/],
    [
      "a token for another serviceUrl",
      { serviceurl: "https://smba.trafficmanager.net/elsewhere/" },
      /ServiceUrl/,
    ],
    ["a token without a serviceUrl claim", { serviceurl: undefined }, /ServiceUrl/],
  ])("refuses %s with 401 and writes nothing", async (_what, claims, why) => {
    const response = await h.post(channelMessage(customer, "ticket high printer down"), claims);
    expect(response.status).toBe(401);
    expect(String(response.body)).toMatch(why);
    expect(await written()).toEqual({ tickets: 0, conversations: 0, replies: 0 });
  });

  it("refuses a request with no token at all", async () => {
    const response = await fetch(`${h.base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...personalMessage(customer, "ticket list"), serviceUrl: h.bf.serviceUrl }),
    });
    expect(response.status).toBe(401);
    expect(await written()).toEqual({ tickets: 0, conversations: 0, replies: 0 });
  });

  it("refuses a tenant outside the allow-list with 403 and writes nothing", async () => {
    const other = personalMessage(customer, "ticket high printer down", {
      channelData: { tenant: { id: "99999999-0000-4000-8000-000000000099" } },
      conversation: {
        id: "a:x",
        conversationType: "personal",
        tenantId: "99999999-0000-4000-8000-000000000099",
      },
    });
    expect((await h.post(other)).status).toBe(403);
    expect(await written()).toEqual({ tickets: 0, conversations: 0, replies: 0 });
  });

  it("serves a valid token: the activity runs and its conversation is kept for later", async () => {
    const response = await h.post(personalMessage(customer, "ticket list"));
    expect(response.status).toBe(200);
    expect(h.bf.calls.map((c) => c.body.text)).toEqual(["You have no open tickets."]);
    const kept = await h.t.store.prisma.teamsConversation.findMany();
    expect(kept.map((c) => [c.kind, c.userAadId, c.userName])).toEqual([
      ["personal", customer.aadObjectId, customer.name],
    ]);
    expect(appId).toBeTruthy();
  });
});

describe("Teams /api/messages in explicit local mode (ESCALATOR_LOCAL=1)", () => {
  let local: TeamsHarness;
  beforeAll(async () => {
    local = await startTeamsHarness({ local: true });
  });
  afterAll(() => local.close());

  it("accepts an activity without a token, only there", async () => {
    const response = await fetch(`${local.base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...personalMessage(customer, "ticket list"), serviceUrl: local.bf.serviceUrl }),
    });
    expect(response.status).toBe(200);
    expect(local.bf.calls.map((c) => c.body.text)).toEqual(["You have no open tickets."]);
    expect(await local.t.store.prisma.teamsConversation.count()).toBe(1);
  });
});
