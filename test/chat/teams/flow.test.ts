import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agent,
  channel,
  channelConversation,
  channelMessage,
  customer,
  installed,
  invoke,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
  workspaceId,
} from "./harness.js";

type Card = { body: { type: string; text?: string }[]; actions?: { title: string; verb?: string }[] };
const cardOf = (body: Record<string, unknown>) =>
  ((body.attachments as { content: Card }[] | undefined)?.[0]?.content ?? { body: [] }) as Card;
const texts = (card: Card) => card.body.map((b) => b.text ?? "").join("\n");
const titles = (card: Card) => (card.actions ?? []).map((a) => a.title);

describe("Teams: commands, the ticket card, its thread and its buttons", () => {
  let h: TeamsHarness;
  let root = "";
  let ticketId = "";
  beforeAll(async () => {
    h = await startTeamsHarness();
    await h.post(installed(agent));
    await h.post(installed(customer));
  });
  afterAll(() => h.close());

  const lastReply = () => String(h.bf.calls.at(-1)?.body.text ?? "");
  const click = (who: typeof agent, verb: string, data: Record<string, unknown> = {}) =>
    h.post(
      invoke(
        who,
        "adaptiveCard/action",
        { action: { type: "Action.Execute", verb, data: { verb, ticketId, ...data } }, trigger: "manual" },
        channelConversation,
      ),
    );

  it("opens a ticket from an @mention in a channel and posts its card as a new channel post", async () => {
    // Teams sends what a person typed as HTML: literal tags arrive as entities.
    await h.post(channelMessage(customer, "ticket high Label *printer* &lt;b&gt;jams&lt;/b&gt;"));
    expect(lastReply()).toBe(
      "Opened **#1** (High): Label \\*printer\\* &lt;b&gt;jams&lt;/b&gt;. Its card is in this channel; follow it and reply in the card's thread.",
    );
    h.bf.calls.length = 0;
    await h.dispatch();
    const post = h.bf.calls.find((c) => c.method === "CREATE")!;
    expect(post.conversationId).toBe(channel);
    const card = cardOf(post.body.activity as Record<string, unknown>);
    expect(texts(card)).toContain("#1 · Label \\*printer\\* <b>jams</b>");
    expect(titles(card)).toEqual(["Acknowledge", "Change severity", "Waiting on customer", "Resolve…"]);
    const link = await h.t.store.prisma.chatLink.findFirstOrThrow({ where: { kind: "root" } });
    expect(link.channelId).toBe(channel);
    root = link.messageId;
    ticketId = link.ticketId;
    expect(link.permalink).toContain("teams.microsoft.com/l/message/");
  });

  it("answers ticket list, ticket 1 and bad input with Slack's words", async () => {
    await h.post(personalMessage(customer, "ticket list"));
    expect(lastReply()).toMatch(
      /^• \*\*#1\*\* Label \\\*printer\\\* .* · High · open · unassigned — First response/,
    );
    await h.post(personalMessage(agent, "ticket list"));
    expect(lastReply()).toBe("You have no open tickets.");
    await h.post(
      personalMessage({ ...customer, aadObjectId: "c0c0c0c0-0000-4000-8000-0000000000ff" }, "ticket 1"),
    );
    // The same rule and words as Slack: the ticket service decides who may look.
    expect(lastReply()).toBe(
      "#1: only its requester, their colleagues and the support team can see this ticket.",
    );
    await h.post(personalMessage(agent, "ticket #1"));
    expect(titles(cardOf(h.bf.calls.at(-1)!.body))).toContain("Acknowledge");
    await h.post(personalMessage(agent, "ticket 99"));
    expect(lastReply()).toBe("There is no ticket #99.");
    await h.post(personalMessage(customer, `ticket ${"x".repeat(201)}`));
    expect(lastReply()).toMatch(/^The summary is 201 characters; keep it under 200/);
    await h.post(personalMessage(customer, "ticket"));
    expect(texts(cardOf(h.bf.calls.at(-1)!.body))).toContain("New ticket");
    await h.post(personalMessage(customer, "frobnicate"));
    expect(lastReply()).toMatch(/^I don’t know|^I don't know “frobnicate”/);
    expect(await h.t.store.prisma.ticket.count()).toBe(1);
  });

  it("says no to a customer's Acknowledge and yes to an agent's, answering with the refreshed card", async () => {
    const refused = await click(customer, "ack");
    expect(refused.body).toMatchObject({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value:
        "#1: only the support team and whoever was paged can acknowledge tickets; reply in the thread instead.",
    });
    const done = await click(agent, "ack");
    expect(done.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const card = (done.body as { value: Card }).value;
    expect(titles(card)).toContain("Assign to me");
    expect(texts(card)).toContain("Assignee: <at>Ann Agent</at>");
    const view = await h.tickets.view({ ticketId });
    expect(view.assigneeId).toBe(agent.aadObjectId);

    h.bf.calls.length = 0;
    await h.dispatch();
    // The shared card is edited in place; the thread hears who did it, with a real mention.
    const edit = h.bf.calls.find((c) => c.method === "PUT")!;
    expect([edit.conversationId, edit.activityId]).toEqual([`${channel};messageid=${root}`, root]);
    const note = h.bf.calls.find((c) => c.method === "POST")!;
    expect(note.conversationId).toBe(`${channel};messageid=${root}`);
    expect(note.body.text).toBe("👍 <at>Ann Agent</at> acknowledged the ticket.");
    expect(note.body.entities).toEqual([
      {
        type: "mention",
        text: "<at>Ann Agent</at>",
        mentioned: { id: agent.aadObjectId, name: "Ann Agent" },
      },
    ]);
  });

  it("turns a reply in the card's thread into a comment, escaped when told back", async () => {
    await h.post(channelMessage(customer, "Still <i>jammed</i> after **restart**", { mention: false, root }));
    const events = await h.t.store.prisma.ticketEvent.findMany({ where: { ticketId, type: "comment" } });
    expect(events.map((e) => (e.payload as { text: string; author: string }).author)).toEqual(["customer"]);
    expect((events[0]!.payload as { text: string }).text).toBe("Still jammed after **restart**");
    // A message elsewhere in the channel, not to the bot, is none of its business.
    const before = h.bf.calls.length;
    await h.post(channelMessage(customer, "lunch?", { mention: false }));
    expect(h.bf.calls.length).toBe(before);
  });

  it("changes severity and waits on the customer (Action.Submit fallback), refusing a severity that does not exist", async () => {
    const bad = await click(agent, "severity", { severity: "apocalyptic", why: "x" });
    expect((bad.body as { value: string }).value).toMatch(/^Severity must be one of /);
    const good = await click(agent, "severity", { severity: "critical", why: "whole site down" });
    expect(JSON.stringify((good.body as { value: Card }).value)).toContain('"value":"Critical"');
    expect((await h.tickets.view({ ticketId })).severity).toBe("critical");
    await h.post({
      ...channelMessage(agent, "", { mention: false, root }),
      text: undefined,
      value: { verb: "wait", ticketId, escalator: "submit" },
    });
    expect((await h.tickets.view({ ticketId })).status).toBe("waiting");
  });

  it("takes a double click of a button as one click, answering the second with the card as it is", async () => {
    const first = await click(agent, "resume");
    const second = await click(agent, "resume");
    for (const answer of [first, second])
      expect(answer.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const resumed = await h.t.store.prisma.ticketEvent.count({ where: { ticketId, type: "resumed" } });
    expect(resumed).toBe(1);
    expect((await h.tickets.view({ ticketId })).status).toBe("open");
  });

  it("lets the requester reopen after an agent resolves, and no other customer", async () => {
    await click(agent, "resolve", { reason: "fixed", note: "new roller" });
    expect((await h.tickets.view({ ticketId })).status).toBe("resolved");
    const stranger = { ...customer, id: "29:other", aadObjectId: "c0c0c0c0-0000-4000-8000-0000000000ee" };
    expect(((await click(stranger, "reopen")).body as { value: string }).value).toBe(
      "#1: only its requester, their colleagues and the support team can reopen this ticket.",
    );
    const reopened = await click(customer, "reopen");
    expect(titles((reopened.body as { value: Card }).value)).toEqual([]); // customers see no agent buttons
    expect((await h.tickets.view({ ticketId })).status).toBe("open");
    expect(workspaceId).toContain("teams:");
  });

  it("creates a ticket from a message: the dialog is prefilled from its HTML, the ticket links back to it", async () => {
    const messagePayload = {
      id: "1700000000001",
      replyToId: root,
      linkToMessage: "https://teams.microsoft.com/l/message/19:support/1700000000001",
      body: {
        contentType: "html",
        content: "<p>Badge reader <b>offline</b> &amp; door stuck</p><p>since 9:00</p>",
      },
      from: { user: { id: customer.aadObjectId, displayName: customer.name } },
    };
    const fetched = await h.post(
      invoke(
        customer,
        "composeExtension/fetchTask",
        { commandId: "createTicket", commandContext: "message", messagePayload },
        channelConversation,
      ),
    );
    const task = (fetched.body as { task: { type: string; value: { card: { content: Card } } } }).task;
    expect(task.type).toBe("continue");
    const form = task.value.card.content as unknown as {
      body: { id?: string; value?: string }[];
      actions: { data: Record<string, string> }[];
    };
    const field = (id: string) => form.body.find((b) => b.id === id)?.value;
    expect(field("summary")).toBe("Badge reader offline & door stuck");
    expect(field("description")).toBe("Badge reader offline & door stuck\nsince 9:00");

    const submit = (data: Record<string, string>) =>
      h.post(
        invoke(
          customer,
          "composeExtension/submitAction",
          { commandId: "createTicket", commandContext: "message", data },
          channelConversation,
        ),
      );
    const data = {
      ...form.actions[0]!.data,
      summary: field("summary")!,
      description: field("description")!,
      severity: "high",
      channel: "chat",
      category: "issue",
    };
    // Bad input is said in the dialog and creates nothing.
    const bad = (await submit({ ...data, category: "incident" })).body as { task: { value: string } };
    expect(bad.task.value).toBe(
      "The category must be one of issue, question, feature-request; got “incident”.",
    );
    expect(await h.t.store.prisma.ticket.count()).toBe(1);
    const answer = (await submit(data)).body as { task: { type: string; value: string } };
    expect(answer.task).toEqual({
      type: "message",
      value: expect.stringMatching(
        /^Opened \*\*#2\*\* \(High\): Badge reader offline & door stuck\. Its card is in this channel/,
      ),
    });
    const origin = await h.t.store.prisma.chatLink.findFirstOrThrow({ where: { kind: "origin" } });
    expect([origin.channelId, origin.messageId, origin.threadId, origin.permalink]).toEqual([
      channel,
      messagePayload.id,
      root,
      messagePayload.linkToMessage,
    ]);
    // Twice on the same message finds the first ticket.
    const again = (await submit(data)).body as { task: { value: string } };
    expect(again.task.value).toMatch(/^That message already has ticket \*\*#2\*\*/);
  });

  it("posts last week's digest in the channel where an agent said `ticket digest post`, once per message", async () => {
    const typed = channelMessage(agent, "ticket digest post");
    await h.post(typed);
    expect(lastReply()).toBe("Posting last week's digest here.");
    await h.post(typed); // the same activity delivered again
    expect(lastReply()).toBe("Last week's digest is already on its way here.");
    await h.post(channelMessage(customer, "ticket digest post"));
    expect(lastReply()).toBe("Only the support team can ask for the SLA digest.");
    h.bf.calls.length = 0;
    await h.dispatch();
    const digests = h.bf.calls.filter((c) => JSON.stringify(c.body).includes("Weekly SLA digest"));
    expect(digests.map((c) => c.conversationId)).toEqual([channel]);
  });
});
