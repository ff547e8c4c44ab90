import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { TerminalChat } from "../../../src/chat/terminal/port.js";
import { runShell } from "../../../src/chat/terminal/shell.js";
import { SimulatedClock } from "../../../src/clock.js";
import { loadPolicyFile } from "../../../src/policy/index.js";
import { dispatchDue } from "../../../src/scheduler/dispatcher.js";
import type { RunningScheduler } from "../../../src/scheduler/runner.js";
import { TicketService } from "../../../src/tickets/service.js";
import { pngSize, sampleChart } from "../../support/charts.js";
import { openTestStore } from "../../support/db.js";
import { actor, FakeClock, silentLogger } from "../../support/fakes.js";

const dataDir = mkdtempSync(join(tmpdir(), "escalator-digest-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the weekly digest in the terminal chat", () => {
  it("prints the text and the path of the chart's PNG, written under DATA_DIR/digests", async () => {
    const printed: string[] = [];
    const clock = new FakeClock(DateTime.fromISO("2026-11-23T09:00", { zone: "America/Denver" }));
    const chat = new TerminalChat((text) => printed.push(text), clock, join(dataDir, "digests"));
    const text = "📊 *Weekly SLA digest — WETx*, tickets opened Mon 16 Nov – Sun 22 Nov 2026 (20)";
    const delivered = await chat.send({
      key: "digest:wetx:2026-11-16:terminal",
      destination: { platform: "terminal", workspaceId: "local", channelName: "#support-leads" },
      body: { type: "digest", text, chart: sampleChart },
    });
    const path = join(dataDir, "digests", "2026-W47.png");
    expect(printed).toEqual([`[#support-leads] ${text}\n    📈 chart: ${path}`]);
    expect(pngSize(readFileSync(path)).width).toBe(1000);
    expect(delivered.degraded).toBeUndefined();
  });

  it("says so, and sends the text, when the chart cannot be written", async () => {
    const printed: string[] = [];
    const clock = new FakeClock(DateTime.fromISO("2026-11-23T09:00", { zone: "America/Denver" }));
    const file = join(dataDir, "a-file");
    writeFileSync(file, "");
    const blocked = join(file, "digests"); // a file where a folder should be
    const chat = new TerminalChat((text) => printed.push(text), clock, blocked);
    const delivered = await chat.send({
      key: "digest:wetx:2026-11-16:terminal",
      destination: { platform: "terminal", workspaceId: "local", channelName: "#support-leads" },
      body: { type: "digest", text: "📊 digest", chart: sampleChart },
    });
    expect(printed).toEqual(["[#support-leads] 📊 digest"]);
    expect(delivered.degraded).toContain("the digest's chart could not be written");
  });
});

describe("/ticket digest post in the terminal chat", () => {
  it("posts last week's digest into #support and prints the path of its chart", {
    timeout: 60_000,
  }, async () => {
    const t = await openTestStore("pglite");
    try {
      // Frozen simulated time: Tuesday 17 November; one ticket was opened the week before.
      const denver = (iso: string) => DateTime.fromISO(iso, { zone: "America/Denver" });
      const clock = new SimulatedClock(denver("2026-11-10T10:00"), 1, () => 0);
      const policy = loadPolicyFile("policies/support-guidelines.yaml");
      const tickets = new TicketService({ store: t.store, policy, now: () => clock.now() });
      await tickets.create(actor("carol", false), {
        summary: "Label printer jams",
        home: { platform: "terminal", workspaceId: "local", channelId: "support" },
      });
      clock.setTo(denver("2026-11-17T10:00"));
      const printed: string[] = [];
      const chat = new TerminalChat((text) => printed.push(text), clock, join(dataDir, "shell"));
      const settle = async () => {
        await dispatchDue({
          store: t.store,
          ports: { terminal: chat },
          logger: silentLogger,
          replicaId: "test",
          now: () => clock.now().toJSDate(),
        });
      };
      await runShell({
        input: Readable.from(["/ticket digest\n/ticket digest post\nquit\n"]),
        write: (text) => printed.push(text),
        tickets,
        scheduler: { settle } as unknown as RunningScheduler,
        clock,
        advanceTo: async () => {},
        prompt: false,
      });
      const output = printed.join("\n");
      expect(output).toContain("tickets opened Mon 9 Nov – Sun 15 Nov 2026 (1)\n• First response · ");
      expect(output).toContain("`/ticket digest post` shares it in this channel, with its chart.");
      const path = join(dataDir, "shell", "2026-W46.png");
      const posted = output.indexOf("Posting last week's digest here.");
      expect(posted).toBeGreaterThan(0);
      const digest = output.slice(posted);
      expect(digest).toContain("[#support] 📊 *Weekly SLA digest — ");
      expect(digest).toContain(`\n    📈 chart: ${path}`);
      expect(pngSize(readFileSync(path)).width).toBe(1000);
    } finally {
      await t.dispose();
    }
  });
});
