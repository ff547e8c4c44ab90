import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  channel,
  commandBody,
  customerId,
  eventually,
  form,
  groupAgentId,
  type Harness,
  postSigned,
  slackApi,
  slackBasics,
  startHarness,
  team,
  workspaceId,
} from "./harness.js";

const thirdAgent = "UAGENT3";

describe("assignment from Slack: round-robin, away and back, assign to a named agent", () => {
  let h: Harness;
  const answers: string[] = [];
  const kinds: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ SLACK_AGENT_USER_IDS: `${agentId},${thirdAgent}` });
    h.policy.chat.roundRobin = { agents: [agentId, groupAgentId, thirdAgent] };
    slackBasics();
    nock(slackApi)
      .persist()
      .post(`/commands/${team}/1/abc`, (b) => kinds.push(b.response_type) > 0 && answers.push(b.text) > 0)
      .reply(200, "ok");
  });
  afterAll(() => h.close());

  const command = async (text: string, user: string, trigger?: string) => {
    const before = answers.length;
    const fields: Record<string, string> = { user_id: user };
    if (trigger) fields.trigger_id = trigger;
    expect((await postSigned(h, commandBody(text, fields), form)).status).toBe(200);
    await eventually(() => expect(answers.length).toBeGreaterThan(before));
    return answers.at(-1)!;
  };
  const assignee = async (number: number) => (await h.tickets.view({ workspaceId, number })).assigneeId;

  it("gives new tickets to the three agents in turn; a retried command takes no extra turn", async () => {
    await command("printer one", customerId, "398738663015.47445629121.retry1");
    // Slack's retry of the same command: acknowledged, not answered or opened again.
    const retry = commandBody("printer one", {
      user_id: customerId,
      trigger_id: "398738663015.47445629121.retry1",
    });
    expect((await postSigned(h, retry, form)).status).toBe(200);
    await command("printer two", customerId);
    await command("printer three", customerId);
    expect(await h.t.store.prisma.ticket.count()).toBe(3);
    expect([await assignee(1), await assignee(2), await assignee(3)]).toEqual([
      agentId,
      groupAgentId,
      thirdAgent,
    ]);
  });

  it("skips an agent who said /ticket away, until /ticket back", async () => {
    expect(await command("away", groupAgentId)).toContain("round-robin skips you");
    await command("printer four", customerId);
    await command("printer five", customerId);
    expect([await assignee(4), await assignee(5)]).toEqual([agentId, thirdAgent]);
    expect(await command("back", groupAgentId)).toContain("Welcome back");
    await command("printer six", customerId);
    expect(await assignee(6)).toBe(groupAgentId);
  });

  it("assigns to a named agent with /ticket assign, and refuses a customer", async () => {
    expect(await command(`assign 6 <@${thirdAgent}|dana>`, agentId)).toBe(
      `Assigned *#6* to <@${thirdAgent}>.`,
    );
    expect(await assignee(6)).toBe(thirdAgent);
    expect(await command("assign 6 me", customerId)).toContain("only the support team can assign tickets");
    // The customer is no agent (not in SLACK_AGENT_USER_IDS nor the agent group): told to the agent alone.
    expect(await command(`assign 6 <@${customerId}|carol>`, agentId)).toBe(
      `#6: the person you named is not a support agent, so the ticket cannot be assigned to them; assign it to an agent, or to yourself with \`me\`.`,
    );
    expect(kinds.at(-1)).toBe("ephemeral");
    expect(await assignee(6)).toBe(thirdAgent);
    expect(await command("assign six @dana", agentId)).toContain("Usage: `assign 142 @person`");
  });

  it("searches and lists the queue for agents, escaping what people typed", async () => {
    await command("printer &lt;b&gt;seven&lt;/b&gt; &amp; co", customerId); // as Slack sends what was typed
    const found = await command("search printer seven", agentId);
    expect(found).toContain("1 ticket found:");
    expect(found).toContain("*#7* printer &lt;b&gt;seven&lt;/b&gt; &amp; co");
    expect(await command("queue", agentId)).toMatch(/^Team queue, soonest breach first:\n• \*#\d+\*/);
    expect(await command("search printer", customerId)).toBe("Only the support team can search tickets.");
  });

  it("searches words Slack sends as entities, with a channel and a person as Slack marks them up", async () => {
    await command("R&amp;D build &lt;prod&gt; broken", customerId); // stored as typed: R&D build <prod> broken
    const number = (
      await h.t.store.prisma.ticket.findFirstOrThrow({ where: { summary: { startsWith: "R&D" } } })
    ).number;
    const line = `*#${number}* R&amp;D build &lt;prod&gt; broken`;
    expect(await command("search R&amp;D", agentId)).toContain(line);
    expect(await command("search &lt;prod&gt; build", agentId)).toContain(line);
    expect(await command(`search <#${channel}|support> &lt;prod&gt;`, agentId)).toContain(line);
    expect(await command(`search <@${customerId}|carol> R&amp;D`, agentId)).toContain(line);
    expect(await command(`search <#C0OTHER|other> R&amp;D`, agentId)).toBe("No ticket matches.");
  });
});
