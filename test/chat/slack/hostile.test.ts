import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { MessageBody, TicketView } from "../../../src/chat/port.js";
import { AgentDirectory } from "../../../src/chat/slack/agents.js";
import { HomeTab } from "../../../src/chat/slack/home.js";
import { replyMrkdwn } from "../../../src/chat/slack/oncall.js";
import { pageMoveText } from "../../../src/chat/slack/pageActions.js";
import { renderMessage } from "../../../src/chat/slack/render.js";
import { fromSlack } from "../../../src/chat/slack/text.js";
import { renderForTerminal } from "../../../src/chat/terminal/render.js";
import type { LoggedEvent, TicketEventPayload } from "../../../src/tickets/events.js";
import { describeEvent, plainWords } from "../../../src/tickets/narrate.js";
import type { TicketService } from "../../../src/tickets/service.js";
import { silentLogger } from "../../support/fakes.js";
import { mrkdwnOf } from "./harness.js";

/** What a customer might type: a live @here, a disguised link and a stray mention, if it became markup. */
const hostile = "Printer <!here> down & <https://evil.example|click me> <@U0EVIL>";
/** The same kind of words as Slack delivers them in a command's text. */
const delivered = "R&amp;D build &lt;prod&gt;";
const now = DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" });

function view(summary: string): TicketView {
  return {
    id: "t1",
    workspaceId: "slack:T1",
    number: 7,
    summary,
    severity: "high",
    severityLabel: "High",
    channel: "chat",
    plan: "gold",
    category: "defect",
    status: "open",
    requesterId: "UCUST",
    assigneeId: "UAGENT",
    openedAt: "2026-11-17T08:00:00.000-07:00",
    zone: "America/Denver",
    targets: [
      {
        name: "firstResponse",
        label: "First response",
        due: "2026-11-17T11:00:00.000-07:00",
        state: "pending",
      },
    ],
  };
}

const event = (payload: TicketEventPayload): LoggedEvent => ({
  seq: 2,
  at: new Date(),
  actorId: "UAGENT",
  source: "terminal",
  payload,
});

/** Every body the bot sends about a ticket whose summary and notes are `words`. */
function everyBody(words: string): MessageBody[] {
  const ticket = view(words);
  const notes: TicketEventPayload[] = [
    { type: "comment", author: "customer", visibility: "public", text: words },
    { type: "comment", author: "agent", visibility: "internal", text: words },
    { type: "severityChanged", from: "high", to: "critical", why: words },
    { type: "resolved", reason: "fixed", note: words },
    { type: "reopened", why: words },
    // The moves on a page DM (issue 16): the reason is typed into the Escalate now form.
    { type: "pageEscalated", reason: words },
    { type: "pageReassigned", to: { kind: "schedule", schedule: words } },
  ];
  return [
    { type: "ticketCard", ticket },
    { type: "page", ticket, level: 2, reason: "nobody acknowledged yet (level 2)" },
    { type: "page", ticket, level: 2, reason: `escalated now: ${words}`, pageKey: "page:r0:l0" },
    { type: "escalation", ticket, title: `#7 escalated: breach`, text: `High · ${words}` },
    { type: "adminAlert", text: `could not deliver: ${words}` },
    ...notes.map((p): MessageBody => {
      const parts = describeEvent(event(p), ticket);
      return { type: "threadNote", ticket, text: plainWords(parts), parts };
    }),
  ];
}

function expectInert(mrkdwn: string[]): void {
  const all = mrkdwn.join("\n");
  expect(all).not.toContain("<!here>");
  expect(all).not.toContain("<https://evil");
  expect(all).not.toContain("<@U0EVIL>");
  expect(all).not.toMatch(/&amp;(amp|lt|gt);/); // never escaped twice
}

