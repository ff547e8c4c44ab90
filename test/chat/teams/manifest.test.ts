import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { buildManifest, manifestProblems } from "../../../scripts/teams-package.mjs";
import { createFromMessageCommand } from "../../../src/chat/teams/messageExtension.js";

const ids = {
  MICROSOFT_APP_ID: "6f1c2d3e-0000-4000-8000-00000000b07a",
  TEAMS_APP_ID: "0d9a8b7c-0000-4000-8000-0000000000a1",
  ESCALATOR_WEBSITE: "https://escalator.example.com",
};

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Uint8Array) => {
  const view = Buffer.from(png);
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
};

describe("the Teams app package", () => {
  it("is valid against the official v1.24 manifest schema, with the message action the bot answers", () => {
    const manifest = buildManifest(ids);
    expect(manifestProblems(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe("1.24");
    expect(manifest.composeExtensions[0].commands[0]).toMatchObject({
      id: createFromMessageCommand,
      type: "action",
      context: ["message"],
      fetchTask: true,
    });
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([
      { name: "ChannelMessage.Read.Group", type: "Application" },
    ]);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual([
      "ticket",
      "ticket list",
      "ticket 142",
      "oncall",
      "oncall schedule",
      "oncall override",
      "help",
    ]);
  });

  it("fails validation for what Teams would refuse, and for a missing id", () => {
    const manifest = buildManifest(ids);
    manifest.bots[0].commandLists[0].commands[0].title = "x".repeat(40);
    delete manifest.icons;
    expect(manifestProblems(manifest).join("\n")).toMatch(/icons|title/);
    expect(() => buildManifest({ ...ids, MICROSOFT_APP_ID: "" })).toThrow(
      "MICROSOFT_APP_ID is not set (the Teams manifest needs it)",
    );
  });

  it("npm run teams:package writes a zip with the three files at its root, icons at Teams' sizes", () => {
    const out = execFileSync(process.execPath, ["scripts/teams-package.mjs"], {
      env: { ...process.env, ...ids },
      encoding: "utf8",
    });
    expect(out).toContain("wrote build/escalator-teams.zip");
    const files = unzipSync(readFileSync("build/escalator-teams.zip"));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(pngSize(files["color.png"]!)).toEqual([192, 192]);
    expect(pngSize(files["outline.png"]!)).toEqual([32, 32]);
    expect(JSON.parse(Buffer.from(files["manifest.json"]!).toString()).bots[0].botId).toBe(
      ids.MICROSOFT_APP_ID,
    );
  });
});
