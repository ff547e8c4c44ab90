import type { MessageBody } from "../../port.js";
import { type AdaptiveCard, card, execute, textBlock } from "./card.js";
import { escapeMarkdown, type NameOf, withMentions } from "./text.js";
import { verbs } from "./ticketCard.js";

type Page = MessageBody & { type: "page" };

/** An on-call page: a 1:1 message with an Acknowledge button (buttons for snooze etc. go beside it). */
export function pageCard(body: Page, ctx: { nameOf: NameOf; threadLink?: string | undefined }): AdaptiveCard {
  const t = body.ticket;
  const level = body.level > 1 ? ` · level ${body.level}` : "";
  const requester = withMentions(`Requester <@${t.requesterId}>`, ctx.nameOf, (s) => s);
  const lines = [
    textBlock(`🚨 **You are paged** for #${t.number} (${t.severityLabel}): ${escapeMarkdown(t.summary)}`, {
      weight: "Bolder",
    }),
    textBlock(`Why: ${escapeMarkdown(body.reason)}${level}`),
    textBlock(requester.text, { isSubtle: true }),
  ];
  if (ctx.threadLink) lines.push(textBlock(`[Open the ticket's thread](${ctx.threadLink})`));
  if (body.late) lines.push(textBlock("_Sent late: Escalator was not running when this was due._"));
  return card(
    lines,
    [execute("Acknowledge", verbs.pageAcknowledge, { ticketId: t.id }, "positive")],
    requester.entities,
  );
}

/** The page after its acknowledgement: the button gives way to who acknowledged. */
export function acknowledgedPageCard(
  ticket: { number: number; summary: string },
  actorId: string,
  nameOf: NameOf,
): AdaptiveCard {
  const by = withMentions(
    `Acknowledged by <@${actorId}>; the ticket's thread says so too.`,
    nameOf,
    (s) => s,
  );
  return card(
    [
      textBlock(`✅ You acknowledged **#${ticket.number}**: ${escapeMarkdown(ticket.summary)}`),
      textBlock(by.text, { isSubtle: true }),
    ],
    [],
    by.entities,
  );
}
