import type { MessageBody } from "../../port.js";
import {
  type AdaptiveCard,
  type CardElement,
  card,
  choiceSet,
  execute,
  input,
  showCard,
  textBlock,
} from "./card.js";
import { escapeMarkdown, type NameOf, withMentions } from "./text.js";
import { verbs } from "./ticketCard.js";

type Page = MessageBody & { type: "page" };

/** An on-call page: a 1:1 message with Acknowledge and the page's moves (Snooze, Escalate now, Reassign). */
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
    [execute("Acknowledge", verbs.pageAcknowledge, { ticketId: t.id }, "positive"), ...pageMoves(body)],
    requester.entities,
  );
}

/**
 * The moves beside Acknowledge, each a small form submitted as Action.Execute. "Escalate now" carries the
 * page's key, so that a page escalated already is not escalated again (the ticket service's rule).
 */
function pageMoves(body: Page): CardElement[] {
  const ticketId = body.ticket.id;
  return [
    showCard(
      "Snooze",
      [
        choiceSet(
          "snooze",
          "Page me again in",
          [
            ["15 minutes", "15m"],
            ["1 hour", "1h"],
            ["At the time below", "until"],
          ],
          "15m",
        ),
        input("until", "Until (e.g. 18:30 or tomorrow 08:00; at most 24 hours)", { placeholder: "18:30" }),
      ],
      execute("Snooze", verbs.pageSnooze, { ticketId }),
    ),
    showCard(
      "Escalate now",
      [input("reason", "Why escalate now?", { isMultiline: true, maxLength: 500 })],
      execute("Escalate now", verbs.pageEscalate, {
        ticketId,
        ...(body.pageKey ? { pageKey: body.pageKey } : {}),
      }),
    ),
    showCard(
      "Reassign",
      [
        {
          type: "Input.ChoiceSet",
          id: "person",
          label: "A person",
          choices: [],
          "choices.data": { type: "Data.Query", dataset: "graph.microsoft.com/users" },
        },
        input("schedule", "Or whoever is on call for the schedule", { placeholder: "schedule name" }),
      ],
      execute("Reassign", verbs.pageReassign, { ticketId }),
    ),
  ];
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
