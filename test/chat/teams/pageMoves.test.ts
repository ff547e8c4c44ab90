import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTick } from "../../../src/scheduler/tick.js";
import { eastern, openDirectory } from "../../paging/support.js";
import { silentLogger } from "../../support/fakes.js";
import { recipientsFrom } from "../../support/oncall.js";
import {
  channel,
  channelMessage,
  customer,
  installed,
  invoke,
  startTeamsHarness,
  type TeamsHarness,
  teamsPerson,
} from "./harness.js";

// The WES ladder as Teams knows its people (AAD object ids): chen on call, then the IT manager after 15 min.
const person = (name: string, n: number) => teamsPerson(name, n, "2222");
const chen = person("Chen Wei", 1);
const itManager = person("IT manager", 2);
const dana = person("Dana", 4);
const aad: Record<string, string> = {
  chen: chen.aadObjectId,
  "it-manager": itManager.aadObjectId,
  dana: dana.aadObjectId,
};

type Action = {
  type: string;
  title: string;
  verb?: string;
  data?: Record<string, string>;
  card?: { actions: Action[] };
};
type Card = { body: { text?: string }[]; actions?: Action[] };
const cardOf = (body: Record<string, unknown>) =>
  (body.attachments as { content: Card }[] | undefined)?.[0]?.content ?? { body: [] };

describe("Teams page card: Snooze, Escalate now and Reassign beside Acknowledge", () => {
  let h: TeamsHarness;
  let ticketId = "";
  beforeAll(async () => {
    h = await startTeamsHarness({
      policyFile: "policies/wes.yaml",
      start: eastern("2026-11-28T22:00"),
      env: { TEAMS_CHANNEL_MAP: `wes-help-desk=${channel}` },
      recipients: async ({ prisma }) => recipientsFrom(await openDirectory(prisma), aad),
    });
    for (const p of [chen, itManager, dana]) await h.post(installed(p));
  });
  afterAll(() => h.close());

  const tick = async () => {
    await runTick({ store: h.t.store, tickets: h.tickets, logger: silentLogger }, h.clock.now());
    await h.dispatch();
  };
  /** Every page card sent so far, as [who, card]. */
  const pages = () =>
    h.bf.calls
      .filter((c) => c.method === "POST" && c.conversationId.startsWith("a:personal-"))
      .map((c) => [c.conversationId.replace("a:personal-", ""), cardOf(c.body)] as const)
      .filter(([, card]) => card.body[0]?.text?.startsWith("🚨"));
  const pagedTo = () => pages().map(([to]) => to);
  const click = async (who: typeof chen, verb: string, data: Record<string, string>) => {
    const answer = await h.post(
      invoke(
        who,
        "adaptiveCard/action",
        { action: { type: "Action.Execute", verb, data: { verb, ticketId, ...data } } },
        { id: `a:personal-${who.aadObjectId}`, conversationType: "personal" },
      ),
    );
    return (answer.body as { value: string }).value;
  };

  it("shows the moves and snoozing delays the ladder: nobody else is paged until the snooze ends", async () => {
    await h.post(channelMessage(customer, "ticket Scanner down at dock 4"));
    await h.dispatch();
    ticketId = (await h.t.store.prisma.ticket.findFirstOrThrow()).id;
    const [[to, card]] = pages() as [[string, Card]];
    expect(to).toBe(chen.aadObjectId);
    expect(card.actions?.map((a) => [a.title, a.card?.actions[0]?.verb ?? a.verb])).toEqual([
      ["Acknowledge", "pageAck"],
      ["Snooze", "pageSnooze"],
      ["Escalate now", "pageEscalate"],
      ["Reassign", "pageReassign"],
    ]);

    h.clock.advance({ minutes: 5 }); // 22:05
    expect(await click(chen, "pageSnooze", { snooze: "15m" })).toMatch(/^😴 Snoozed #1 until .*22:20/);
    h.clock.advance({ minutes: 10 }); // 22:15: the IT manager would have been paged
    await tick();
    expect(pagedTo()).toEqual([chen.aadObjectId]);
    h.clock.advance({ minutes: 5 }); // 22:20: the snooze ends, chen is paged again
    await tick();
    expect(pagedTo()).toEqual([chen.aadObjectId, chen.aadObjectId]);
    // A snooze past 24 hours is refused, saying the bound.
    expect(await click(chen, "pageSnooze", { snooze: "until", until: "+2d" })).toMatch(/at most 24 hours/);
  });

  it("escalate now pages the next level at once, and exactly once for two clicks on the same page", async () => {
    h.clock.advance({ minutes: 1 }); // 22:21
    const latest = pages().at(-1)![1];
    const escalate = latest.actions?.find((a) => a.title === "Escalate now")?.card?.actions[0];
    expect(escalate?.data?.pageKey).toBeTruthy();
    const data = { reason: "the dock is stopped", pageKey: escalate!.data!.pageKey! };
    expect(await click(chen, "pageEscalate", data)).toBe("⏫ Escalated #1: the next level is paged now.");
    // The same click again at once is a double click; later, the page is escalated already.
    expect(await click(chen, "pageEscalate", data)).toMatch(/^You clicked twice/);
    h.clock.advance({ seconds: 10 });
    expect(await click(chen, "pageEscalate", data)).toMatch(/escalated already/);
    await tick();
    expect(pagedTo()).toEqual([chen.aadObjectId, chen.aadObjectId, itManager.aadObjectId]);
  });

  it("reassign pages the chosen person at once; a form naming both a person and a schedule is refused", async () => {
    h.clock.advance({ minutes: 1 }); // 22:22
    expect(await click(itManager, "pageReassign", { person: "dana", schedule: "wes" })).toMatch(
      /^Choose one/,
    );
    expect(await click(itManager, "pageReassign", { person: "dana" })).toMatch(
      /^↪️ Reassigned the page for #1/,
    );
    await tick();
    expect(pagedTo().at(-1)).toBe(dana.aadObjectId);
    expect(pagedTo()).toHaveLength(4);
  });

  it("Acknowledge on one row of a card of several pages records it and answers the clicker; the card stays", async () => {
    const acked = () => h.t.store.prisma.ticketEvent.count({ where: { ticketId, type: "acknowledged" } });
    const before = await acked();
    expect(await click(dana, "pageAck", { bundled: "1" })).toMatch(/^✅ You acknowledged #1: Scanner down/);
    expect(await acked()).toBe(before + 1);
  });
});
