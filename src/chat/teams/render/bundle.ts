import type { BundledBody, MessageBody } from "../../port.js";
import { type AdaptiveCard, type CardElement, card, execute, textBlock } from "./card.js";
import { clip, escapeMarkdown } from "./text.js";
import { verbs } from "./ticketCard.js";

type Bundle = MessageBody & { type: "bundle" };

/**
 * Pages and alerts that were waiting for one conversation, as one card: a heading, then a row per item.
 * A page's row has its own Acknowledge: the same verb and ticket as a page of its own, marked `bundled` so
 * that the click answers with a message instead of replacing the whole card.
 */
export function bundleCard(body: Bundle, ctx: { threadLinks?: Map<string, string> }): AdaptiveCard {
  const { items } = body;
  const pages = items.filter((i) => i.type === "page").length;
  const heading =
    pages === items.length
      ? `🚨 **You are paged for ${items.length} tickets**`
      : `🚨 **${items.length} ${pages === 0 ? "alerts" : "pages and alerts"}**`;
  const rows = items.map((item) => row(item, ctx.threadLinks?.get(item.ticket.id)));
  if (items.some((i) => i.late))
    rows.push(textBlock("_Sent late: Escalator was not running when these were due._", { isSubtle: true }));
  return card([textBlock(heading, { size: "Medium" }), ...rows]);
}

function row(item: BundledBody, link: string | undefined): CardElement {
  const t = item.ticket;
  const thread = link ? ` · [thread](${link})` : "";
  const words =
    item.type === "page"
      ? `**#${t.number}** (${t.severityLabel}): ${escapeMarkdown(clip(t.summary, 100))}\n\n${escapeMarkdown(item.reason)}${item.level > 1 ? ` · level ${item.level}` : ""}${thread}`
      : `📣 **${escapeMarkdown(item.title)}**: ${escapeMarkdown(clip(item.text, 100))}${thread}`;
  const columns: CardElement[] = [{ type: "Column", width: "stretch", items: [textBlock(words)] }];
  if (item.type === "page") {
    const ack = execute("Acknowledge", verbs.pageAcknowledge, { ticketId: t.id, bundled: "1" }, "positive");
    columns.push({ type: "Column", width: "auto", items: [{ type: "ActionSet", actions: [ack] }] });
  }
  return { type: "ColumnSet", separator: true, columns };
}
