import { DateTime } from "luxon";
import nock from "nock";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessageBody } from "../../../src/chat/port.js";
import { dispatchDue } from "../../../src/scheduler/dispatcher.js";
import { enqueueNotifications } from "../../../src/store/outbox.js";
import { pngSize, sampleChart } from "../../support/charts.js";
import { actor } from "../../support/fakes.js";
import {
  agentId,
  channel,
  commandBody,
  eventually,
  form,
  type Harness,
  postSigned,
  slackApi,
  slackBasics,
  startHarness,
  team,
  workspaceId,
} from "./harness.js";

const uploadHost = "http://files.slack.test";
const adminChannel = "C0ADMIN01";
const digest: MessageBody = {
  type: "digest",
  text: "📊 *Weekly SLA digest — WETx*, tickets opened Mon 16 Nov – Sun 22 Nov 2026 (20)",
  chart: sampleChart,
};

describe("the weekly digest in Slack", () => {
  let h: Harness;
  const logged: string[] = [];
  const logger = pino({ level: "error" }, { write: (line: string) => logged.push(line) });
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  const post = (key: string) =>
    enqueueNotifications(
      h.t.store.prisma,
      [
        {
          key,
          kind: "digest",
          target: { platform: "slack", workspaceId, channelId: channel },
          payload: digest as never,
        },
      ],
      h.clock.date(),
    );
  const dispatch = () =>
    dispatchDue({
      store: h.t.store,
      ports: { slack: h.slack.port },
      logger,
      replicaId: "test",
      now: h.clock.date,
      random: () => 0,
      adminDestination: { platform: "slack", workspaceId, channelId: adminChannel },
    });

  it("uploads the chart once, with the digest's text as its comment, when the first attempt fails midway", async () => {
    slackBasics();
    const completed: Record<string, string>[] = [];
    const uploaded: Buffer[] = [];
    const posted: unknown[] = [];
    nock(slackApi)
      .post("/api/chat.postMessage", (b) => posted.push(b) > 0)
      .optionally()
      .reply(200, { ok: true, channel, ts: "9.0" })
      .post("/api/files.getUploadURLExternal")
      .times(2)
      .reply(200, { ok: true, upload_url: `${uploadHost}/upload/v1/ABC`, file_id: "F0CHART1" })
      .post("/api/files.completeUploadExternal")
      .reply(503, "busy")
      .post("/api/files.completeUploadExternal", (b) => completed.push(b) > 0)
      .reply(200, { ok: true, files: [{ id: "F0CHART1", title: "SLA digest 2026-W47" }] });
    nock(uploadHost)
      .post("/upload/v1/ABC", (b) => uploaded.push(Buffer.from(b, "hex")) > 0)
      .times(2)
      .reply(200, "OK - 1234");
    await post("digest:wetx:2026-11-16:slack");
    expect(await dispatch()).toMatchObject({ sent: 0, retried: 1 });
    h.clock.advance({ minutes: 1 });
    expect(await dispatch()).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ channel_id: channel, initial_comment: digest.text });
    expect(JSON.parse(completed[0]!.files!)).toEqual([{ id: "F0CHART1", title: "SLA digest 2026-W47" }]);
    expect(pngSize(uploaded[1]!)).toEqual({ width: 1000, height: expect.any(Number) });
    expect(posted).toEqual([]); // the text went as the file's comment, not as a message of its own
  });

  it("posts the text alone when Slack refuses the upload, and tells the operator in the log and the admin channel", async () => {
    slackBasics();
    const posted: Record<string, string>[] = [];
    nock(slackApi)
      .post("/api/files.getUploadURLExternal")
      .reply(200, { ok: false, error: "missing_scope" })
      .post("/api/chat.postMessage", (b) => posted.push(b) > 0)
      .times(2)
      .reply(200, (_uri, body) => ({
        ok: true,
        channel: new URLSearchParams(body as string).get("channel"),
        ts: "9.1",
      }));
    await post("digest:wetx:2026-11-23:slack");
    expect(await dispatch()).toMatchObject({ sent: 2, failed: 0 });
    expect(posted.map((p) => p.channel)).toEqual([channel, adminChannel]);
    expect(posted[0]?.text).toContain("Weekly SLA digest");
    expect(posted[1]?.text).toContain("digest:wetx:2026-11-23:slack incompletely");
    expect(posted[1]?.text).toContain("missing_scope");
    expect(logged.join("")).toContain("chart could not be uploaded to Slack");
  });

  it("stops waiting for the chart on the third attempt: the text goes alone and says why", async () => {
    slackBasics();
    const posted: Record<string, string>[] = [];
    nock(slackApi)
      .post("/api/files.getUploadURLExternal")
      .reply(503, "busy")
      .post("/api/chat.postMessage", (b) => posted.push(b) > 0)
      .reply(200, { ok: true, channel, ts: "9.2" });
    const delivered = await h.slack.port.send({
      key: "digest:wetx:2026-11-30:slack",
      destination: { platform: "slack", workspaceId, channelId: channel },
      body: digest,
      attempt: 3,
    });
    expect(posted).toHaveLength(1);
    expect(delivered).toMatchObject({ channelId: channel, messageId: "9.2" });
    expect(delivered.degraded).toContain("could not be uploaded to Slack (Slack HTTP 503)");
  });

  it("`/ticket digest post` posts last week's digest into the channel it was typed in, as one upload, once on a retry", async () => {
    // A ticket opened last week (Tuesday 10 November), so the digest has a chart; its own messages are not this test's.
    const today = h.clock.current;
    h.clock.current = DateTime.fromISO("2026-11-10T10:00", { zone: "America/Denver" });
    const { ticket } = await h.tickets.create(
      { ...actor("UCUST09", false, workspaceId), platform: "slack" },
      {
        summary: "Label printer jams",
        home: { platform: "slack", workspaceId, channelId: channel },
      },
    );
    h.clock.current = today;
    await h.t.store.prisma.notification.deleteMany({ where: { ticketId: ticket.id } });

    slackBasics();
    const answers: string[] = [];
    const completed: Record<string, string>[] = [];
    nock(slackApi)
      .persist()
      .post(`/commands/${team}/1/abc`, (b) => answers.push(b.text) > 0)
      .reply(200, "ok");
    nock(slackApi)
      .post("/api/files.getUploadURLExternal")
      .reply(200, { ok: true, upload_url: `${uploadHost}/upload/v1/DIG`, file_id: "F0DIGEST" })
      .post("/api/files.completeUploadExternal", (b) => completed.push(b) > 0)
      .reply(200, { ok: true, files: [{ id: "F0DIGEST" }] });
    nock(uploadHost).post("/upload/v1/DIG").reply(200, "OK");
    const typed = commandBody("digest post", { user_id: agentId, trigger_id: "398738663015.1.digest" });
    expect((await postSigned(h, typed, form)).status).toBe(200);
    await eventually(() => expect(answers).toEqual(["Posting last week's digest here."]));
    // Slack's retry of the same command: acknowledged, nothing posted again.
    expect((await postSigned(h, typed, form, { headers: { "x-slack-retry-num": "1" } })).status).toBe(200);
    expect(await h.dispatch()).toMatchObject({ sent: 1, failed: 0 });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ channel_id: channel });
    expect(completed[0]?.initial_comment).toContain("Weekly SLA digest");
    expect(completed[0]?.initial_comment).toContain("tickets opened Mon 9 Nov – Sun 15 Nov 2026 (1)");

    // In a direct message the bot cannot share the file: said where it was typed, nothing written.
    const inDm = commandBody("digest post", { user_id: agentId, channel_id: "D0DIRECT1" });
    expect((await postSigned(h, inDm, form)).status).toBe(200);
    await eventually(() => expect(answers).toHaveLength(2));
    expect(answers[1]).toContain("I can't post the digest in a direct message.");
    expect(await h.t.store.prisma.notification.count({ where: { kind: "digest", state: "pending" } })).toBe(
      0,
    );
  });
});
