import { expect } from "vitest";
import type { DigestChart } from "../../src/reports/digestChart.js";

export const sampleChart: DigestChart = {
  policyName: "WETx Support Policy",
  span: "tickets opened Mon 16 Nov – Sun 22 Nov 2026",
  week: "2026-W47",
  groups: [
    {
      label: "First response · standard",
      target: "firstResponse",
      plan: "standard",
      met: 19,
      breached: 1,
      open: 0,
      compliance: 95,
      before: 80,
      goal: 95,
    },
    {
      label: "Resolution · gold",
      target: "resolution",
      plan: "gold",
      met: 0,
      breached: 0,
      open: 3,
      compliance: null,
      before: 70,
      goal: null,
    },
  ],
};

/** A PNG's signature, and the width and height of its IHDR chunk (the first one). */
export function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
