import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { TicketView } from "../../../src/chat/port.js";
import type { WebClient, WebClients } from "../../../src/chat/slack/client.js";
import { type HomeDeps, HomeTab } from "../../../src/chat/slack/home.js";
import { silentLogger } from "../../support/fakes.js";

/** App Home without Slack: a client that records views.publish, a ticket list that changes. */
function setup() {
  const published: { user: string; texts: string }[] = [];
  const client = {
    views: {
      publish: async ({ user_id, view }: { user_id: string; view: { blocks: unknown[] } }) => {
        published.push({ user: user_id, texts: JSON.stringify(view.blocks) });
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  const open: Partial<TicketView>[] = [];
  const deps = {
    tickets: { list: async () => open as TicketView[] },
    agents: { isAgent: async () => false },
    installations: { credentialsFor: async () => ({ token: "xoxb-test" }) },
    clients: { for: () => client } as unknown as WebClients,
    now: () => DateTime.fromISO("2026-11-23T10:00:00Z"),
    logger: silentLogger,
    oncallText: () => "Now: <@U0CHEN>",
    throttleMs: 50,
  } as unknown as HomeDeps;
  return { home: new HomeTab(deps), client, published, open };
}

describe("App Home", () => {
  it("is published when opened, and republished once for recent visitors after a burst of changes", async () => {
    const { home, client, published, open } = setup();
    await home.open(client, "slack:T1", "U1");
    expect(published).toHaveLength(1);
    expect(published[0]?.texts).toContain("You have no open tickets.");
    expect(published[0]?.texts).toContain("Now: <@U0CHEN>");

    open.push({ number: 7, summary: "Printer down", severityLabel: "High", status: "open", targets: [] });
    home.changed("slack:T1");
    home.changed("slack:T1");
    home.changed("slack:T1");
    await new Promise((r) => setTimeout(r, 120));
    expect(published).toHaveLength(2); // one refresh for three changes inside the throttle window
    expect(published[1]?.texts).toContain("Printer down");
    home.changed("slack:T2"); // nobody has opened the home in that workspace: nothing to refresh
    await new Promise((r) => setTimeout(r, 80));
    expect(published).toHaveLength(2);
    home.stop();
  });
});
