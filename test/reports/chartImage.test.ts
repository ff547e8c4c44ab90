import { describe, expect, it } from "vitest";
import { chartSize, renderDigestChart } from "../../src/reports/chartImage.js";
import { drawDigestChart } from "../../src/reports/chartProcess.js";
import { pngSize, sampleChart } from "../support/charts.js";

describe("the digest chart's image", () => {
  it("is a PNG one row taller per target and plan, the same bytes for the same numbers", async () => {
    const png = await renderDigestChart(sampleChart);
    expect(pngSize(png)).toEqual({
      width: chartSize.width,
      height: chartSize.chrome + 2 * chartSize.rowHeight,
    });
    expect(Buffer.compare(await renderDigestChart(sampleChart), png)).toBe(0);
    const worse = structuredClone(sampleChart);
    worse.groups[0]!.compliance = 90;
    expect(Buffer.compare(await renderDigestChart(worse), png)).not.toBe(0);
    const small = await renderDigestChart(sampleChart, 0.6);
    expect(pngSize(small).width).toBe(600);
  });

  it("is drawn the same by the bot's chart process, which says why when it fails", async () => {
    const png = await drawDigestChart(sampleChart);
    expect(Buffer.compare(png, await renderDigestChart(sampleChart))).toBe(0);
    await expect(drawDigestChart({ ...sampleChart, groups: null as never })).rejects.toThrow(
      /the chart process exited with 1: .*TypeError/,
    );
  });
});
