import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { digestChartUri, TEAMS_IMAGE_MAX_BASE64 } from "../../../src/chat/teams/render/digest.js";
import { renderActivity } from "../../../src/chat/teams/render/index.js";
import { loadPolicyFile } from "../../../src/policy/index.js";
import { pngSize, sampleChart } from "../../support/charts.js";

const text = [
  "📊 *Weekly SLA digest — WETx*, tickets opened Mon 16 Nov – Sun 22 Nov 2026 (20)",
  "• First response · standard: 19 met, 1 breached, 0 open — 95% · goal 95% ✅",
  "Worst breaches:",
  "• #12 first response 3 h 5 min late — https://teams.microsoft.com/l/message/19:x/1?a=b",
].join("\n");
const ctx = { now: DateTime.now(), policy: loadPolicyFile("policies/wetx.yaml"), nameOf: (id: string) => id };

const cardBody = (activity: ReturnType<typeof renderActivity>) =>
  (activity.attachments?.[0]?.content as { body: Record<string, unknown>[] } | undefined)?.body ?? [];

describe("the weekly digest in Teams", () => {
  it("is a card with the chart as a small PNG data URL above the text, within Teams' message size", async () => {
    const chart = await digestChartUri(sampleChart);
    if (!("uri" in chart)) throw new Error(chart.degraded);
    expect(chart.uri).toMatch(/^data:image\/png;base64,/);
    expect(pngSize(Buffer.from(chart.uri.split(",")[1]!, "base64")).width).toBe(600);
    const activity = renderActivity(
      { type: "digest", text, chart: sampleChart },
      { ...ctx, chartImage: chart.uri },
    );
    const body = cardBody(activity);
    expect(body[0]).toMatchObject({
      text: "📊 Weekly SLA digest — WETx, tickets opened Mon 16 Nov – Sun 22 Nov 2026 \\(20\\)",
    });
    expect(body[1]).toMatchObject({ type: "Image", url: chart.uri });
    expect(body.map((b) => b.text).join("\n")).toContain(
      "[open the thread](https://teams.microsoft.com/l/message/19:x/1?a=b)",
    );
    expect(JSON.stringify(activity).length).toBeLessThan(80_000);
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
