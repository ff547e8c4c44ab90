import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { TicketView } from "../../../src/chat/port.js";
import { clip, timeLeft } from "../../../src/chat/slack/blocks.js";
import { renderMessage } from "../../../src/chat/slack/render.js";
import { renderForTerminal } from "../../../src/chat/terminal/render.js";

const now = DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" });
const ticket: TicketView = {
  id: "t1",
  workspaceId: "slack:T1",
  number: 142,
  summary: "Printer down",
  severity: "high",
  severityLabel: "High",
  channel: "phone",
  plan: "gold",
  category: "defect",
  status: "waiting",
  requesterId: "UCUST",
  assigneeId: "UAGENT",
  openedAt: "2026-11-17T08:00:00.000-07:00",
  zone: "America/Denver",
  targets: [
    { name: "firstResponse", label: "First response", due: "2026-11-17T09:00:00.000-07:00", state: "met" },
    { name: "resolution", label: "Resolution", due: "2026-11-17T12:10:00.000-07:00", state: "pending" },
  ],
};

describe("the Slack renderer", () => {
  it("says 'respond now' for an immediate target within its grace, in Slack and in the terminal", () => {
    const immediate: TicketView = {
      ...ticket,
      status: "open",
      targets: [
        {
          name: "firstResponse",
          label: "First response",
          due: "2026-11-17T10:15:00.000-07:00",
          state: "pending",
          immediate: true,
        },
      ],
    };
    const json = JSON.stringify(renderMessage({ type: "ticketCard", ticket: immediate }, { now }).blocks);
    expect(json).toContain("First response*: respond now (breached at <!date^");
    expect(json).not.toContain("BREACHED");
    const terminal = renderForTerminal(
      {
        key: "k",
        destination: { platform: "terminal", workspaceId: "local", channelId: "support" },
        body: { type: "ticketCard", ticket: immediate },
      } as never,
      now,
    );
    expect(terminal).toContain("First response: respond now (breached at 10:15 MST)");
  });

  it("draws a waiting ticket's card with its assignee, time left and the buttons that apply", () => {
    const { text, blocks } = renderMessage({ type: "ticketCard", ticket }, { now });
    expect(text).toBe("#142 Printer down (High, ⏸️ Waiting on customer)");
    const json = JSON.stringify(blocks);
    expect(json).toContain("<@UAGENT>");
    expect(json).toContain("Resolution*: due <!date^");
    expect(json).toContain("2 h 10 min left");
    const buttons = (blocks.at(-1) as { elements: { action_id: string; text: { text: string } }[] }).elements;
    expect(buttons.map((b) => b.text.text)).toEqual([
      "Assign to me",
      "Change severity",
      "Customer replied",
      "Resolve…",
    ]);
  });

  it("offers only Reopen on a resolved ticket", () => {
    const { blocks } = renderMessage(
      { type: "ticketCard", ticket: { ...ticket, status: "resolved" } },
      { now },
    );
    const buttons = (blocks.at(-1) as { elements: { action_id: string }[] }).elements;
    expect(buttons.map((b) => b.action_id)).toEqual(["ticket_reopen"]);
  });

  it("stays inside Block Kit limits, cutting long text with an ellipsis", () => {
    const long = "x".repeat(5000);
    const card = renderMessage({ type: "ticketCard", ticket: { ...ticket, summary: long } }, { now });
    const head = card.blocks[0] as { text: { text: string } };
    expect(head.text.text).toHaveLength(150);
    expect(head.text.text.endsWith("…")).toBe(true);
    expect(card.text.length).toBeLessThanOrEqual(4000);
    const note = renderMessage({ type: "threadNote", ticket, text: long }, { now });
    expect((note.blocks[0] as { text: { text: string } }).text.text).toHaveLength(3000);
    expect(clip("😀😀😀", 2)).toBe("😀…");
  });

  it("says how late an overdue target is", () => {
    expect(timeLeft("2026-11-17T09:25:00.000-07:00", now)).toBe("35 min overdue");
    expect(timeLeft("2026-11-20T12:00:00.000-07:00", now)).toBe("3 d 2 h left");
  });

  it("links an escalation alert to the ticket's thread and escapes the customer's text", () => {
    const { blocks } = renderMessage(
      { type: "escalation", ticket, title: "#142 escalated: legal", text: "A <b> & c" },
      { now, threadLink: "https://acme.slack.com/archives/C1/p1" },
    );
    expect(JSON.stringify(blocks)).toContain(
      "A &lt;b&gt; &amp; c\\n<https://acme.slack.com/archives/C1/p1|Open the ticket's thread>",
    );
  });
});
