import type { MessageBody } from "../../port.js";
import { type AdaptiveCard, card, textBlock } from "./card.js";
import { escapeMarkdown } from "./text.js";

type Escalation = MessageBody & { type: "escalation" };

/** An escalation alert posted to a channel (a new post) or to a person named by the policy. */
export function escalationCard(body: Escalation, ctx: { threadLink?: string | undefined }): AdaptiveCard {
  const lines = [
    textBlock(`📣 ${escapeMarkdown(body.title)}`, { size: "Medium", weight: "Bolder" }),
    textBlock(escapeMarkdown(body.text)),
  ];
  if (ctx.threadLink) lines.push(textBlock(`[Open the ticket's thread](${ctx.threadLink})`));
  if (body.late) lines.push(textBlock("_Sent late: Escalator was not running when this was due._"));
  return card(lines);
}
