import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eastern } from "../../paging/support.js";
import {
  agent,
  channel,
  channelMessage,
  customer,
  installed,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
  workspaceId,
} from "./harness.js";

type Card = { body: { text?: string }[] };
const cardText = (body: Record<string, unknown>) =>
  ((body.attachments as { content: Card }[] | undefined)?.[0]?.content.body ?? [])
    .map((b) => b.text ?? "")
    .join("\n");
const triage = "19:triage@thread.tacv2";

// A WES critical ticket (first response `within: immediate`, 15 minutes' grace) with a triage channel.
describe("Teams: the triage channel, a note's structure and an immediate target", () => {
  let h: TeamsHarness;
  let ticketId = "";
  beforeAll(async () => {
    h = await startTeamsHarness({ policyFile: "policies/wes.yaml", start: eastern("2026-11-24T10:00") });
    await h.post(installed(agent));
    await h.post(installed(customer));
    // The bot has heard from both channels once: their conversation references are on record.
    const hello = channelMessage(agent, "hello", { mention: false });
    await h.post(hello);
    await h.post({ ...hello, conversation: { ...hello.conversation, id: triage } });
    const teamsCustomer = {
      id: customer.aadObjectId,
      platform: "teams" as const,
      workspaceId,
      isAgent: false,
    };
    const { ticket } = await h.tickets.create(teamsCustomer, {
      summary: "Store 12 cannot scan",
      severity: "critical",
      home: { platform: "teams", workspaceId, channelId: channel },
      triageChannel: triage,
    });
    ticketId = ticket.id;
    await h.dispatch();
  });
  afterAll(() => h.close());

  it("posts the card in the ticket's channel and a live copy in the triage channel, saying respond now", async () => {
    const posts = h.bf.calls.filter((c) => c.method === "CREATE");
    expect(posts.map((p) => p.conversationId).sort()).toEqual([channel, triage]);
    for (const post of posts) {
      const text = cardText(post.body.activity as Record<string, unknown>);
      expect(text).toContain("🚨 **First response**: respond now (breached at");
    }
    const links = await h.t.store.prisma.chatLink.findMany({ where: { ticketId }, orderBy: { id: "asc" } });
    expect(links.map((l) => [l.kind, l.channelId])).toEqual([
      ["root", channel],
      ["triage", triage],
    ]);
  });

  it("says respond now in `ticket list`, in Slack's words", async () => {
    await h.post(personalMessage(customer, "ticket list"));
    expect(String(h.bf.calls.at(-1)?.body.text)).toMatch(
      /^• \*\*#1\*\* Store 12 cannot scan · Location cannot use the system · open · unassigned — First response: respond now \(breached at Tue 24 Nov 10:15 EST\)$/,
    );
  });

  it("keeps the team's notes in the triage copy's thread and edits both cards in place", async () => {
    const triageRoot = (
      await h.t.store.prisma.chatLink.findFirstOrThrow({ where: { ticketId, kind: "triage" } })
    ).messageId;
    h.bf.calls.length = 0;
    const terminalAgent = {
      id: agent.aadObjectId,
      platform: "terminal" as const,
      workspaceId,
      isAgent: true,
    };
    await h.tickets.record({ ticketId }, terminalAgent, {
      type: "comment",
      author: "agent",
      visibility: "internal",
      text: "call *store 12* <b>back</b>",
    });
    await h.tickets.record({ ticketId }, terminalAgent, { type: "acknowledged" });
    await h.dispatch();
    const notes = h.bf.calls.filter((c) => c.method === "POST");
    const internal = notes.find((c) => String(c.body.text).includes("store 12"))!;
    // The internal note goes to the triage thread only, the typed words escaped.
    expect(internal.conversationId).toBe(`${triage};messageid=${triageRoot}`);
    expect(String(internal.body.text)).toContain("call \\*store 12\\* &lt;b&gt;back&lt;/b&gt;");
    expect(notes.filter((c) => String(c.body.text).includes("store 12"))).toHaveLength(1);
    // The acknowledgement names the agent from the note's parts: an <at> mention with its entity.
    const ack = notes.find(
      (c) => c.conversationId.startsWith(channel) && String(c.body.text).includes("<at>"),
    )!;
    expect(ack.body.entities).toEqual([
      expect.objectContaining({ mentioned: expect.objectContaining({ id: agent.aadObjectId }) }),
    ]);
    const root = (await h.t.store.prisma.chatLink.findFirstOrThrow({ where: { ticketId, kind: "root" } }))
      .messageId;
    const edits = new Set(h.bf.calls.filter((c) => c.method === "PUT").map((c) => c.conversationId));
    expect([...edits].sort()).toEqual([`${channel};messageid=${root}`, `${triage};messageid=${triageRoot}`]);
  });
});
