import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketService } from "../../../src/tickets/service.js";
import {
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

/** What people were told through their commands' response_url, by path. */
function answersAt(prefix: string): { path: string; text: string }[] {
  const told: { path: string; text: string }[] = [];
  nock(slackApi)
    .persist()
    .post((path) => path.startsWith(prefix))
    .reply(200, function (this: { req: { path: string } }, _uri: string, body: unknown) {
      told.push({ path: this.req.path, text: String((body as { text?: string }).text ?? "") });
      return "ok";
    });
  return told;
}

describe("/ticket is acknowledged before its ticket is opened", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    slackBasics();
    nock(slackApi)
      .persist()
      .post("/api/users.info")
      .reply(200, { ok: true, user: { id: "UCUST01", team_id: team } });
  });
  afterAll(() => h.close());

  it("acks while opening the ticket is stuck, then opens it and answers the person", async () => {
    const told = answersAt(`/commands/${team}/stuck/`);
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const create = h.tickets.create.bind(h.tickets);
    let started = 0;
    h.tickets.create = (async (...args: Parameters<TicketService["create"]>) => {
      started++;
      await stuck;
      return create(...args);
    }) as TicketService["create"];
    try {
      const res = await postSigned(
        h,
        commandBody("high scanner down", { response_url: `${slackApi}/commands/${team}/stuck/1` }),
        form,
      );
      expect(res.status).toBe(200);
      await eventually(() => expect(started).toBe(1));
      expect(await h.t.store.prisma.ticket.count({ where: { summary: "scanner down" } })).toBe(0);
      expect(told).toEqual([]);
      release();
      await eventually(() =>
        expect(told.map((t) => t.text)).toEqual([expect.stringMatching(/^Opened \*#\d+\*/)]),
      );
      expect(await h.t.store.prisma.ticket.count({ where: { summary: "scanner down" } })).toBe(1);
      // The row goes once the person has the answer.
      await eventually(async () => expect(await h.t.store.prisma.pendingCommand.count()).toBe(0));
    } finally {
      h.tickets.create = create;
      release();
    }
  });

  it("gives a burst of requests one ticket and one answer each, and a replayed request nothing more", async () => {
    const told = answersAt(`/commands/${team}/burst/`);
    const bodies = Array.from({ length: 20 }, (_, i) =>
      commandBody(`burst ${i}`, { response_url: `${slackApi}/commands/${team}/burst/${i}` }),
    );
    const acks = await Promise.all(bodies.map((body) => postSigned(h, body, form)));
    expect(acks.map((a) => a.status)).toEqual(bodies.map(() => 200));
    // The same signed request again (a replay within Slack's signature window): the same trigger_id.
    expect((await postSigned(h, bodies[0]!, form)).status).toBe(200);
    await eventually(() => expect(told).toHaveLength(20));
    await new Promise((r) => setTimeout(r, 200));
    expect(told).toHaveLength(20);
    expect(new Set(told.map((t) => t.path)).size).toBe(20);
    const summaries = (
      await h.t.store.prisma.ticket.findMany({ where: { summary: { startsWith: "burst " } } })
    ).map((t) => t.summary);
    expect(summaries.sort()).toEqual(bodies.map((_, i) => `burst ${i}`).sort());
  });
});
