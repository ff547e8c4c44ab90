import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { TerminalChat } from "../../../src/chat/terminal/port.js";
import { pngSize, sampleChart } from "../../support/charts.js";
import { FakeClock } from "../../support/fakes.js";

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
