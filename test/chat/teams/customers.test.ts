import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  channelMessage,
  customer,
  installed,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
  team,
} from "./harness.js";

const triage = "19:gold-triage@thread.tacv2";
const colleague = {
  id: "29:cust-2",
  aadObjectId: "c0c0c0c0-0000-4000-8000-000000000003",
  name: "Cora Colleague",
};
const stranger = {
  id: "29:cust-3",
  aadObjectId: "c0c0c0c0-0000-4000-8000-000000000004",
  name: "Sam Stranger",
};

// One customers file for Slack and Teams: this one gives the harness's Teams team to a gold customer.
describe("Teams: customers and plans from the customers file", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "escalator-teams-customers-"));
    const file = join(dir, "customers.yaml");
    writeFileSync(
      file,
      `customers:\n  - id: acme\n    plan: gold\n    teams: ["${team}"]\n    triage: "${triage}"\n` +
        `    users: ["${customer.aadObjectId}", "${colleague.aadObjectId}"]\n` +
        `  - id: slack-only\n    plan: silver\n    workspaces: [T0SLACK]\n`,
    );
    h = await startTeamsHarness({ policyFile: "policies/wetx.yaml", env: { CUSTOMERS_FILE: file } });
    await h.post(installed(customer));
    await h.post(installed(colleague));
    await h.post(installed(stranger));
  });
  afterAll(() => h.close());

  const ticket = (number: number) => h.t.store.prisma.ticket.findFirstOrThrow({ where: { number } });

  it("gives a ticket opened in the customer's team their plan and triage channel", async () => {
    await h.post(channelMessage(customer, "ticket tills offline"));
    expect(await ticket(1)).toMatchObject({ plan: "gold", customerId: "acme", triageChannel: triage });
  });

  it("leaves a ticket from a chat no entry names on the policy's default plan", async () => {
    await h.post(personalMessage(customer, "ticket my own question"));
    expect(await ticket(2)).toMatchObject({ plan: "standard", customerId: null, triageChannel: null });
  });

  it("lets the customer's colleagues (its users: in the file) see a ticket, as in Slack; nobody else", async () => {
    const lastReply = () => JSON.stringify(h.bf.calls.at(-1)!.body);
    await h.post(personalMessage(colleague, "ticket 1"));
    expect(lastReply()).toContain("tills offline");
    await h.post(personalMessage(stranger, "ticket 1"));
    expect(lastReply()).toContain(
      "#1: only its requester, their colleagues and the support team can see this ticket.",
    );
  });
});