describe("user text in Slack messages", () => {
  it("is never a live mention, special mention or link, in every message the bot sends", () => {
    for (const body of everyBody(hostile)) {
      const { text, blocks } = renderMessage(body, {
        now,
        threadLink: "https://acme.slack.com/archives/C1/p1",
      });
      expectInert([text, ...mrkdwnOf(blocks)]);
      if (body.type !== "adminAlert") expect([text, ...mrkdwnOf(blocks)].join("")).toContain("&lt;!here&gt;");
    }
  });

  it("answers the moves on a page DM with only the bot's own mentions live", () => {
    const answers = [
      pageMoveText(7, { type: "pageReassigned", to: { kind: "schedule", schedule: hostile } }),
      pageMoveText(7, { type: "pageReassigned", to: { kind: "person", person: "UVPTECH" } }),
      pageMoveText(7, { type: "pageEscalated", reason: hostile }),
      pageMoveText(7, { type: "pageSnoozed", until: "2026-11-17T12:00:00.000-07:00" }),
    ];
    expectInert(answers);
    expect(answers[0]).toContain("&lt;!here&gt;");
    expect(answers[1]).toContain("<@UVPTECH>");
  });

  it("keeps the real people of a note as mentions (by user id) and shows the typed words as written", () => {
    const parts = describeEvent(
      event({ type: "comment", author: "agent", visibility: "public", text: hostile }),
      view("x"),
    );
    const { blocks } = renderMessage({ type: "threadNote", ticket: view("x"), text: "", parts }, { now });
    expect(mrkdwnOf(blocks)[0]).toBe(
      "💬 <@UAGENT>: Printer &lt;!here&gt; down &amp; &lt;https://evil.example|click me&gt; &lt;@U0EVIL&gt;",
    );
  });

  it("reads Slack's entities once, stores plain words, and escapes them once on the way out", () => {
    const stored = fromSlack(delivered);
    expect(stored).toBe("R&D build <prod>");
    for (const body of everyBody(stored)) {
      const { text, blocks } = renderMessage(body, { now });
      expectInert([text, ...mrkdwnOf(blocks)]);
      expect([text, ...mrkdwnOf(blocks)].join("")).not.toContain("&amp;amp;");
    }
    const card = renderMessage({ type: "ticketCard", ticket: view(stored) }, { now });
    expect(card.blocks[0]).toMatchObject({
      type: "header",
      text: { type: "plain_text", text: "#7 · R&D build <prod>" },
    });
    expect(card.text).toBe("#7 R&amp;D build &lt;prod&gt; (High, 🟡 Open)");
  });

  it("reads Slack markup from a message as plain words: links keep their destination, mentions are inert", () => {
    expect(fromSlack("Printer <!here> down &amp; <https://evil.example|click me> <@U0EVIL>")).toBe(
      "Printer @here down & click me (https://evil.example) @U0EVIL",
    );
    expect(fromSlack("<@U1|dana> in <#C1|general>, <!subteam^S1|@support>, &amp;lt;")).toBe(
      "@dana in #general, @support, &lt;",
    );
    expect(fromSlack("<@U1|dana> until 18:00", { user: (id) => `<@${id}>` })).toBe("<@U1> until 18:00");
  });

  it("shows App Home's tickets inert too", async () => {
    const tickets = {
      list: async () => [view(hostile)],
      queue: async () => [view(hostile)],
    } as unknown as TicketService;
    const home = new HomeTab({
      tickets,
      agents: new AgentDirectory(new Set(["UAGENT"]), [], silentLogger),
      installations: {} as never,
      clients: {} as never,
      now: () => now,
      logger: silentLogger,
    });
    const built = await home.build("slack:T1", "UAGENT", true);
    const shown = mrkdwnOf(built.blocks);
    expectInert(shown);
    expect(shown.join("\n")).toContain("Printer &lt;!here&gt; down");
  });

  it("answers /oncall with only its own mentions live (help's `on <schedule>` shows as written)", () => {
    expect(replyMrkdwn("add `on <schedule>` · <@U0CHEN> covers · <!here>")).toBe(
      "add `on &lt;schedule&gt;` · <@U0CHEN> covers · &lt;!here&gt;",
    );
  });

  it("prints typed words in the terminal without control characters", () => {
    const parts = describeEvent(
      event({ type: "comment", author: "customer", visibility: "public", text: "ok\u001b[2J\u0007 done" }),
      view("x"),
    );
    const line = renderForTerminal(
      {
        key: "k",
        destination: { platform: "terminal", workspaceId: "local", channelId: "support", thread: "ticket" },
        body: { type: "threadNote", ticket: view("x"), text: "", parts },
      },
      now,
    );
    expect(line).toBe("[#support › thread #7] 💬 @UAGENT: ok[2J done");
  });
});
