import fc from "fast-check";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  commandBody,
  eventually,
  form,
  type Harness,
  postSigned,
  slackApi,
  slackBasics,
  startHarness,
  team,
} from "./harness.js";

const json = "application/json";

describe("the Slack request filter (schemas before Bolt)", () => {
  let h: Harness;
  const oncallCalls: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    h = await startHarness(
      {},
      {
        oncallCommand: async (text) => {
          oncallCalls.push(text);
          return "Cover added.";
        },
      },
    );
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await h.close();
  });

  const written = async () => {
    const p = h.t.store.prisma;
    return [await p.ticket.count(), await p.ticketEvent.count(), await p.notification.count()];
  };

  it("answers a signed `null` body, `payload=null` and garbage with 400, and keeps serving", async () => {
    const before = await written();
    expect((await postSigned(h, "null", json)).status).toBe(400);
    expect((await postSigned(h, "payload=null", form)).status).toBe(400);
    expect((await postSigned(h, '{"type":"event_callback"}', json)).status).toBe(400);
    expect((await postSigned(h, "payload=%7B%22type%22%3A%22block_actions%22%7D", form)).status).toBe(400);
    expect((await postSigned(h, "text=hi", form)).status).toBe(400);
    expect((await postSigned(h, "<xml/>", "text/xml")).status).toBe(400);
    const challenge = JSON.stringify({ type: "url_verification", challenge: "c0ffee", token: "t" });
    const alive = await postSigned(h, challenge, json);
    expect(alive.status).toBe(200);
    expect(alive.text).toContain("c0ffee");
    expect(await written()).toEqual(before);
    expect(unhandled).toEqual([]);
  });

  it("refuses a body over 1 MB with 413 before reading it into Bolt", async () => {
    const huge = `payload=${"x".repeat(1_100_000)}`;
    expect((await postSigned(h, huge, form)).status).toBe(413);
  });

  it("never answers 500 nor writes anything for 300 random signed bodies", async () => {
    const before = await written();
    const statuses = new Set<number>();
    const body = fc.oneof(
      fc.json().map((b) => ({ body: b, type: json })),
      fc.json().map((b) => ({ body: `payload=${encodeURIComponent(b)}`, type: form })),
      fc
        .dictionary(
          fc.constantFrom("command", "text", "user_id", "team_id", "trigger_id", "payload", "ssl_check"),
          fc.string(),
        )
        .map((d) => ({ body: new URLSearchParams(d).toString(), type: form })),
      fc.string().map((b) => ({ body: b, type: fc.sample(fc.constantFrom(json, form), 1)[0]! })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ body, type }) => {
        const { status } = await postSigned(h, body, type);
        statuses.add(status);
        return status < 500;
      }),
      { numRuns: 300 },
    );
    expect(await written()).toEqual(before);
    expect(unhandled).toEqual([]);
    expect(statuses.has(400)).toBe(true);
  });

  it("applies a replayed signed /oncall override once", async () => {
    slackBasics();
    const answered: unknown[] = [];
    nock(slackApi)
      .persist()
      .post("/api/users.info")
      .reply(200, { ok: true, user: { id: agentId, tz: "America/Denver" } })
      .post(`/commands/${team}/1/abc`, (b) => answered.push(b) > 0)
      .reply(200, "ok");
    const body = commandBody("override me until 18:00", { command: "/oncall", user_id: agentId });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await postSigned(h, body, form, { timestamp });
    const replay = await postSigned(h, body, form, { timestamp });
    expect([first.status, replay.status]).toEqual([200, 200]);
    await eventually(() => expect(answered).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(oncallCalls).toEqual(["override me until 18:00"]);
    expect(answered).toHaveLength(1);
    nock.cleanAll();
  });
});
