import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { graphGroupMembers, TeamsAgentDirectory } from "../../../src/chat/teams/agents.js";
import { silentLogger } from "../../support/fakes.js";

describe("Teams agents: listed Entra object ids and one Entra group", () => {
  afterEach(() => nock.cleanAll());

  it("reads the group's members from Microsoft Graph, page after page, and keeps them five minutes", async () => {
    const graph = nock("https://graph.microsoft.com")
      .get("/v1.0/groups/g-support/transitiveMembers/microsoft.graph.user")
      .query(true)
      .matchHeader("authorization", "Bearer graph-token")
      .reply(200, { value: [{ id: "u1" }], "@odata.nextLink": "https://graph.microsoft.com/v1.0/next-page" })
      .get("/v1.0/next-page")
      .reply(200, { value: [{ id: "u2" }] });
    let now = 0;
    const agents = new TeamsAgentDirectory(
      new Set(["listed"]),
      "g-support",
      graphGroupMembers(async () => "graph-token"),
      silentLogger,
      () => now,
    );
    expect(await agents.isAgent("listed")).toBe(true);
    expect(await agents.isAgent("u2")).toBe(true);
    expect(await agents.isAgent("u1")).toBe(true);
    expect(await agents.isAgent("stranger")).toBe(false);
    expect(await agents.isAgent(undefined)).toBe(false);
    graph.done();
    // Graph refuses later (no permission any more): the last list stands, and it is logged.
    now = 6 * 60_000;
    nock("https://graph.microsoft.com")
      .get(/transitiveMembers/)
      .reply(403, {});
    expect(await agents.isAgent("u2")).toBe(true);
  });
});
