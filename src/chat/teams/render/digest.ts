import { coerceError } from "../../../logger.js";
import { drawDigestChart } from "../../../reports/chartProcess.js";
import type { DigestChart } from "../../../reports/digestChart.js";
import type { MessageBody } from "../../port.js";
import { type AdaptiveCard, type CardElement, card, textBlock } from "./card.js";
import { escapeMarkdown } from "./text.js";

type Digest = MessageBody & { type: "digest" };

/**
 * The largest chart sent inside a card, as base64 characters. Teams takes a bot message up to about 100 KB
 * (docs/teams.md); the card's text is a few KB, so an image this size leaves room to spare. The chart is
 * drawn at 60 % (600 pixels wide, about the width Teams shows a card at), then 50 % if that is too big.
 */
export const TEAMS_IMAGE_MAX_BASE64 = 64_000;
const scales = [0.6, 0.5];

/**
 * The chart as a `data:image/png;base64,…` URL for the card's Image element, or, when it cannot be drawn
 * or is too big for a Teams message, why not (the card then carries the text alone).
 */
export async function digestChartUri(
  chart: DigestChart,
  maxBase64 = TEAMS_IMAGE_MAX_BASE64,
): Promise<{ uri: string } | { degraded: string }> {
  try {
    for (const scale of scales) {
      const base64 = (await drawDigestChart(chart, scale)).toString("base64");
      if (base64.length <= maxBase64) return { uri: `data:image/png;base64,${base64}` };
    }
    return { degraded: `the digest's chart is too big for a Teams message (${chart.groups.length} rows)` };
  } catch (thrown) {
    return { degraded: `the digest's chart could not be drawn (${coerceError(thrown).message})` };
  }
}

/**
 * The digest as a card: its heading, the chart (when there is one), then the text's lines; links to the
 * worst breaches' threads become markdown links, every other word is escaped.
 */
export function digestCard(body: Digest, chartUri: string | undefined): AdaptiveCard {
  const [heading = "", ...lines] = body.text.split("\n");
  const blocks: CardElement[] = [
    textBlock(escapeMarkdown(heading.replace(/\*/g, "")), { size: "Medium", weight: "Bolder" }),
  ];
  if (chartUri)
    blocks.push({
      type: "Image",
      url: chartUri,
      size: "Stretch",
      altText: "Chart: SLA compliance per target and plan, this week against the week before and the goals",
    });
  for (const line of lines) blocks.push(textBlock(withLinks(line), { spacing: "Small" }));
  return card(blocks);
}

function withLinks(line: string): string {
  return line
    .split(/(https:\/\/\S+)/)
    .map((part, i) => (i % 2 === 1 ? `[open the thread](${part})` : escapeMarkdown(part)))
    .join("");
}
