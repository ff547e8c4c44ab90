import type { Activity } from "botbuilder";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { TeamsPort } from "../../../src/chat/teams/port.js";
import { digestChartUri, TEAMS_IMAGE_MAX_BASE64 } from "../../../src/chat/teams/render/digest.js";
import { renderActivity } from "../../../src/chat/teams/render/index.js";
import { loadPolicyFile } from "../../../src/policy/index.js";
import type { DigestChart } from "../../../src/reports/digestChart.js";
import { pngSize, sampleChart } from "../../support/charts.js";
import { silentLogger } from "../../support/fakes.js";

const text = [
  "📊 *Weekly SLA digest — WETx*, tickets opened Mon 16 Nov – Sun 22 Nov 2026 (20)",
  "• First response · standard: 19 met, 1 breached, 0 open — 95% · goal 95% ✅",
  "Worst breaches:",
  "• #12 first response 3 h 5 min late — https://teams.microsoft.com/l/message/19:x/1?a=b",
].join("\n");
const ctx = { now: DateTime.now(), policy: loadPolicyFile("policies/wetx.yaml"), nameOf: (id: string) => id };

const cardBody = (activity: ReturnType<typeof renderActivity>) =>
  (activity.attachments?.[0]?.content as { body: Record<string, unknown>[] } | undefined)?.body ?? [];

/** A Teams port whose connector records what it posts into #support-leads (mapped to a channel id). */
function portRecording() {
  const posted: Partial<Activity>[] = [];
  const channelId = "19:leads@thread.tacv2";
  const port = new TeamsPort({
    prisma: {} as never,
    conversations: {
      byConversation: async (id: string) => ({ conversationId: id, kind: "channel", reference: {} }),
      people: async () => new Map(),
    } as never,
    connector: {
      post: async (_target: unknown, activity: Partial<Activity>) => posted.push(activity) && "a1",
    } as never,
    policy: ctx.policy,
    channelMap: new Map([["support-leads", channelId]]),
    agentIds: () => [],
    now: () => ctx.now,
    logger: silentLogger,
  });
  const send = (chart: DigestChart) =>
    port.send({
      key: "digest:wetx:2026-11-16:teams",
      destination: { platform: "teams", workspaceId: "teams:t1", channelName: "#support-leads" },
      body: { type: "digest", text, chart },
    });
  return { posted, send, channelId };
}

describe("the weekly digest in Teams", () => {
  it("is a card with the chart as a small PNG data URL above the text, within Teams' message size", async () => {
    const teams = portRecording();
    expect(await teams.send(sampleChart)).toEqual({ channelId: teams.channelId, messageId: "a1" });
    const activity = teams.posted[0]!;
    const body = cardBody(activity);
    expect(body[0]).toMatchObject({
      text: "📊 Weekly SLA digest — WETx, tickets opened Mon 16 Nov – Sun 22 Nov 2026 \\(20\\)",
    });
    expect(body[1]).toMatchObject({ type: "Image", url: expect.stringMatching(/^data:image\/png;base64,/) });
    const png = Buffer.from(String(body[1]!.url).split(",")[1]!, "base64");
    expect(pngSize(png).width).toBe(600);
    expect(body.map((b) => b.text).join("\n")).toContain(
      "[open the thread](https://teams.microsoft.com/l/message/19:x/1?a=b)",
    );
    expect(JSON.stringify(activity).length).toBeLessThan(80_000);
  });

  it("sends the text alone, and says why, when the chart cannot be drawn", async () => {
    const teams = portRecording();
    const delivered = await teams.send({ ...sampleChart, groups: null as never });
    expect(cardBody(teams.posted[0]!).some((b) => b.type === "Image")).toBe(false);
    expect(delivered.degraded).toMatch(
      /^the digest's chart could not be drawn \(the chart process exited with 1/,
    );
  });

  it("carries the text alone when the chart is too big for a Teams message", async () => {
    expect(await digestChartUri(sampleChart, 1000)).toEqual({
      degraded: "the digest's chart is too big for a Teams message (2 rows)",
    });
    const activity = renderActivity({ type: "digest", text, chart: sampleChart }, ctx);
    const body = cardBody(activity);
    expect(body.some((b) => b.type === "Image")).toBe(false);
    expect(body).toHaveLength(4);
    expect(TEAMS_IMAGE_MAX_BASE64).toBeLessThan(80_000); // ~100 KB per message, with the card's text
  });
});
