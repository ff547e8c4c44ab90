import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  commandBody,
  customerId,
  eventually,
  form,
  type Harness,
  postSigned,
  slackApi,
  slackBasics,
  startHarness,
  team,
} from "./harness.js";

describe("/oncall over HTTP", () => {
  let h: Harness;
  const asked: string[] = [];
  const agents: boolean[] = [];
  beforeAll(async () => {
    h = await startHarness(
      {},
      {
        oncallCommand: async (text, asker, zone, _now, isAgent) => {
          asked.push(`${asker} (${zone}): ${text}`);
          agents.push(isAgent);
          return "Now: <@U0CHEN> until 08:00";
        },
      },
    );
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  function answers(): unknown[] {
    const answered: unknown[] = [];
    nock(slackApi)
      .post("/api/users.info")
      .reply(200, { ok: true, user: { id: agentId, tz: "America/Chicago" } })
      .post(`/commands/${team}/1/abc`, (b) => answered.push(b) > 0)
      .reply(200, "ok");
    return answered;
  }

  it("answers who is on call, in the asker's Slack time zone", async () => {
    slackBasics();
    const answered = answers();
    const res = await postSigned(h, commandBody("", { command: "/oncall", user_id: agentId }), form);
    expect(res.status).toBe(200);
    await eventually(() => expect(answered).toHaveLength(1));
    expect(answered[0]).toMatchObject({ response_type: "ephemeral", text: "Now: <@U0CHEN> until 08:00" });
    expect(asked.at(-1)).toBe(`${agentId} (America/Chicago): `);
  });

  it("tells the on-call layer whether the asker is on the support team (its rule decides covers)", async () => {
    for (const [user, isAgent] of [
      [customerId, false],
      [agentId, true],
    ] as const) {
      slackBasics();
      const answered = answers();
      await postSigned(
        h,
        commandBody("override me until 18:00", { command: "/oncall", user_id: user }),
        form,
      );
      await eventually(() => expect(answered).toHaveLength(1));
      expect(asked.at(-1)).toMatch(/: override me until 18:00$/);
      expect(agents.at(-1)).toBe(isAgent);
    }
  });

  it("reads escaped mentions by user id, decodes the rest once, and answers with only its own mentions live", async () => {
    slackBasics();
    const answered = answers();
    await postSigned(
      h,
      commandBody("override <@U0DANA1|dana> until Sunday 18:00 &amp; <!here>", {
        command: "/oncall",
        user_id: agentId,
      }),
      form,
    );
    await eventually(() => expect(answered).toHaveLength(1));
    // should_escape: true sends the mention with its id: the command sees the id, not a handle.
    expect(asked.at(-1)).toBe(`${agentId} (America/Chicago): override <@U0DANA1> until Sunday 18:00 & @here`);
    expect(answered[0]).toMatchObject({ text: "Now: <@U0CHEN> until 08:00" });
  });
});
