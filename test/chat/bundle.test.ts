import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { BundledBody, MessageBody } from "../../src/chat/port.js";
import type { Block } from "../../src/chat/slack/blocks.js";
import { acknowledgedInBundle } from "../../src/chat/slack/bundle.js";
import { renderMessage } from "../../src/chat/slack/render.js";
import { renderActivity } from "../../src/chat/teams/render/index.js";
import { renderForTerminal } from "../../src/chat/terminal/render.js";
import { loadPolicyFile } from "../../src/policy/load.js";
import { ticketView } from "../support/fakes.js";

const now = DateTime.fromISO("2026-11-24T02:00:00Z");
const view = (n: number) =>
  ticketView(n, n === 2 ? "Printer <b>on fire</b> & *smoking*" : `Scanner ${n} down`);
const page = (n: number): BundledBody => ({
  type: "page",
  ticket: view(n),
  level: 2,
  reason: "nobody acknowledged yet",
});
const bundle = (count: number): MessageBody => ({
  type: "bundle",
  items: Array.from({ length: count }, (_, i) => page(i + 1)),
});

describe("a bundle of pages, in every adapter", () => {
  it("Slack: one row per ticket with the page's own Acknowledge, inside Block Kit's limits", () => {
    const single = renderMessage(page(1), { now });
    const singleAck = JSON.stringify(single.blocks).includes(
      `"action_id":"page_acknowledge","value":"${view(1).id}"`,
    );
    expect(singleAck).toBe(true);
    const { text, blocks } = renderMessage(bundle(45), { now });
    expect(text).toMatch(/^You are paged for 45 tickets: #1, #2, #3/);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const rows = blocks.filter((b) => b.block_id?.startsWith("bundle:")) as {
      accessory: { action_id: string; value: string };
      text: { text: string };
    }[];
    expect(rows).toHaveLength(45);
    expect(rows[0]!.accessory).toMatchObject({ action_id: "page_acknowledge", value: view(1).id });
    expect(rows[1]!.text.text).toContain("Printer &lt;b&gt;on fire&lt;/b&gt; &amp; *smoking*");
    // Slack refuses a message past about 13,200 characters of block text (msg_blocks_too_long).
    const words = blocks.reduce(
      (sum, b) => sum + ((b as { text?: { text: string } }).text?.text.length ?? 0),
      0,
    );
    expect(words).toBeLessThan(13_000);
  });

  it("Slack: acknowledging one row redraws that row only", () => {
    const { blocks } = renderMessage(bundle(3), { now });
    const clicked = blocks[2]!.block_id!;
    const after = acknowledgedInBundle(blocks as Block[], clicked, view(2), "UAGENT");
    expect(after.map((b) => b.block_id)).toEqual(blocks.map((b) => b.block_id));
    expect(JSON.stringify(after[2])).toContain("acknowledged by <@UAGENT>");
    expect(after.filter((b) => "accessory" in b)).toHaveLength(2);
  });

  it("Teams: one card, a row per ticket, each with Acknowledge as the page's verb and ticket", () => {
    const policy = loadPolicyFile("policies/wes.yaml");
    const activity = renderActivity(bundle(3), { now, policy, nameOf: (id) => id });
    expect(activity.summary).toBe("You are paged for 3 tickets");
    const content = JSON.stringify(activity.attachments?.[0]?.content);
    const acks = [
      ...content.matchAll(
        /"verb":"pageAck","data":\{"verb":"pageAck","ticketId":"([-0-9a-f]+)","bundled":"1"\}/g,
      ),
    ];
    expect(acks.map((m) => m[1])).toEqual([1, 2, 3].map((n) => view(n).id));
    expect(content).toContain("Printer <b>on fire</b> & \\\\*smoking\\\\*");
  });

  it("the terminal: a line per ticket with its ack command", () => {
    const text = renderForTerminal(
      {
        key: "k",
        destination: { platform: "terminal", workspaceId: "local", userId: "chen" },
        body: bundle(2),
      },
      now,
    );
    expect(text.split("\n")).toEqual([
      "[DM → @chen] 📟 2 pages and alerts at once:",
      "    #1 High · Scanner 1 down — nobody acknowledged yet; type `ack 1`",
      "    #2 High · Printer <b>on fire</b> & *smoking* — nobody acknowledged yet; type `ack 2`",
    ]);
  });
});
