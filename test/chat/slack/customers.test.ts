import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp } from "../../../src/chat/slack/app.js";
import { WebClients } from "../../../src/chat/slack/client.js";
import { PrismaInstallationStore } from "../../../src/chat/slack/installations.js";
import { savePending } from "../../../src/chat/slack/pending.js";
import { loadConfig } from "../../../src/config.js";
import { silentLogger } from "../../support/fakes.js";
import {
  responseUrlAnswers as answers,
  channel,
  commandBody,
  customerId,
  eventually,
  form,
  type Harness,
  jsonField,
  mrkdwnOf,
  postSigned,
  signingSecret,
  slackApi,
  slackBasics,
  startHarness,
  team,
  workspaceId,
} from "./harness.js";

const customerTeam = "TCUSTOMER";
const shared = "C0SHARED1";
const triage = "C0TRIAGE1";
/** A summary meant to ping everyone, disguise a link and mention a stranger, as Slack delivers it. */
const hostileAsDelivered =
  "Printer &lt;!here&gt; down &amp; &lt;https://evil.example|click me&gt; &lt;@U0EVIL&gt;";
const hostile = "Printer <!here> down & <https://evil.example|click me> <@U0EVIL>";

describe("Slack in front of customers", () => {
  let h: Harness;
  let customersFile: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "escalator-customers-"));
    customersFile = join(dir, "customers.yaml");
    writeFileSync(
      customersFile,
      `customers:\n  - id: acme\n    plan: standard\n    workspaces: [${customerTeam}]\n    channels: [${shared}]\n    triage: ${triage}\n`,
    );
    h = await startHarness({ SLACK_CUSTOMERS_FILE: customersFile });
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  const counts = async () => ({
    tickets: await h.t.store.prisma.ticket.count(),
    messages: await h.t.store.prisma.notification.count(),
    pending: await h.t.store.prisma.pendingCommand.count(),
  });

  it("stores a hostile /ticket as the words typed, and nothing it answers or posts makes them markup", async () => {
    slackBasics();
    const answered = answers();
    const res = await postSigned(h, commandBody(`high ${hostileAsDelivered}`), form);
    expect(res.status).toBe(200);
    // Stored before acknowledged: when Slack has the ack, the ticket (or its pending record) exists.
    const atAck = await counts();
    expect(atAck.tickets + atAck.pending).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(answered).toHaveLength(1));
    const ticket = await h.tickets.view({ workspaceId, number: 1 });
    expect(ticket.summary).toBe(hostile);
    expect(answered[0]?.text).toContain(
      "Printer &lt;!here&gt; down &amp; &lt;https://evil.example|click me&gt;",
    );
    expect(answered[0]?.text).not.toMatch(/<!here>|<https:|<@U0EVIL>/);

    let posted: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/chat.postMessage", (b) => {
        posted = b;
        return true;
      })
      .reply(200, { ok: true, channel, ts: "1700000000.000100" })
      .post("/api/chat.getPermalink")
      .reply(200, { ok: true, permalink: "https://acme.slack.com/archives/C0SUPPORT1/p1" });
    await h.dispatch();
    const mrkdwn = [posted?.text, ...mrkdwnOf(jsonField(posted!, "blocks"))].join("\n");
    expect(mrkdwn).toContain("Printer &lt;!here&gt; down &amp; &lt;https://evil.example|click me&gt;");
    expect(mrkdwn).not.toMatch(/<!here>|<https:\/\/evil|<@U0EVIL>|&amp;amp;/);
    expect(jsonField<{ text?: { text: string } }[]>(posted!, "blocks")[0]?.text?.text).toBe(
      `#1 · ${hostile}`,
    );

    await postSigned(h, commandBody("1"), form);
    await eventually(() => expect(answered).toHaveLength(2));
    expect(answered[1]?.text).toBe(
      `#1 ${hostile.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}`,
    );
  });

  it("refuses a ticket in a private channel the bot is not in, with what to do, and writes nothing", async () => {
    slackBasics({ C0PRIVATE1: { is_private: true, is_member: false } });
    const answered = answers();
    const before = await counts();
    await postSigned(h, commandBody("printer down", { channel_id: "C0PRIVATE1" }), form);
    await eventually(() => expect(answered).toHaveLength(1));
    expect(answered[0]?.text).toMatch(/^Nothing was opened\. I am not in this channel.*\/invite @escalator/);
    // No ticket, no message; the request's own record is gone once the person has the answer.
    await eventually(async () => expect(await counts()).toEqual(before));
  });

  it("refuses a ticket in a direct message without asking Slack, and writes nothing", async () => {
    const asked = slackBasics();
    const before = await counts();
    const res = await postSigned(h, commandBody("printer down", { channel_id: "D0DIRECT1" }), form);
    expect(JSON.parse(res.text)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringMatching(/^Nothing was opened\. I can't open a ticket in a direct message/),
    });
    expect(asked).not.toContain("D0DIRECT1");
    expect(await counts()).toEqual(before);
  });

  it("joins a public channel it is not in before opening a ticket there, so that it hears the thread", async () => {
    slackBasics({ C0PUBLIC01: { is_private: false, is_member: false } });
    const joined: string[] = [];
    nock(slackApi)
      .post("/api/conversations.join", (b) => joined.push(b.channel) > 0)
      .reply(200, { ok: true, channel: { id: "C0PUBLIC01" } });
    const answered = answers();
    await postSigned(h, commandBody("scanner down", { channel_id: "C0PUBLIC01" }), form);
    await eventually(() => expect(answered).toHaveLength(1));
    expect(joined).toEqual(["C0PUBLIC01"]);
    expect(answered[0]?.text).toMatch(/^Opened \*#2\*/);
  });

  it("files a Slack Connect submission under the vendor's workspace, the customer and triage by the channel", async () => {
    slackBasics();
    const answered = answers();
    await postSigned(
      h,
      commandBody("export fails", { team_id: customerTeam, team_domain: "customer", channel_id: shared }),
      form,
    );
    await eventually(() => expect(answered).toHaveLength(1));
    const row = await h.t.store.prisma.ticket.findFirstOrThrow({ where: { summary: "export fails" } });
    expect(row).toMatchObject({
      workspaceId,
      customerId: "acme",
      triageChannel: triage,
      homeChannelId: shared,
    });
    expect((await h.tickets.list({ workspaceId })).map((t) => t.summary)).toContain("export fails");

    const posts: Record<string, string>[] = [];
    nock(slackApi)
      .persist()
      .post("/api/chat.postMessage", (b) => posts.push(b) > 0)
      .reply(200, (_u, b) => ({
        ok: true,
        channel: new URLSearchParams(b as string).get("channel"),
        ts: "1.2",
      }))
      .post("/api/chat.getPermalink")
      .reply(200, { ok: true, permalink: "https://acme.slack.com/archives/x/p1" });
    await h.dispatch();
    expect(posts.map((p) => p.channel)).toEqual(expect.arrayContaining([shared, triage]));
  });

  it("opens the ticket of a /ticket acknowledged by a process that died, at the next start, and answers", async () => {
    slackBasics();
    const answered = answers(`/commands/${team}/1/died`);
    await savePending(h.t.store.intake, {
      id: "slack:trigger-of-a-dead-process",
      workspaceId,
      userTeam: team,
      userId: customerId,
      channelId: channel,
      input: { summary: "acknowledged, then the process was killed" },
      responseUrl: `${slackApi}/commands/${team}/1/died`,
      receivedAt: h.clock.now().minus({ minutes: 1 }).toISO()!,
    });
    const restarted = await createSlackApp({
      config: loadConfig({
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: `${slackApi}/api/`,
      }),
      store: h.t.store,
      tickets: h.tickets,
      policy: h.policy,
      logger: silentLogger,
      now: h.clock.now,
    });
    await restarted.start();
    await restarted.stop();
    const row = await h.t.store.prisma.ticket.findFirstOrThrow({
      where: { summary: "acknowledged, then the process was killed" },
    });
    expect(row.requesterId).toBe(customerId);
    expect(answered[0]?.text).toMatch(/^Opened \*#\d+\*/);
    expect(await h.t.store.prisma.pendingCommand.count()).toBe(0);
  });

  it("refuses an org-wide (Enterprise Grid) install: the manifests do not offer it", async () => {
    const store = new PrismaInstallationStore(h.t.store.prisma, new WebClients({}));
    await expect(
      store.storeInstallation({
        team: undefined,
        enterprise: { id: "E0GRID1" },
        isEnterpriseInstall: true,
        user: { id: "U1", token: undefined, scopes: undefined },
        bot: { token: "xoxb-grid", id: "B1", userId: "U2", scopes: [] },
      } as never),
    ).rejects.toThrow(/org-wide/);
    expect(await h.t.store.prisma.slackInstallation.count()).toBe(0);
  });

  it("opens the form at once, then replaces it with what to do where the bot could not follow the thread", async () => {
    slackBasics({ C0PRIVATE2: { is_private: true, is_member: false } });
    const calls: string[] = [];
    let update: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/views.open", () => calls.push("views.open") > 0)
      .reply(200, { ok: true, view: { id: "V0FORM1" } })
      .post("/api/views.update", (b) => {
        calls.push("views.update");
        update = b;
        return true;
      })
      .reply(200, { ok: true });
    const before = await counts();
    await postSigned(h, commandBody("", { channel_id: "C0PRIVATE2" }), form);
    await eventually(() => expect(calls).toEqual(["views.open", "views.update"]));
    expect(update?.view_id).toBe("V0FORM1");
    const view = jsonField<{ submit?: unknown; blocks: unknown[] }>(update!, "view");
    expect(view.submit).toBeUndefined();
    expect(mrkdwnOf(view.blocks).join(" ")).toMatch(/I am not in this channel.*\/invite @escalator/);
    expect(await counts()).toEqual(before);
  });
});
