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

// One customers file for Slack and Teams: this one gives the harness's Teams team to a gold customer.
describe("Teams: customers and plans from the customers file", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "escalator-teams-customers-"));
    const file = join(dir, "customers.yaml");
    writeFileSync(
      file,
      `customers:\n  - id: acme\n    plan: gold\n    teams: ["${team}"]\n    triage: "${triage}"\n` +
        `  - id: slack-only\n    plan: silver\n    workspaces: [T0SLACK]\n`,
    );
    h = await startTeamsHarness({ policyFile: "policies/wetx.yaml", env: { CUSTOMERS_FILE: file } });
    await h.post(installed(customer));
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
});
