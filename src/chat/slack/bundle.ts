import type { BundledBody, MessageBody } from "../port.js";
import { type Block, button, clip, context, escapeText, limits, mention, section } from "./blocks.js";
import { actionIds } from "./render.js";

/** The permalinks of the bundled tickets' threads, by ticket id. */
export type ThreadLinks = Map<string, string>;

/** A bundled item's summary is cut here: 45 rows stay inside the ≈13 k characters of block text Slack takes. */
const SUMMARY_MAX = 100;

/**
 * Pages and alerts that were waiting for one conversation, as one message: a heading, then a row per item
 * (≤ 45, within 50 blocks). A page's row carries its own Acknowledge, the same button (action id and value)
 * as on a page of its own; its block id says which row to redraw when it is clicked.
 */
export function renderBundle(body: MessageBody & { type: "bundle" }, links: ThreadLinks) {
  const { items } = body;
  const pages = items.filter((i) => i.type === "page").length;
  const heading =
    pages === items.length
      ? `🚨 *You are paged for ${items.length} tickets*`
      : pages === 0
        ? `📣 *${items.length} alerts*`
        : `🚨 *${items.length} pages and alerts*`;
  const blocks: Block[] = [section(heading)];
  for (const [i, item] of items.entries()) blocks.push(itemBlock(item, i, links.get(item.ticket.id)));
  if (items.some((i) => i.late))
    blocks.push(context("_Sent late: Escalator was not running when these were due._"));
  const listed = (kind: string) =>
    items.flatMap((i) => (i.type === kind ? [`#${i.ticket.number}`] : [])).join(", ");
  const alerts = items.length - pages;
  const said = [
    pages ? `You are paged for ${pages} ticket${pages > 1 ? "s" : ""}: ${listed("page")}` : "",
    alerts ? `${alerts} alert${alerts > 1 ? "s" : ""}: ${listed("escalation")}` : "",
  ];
  const text = said.filter(Boolean).join(" · ");
  return { text: clip(text, limits.fallbackText), blocks };
}

function itemBlock(item: BundledBody, index: number, link: string | undefined): Block {
  const t = item.ticket;
  const thread = link ? ` · <${link}|thread>` : "";
  const summary = escapeText(clip(t.summary, SUMMARY_MAX));
  if (item.type === "escalation")
    return section(`📣 *${escapeText(item.title)}*: ${escapeText(clip(item.text, SUMMARY_MAX))}${thread}`);
  const level = item.level > 1 ? ` · level ${item.level}` : "";
  return {
    type: "section",
    block_id: `bundle:${t.id}:${index}`,
    text: {
      type: "mrkdwn",
      text: `*#${t.number}* (${escapeText(t.severityLabel)}): ${summary}\n${escapeText(item.reason)}${level}${thread}`,
    },
    accessory: button("Acknowledge", actionIds.pageAcknowledge, t.id, "primary"),
  };
}

/** The bundle after one of its pages was acknowledged: that row says who did, the others keep their button. */
export function acknowledgedInBundle(
  blocks: Block[],
  blockId: string,
  ticket: { number: number; summary: string },
  actorId: string,
): Block[] {
  return blocks.map((b) =>
    b.block_id === blockId
      ? {
          ...section(
            `✅ *#${ticket.number}* acknowledged by ${mention(actorId)}: ${escapeText(clip(ticket.summary, SUMMARY_MAX))}`,
          ),
          block_id: blockId,
        }
      : b,
  );
}
