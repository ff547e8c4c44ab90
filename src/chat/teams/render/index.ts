import type { Activity, Attachment } from "botbuilder";
import type { DateTime } from "luxon";
import type { Policy } from "../../../policy/types.js";
import { resolutionReasons } from "../../../tickets/events.js";
import type { MessageBody } from "../../port.js";
import { bundleCard } from "./bundle.js";
import type { AdaptiveCard } from "./card.js";
import { digestCard } from "./digest.js";
import { escalationCard } from "./escalation.js";
import { noteMessage } from "./note.js";
import { pageCard } from "./page.js";
import type { NameOf } from "./text.js";
import { type CardViewer, ticketCard } from "./ticketCard.js";

export interface RenderContext {
  now: DateTime;
  policy: Policy;
  nameOf: NameOf;
  threadLink?: string | undefined;
  /** The same for each ticket of a bundle. */
  threadLinks?: Map<string, string>;
  refreshUserIds?: string[];
  viewer?: CardViewer;
  /** The digest's chart as a data URL (drawn by the port beforehand: digestChartUri). */
  chartImage?: string;
}

export const cardAttachment = (content: AdaptiveCard): Attachment => ({
  contentType: "application/vnd.microsoft.card.adaptive",
  content,
});

/** The one Teams renderer: each message type has its own file; this picks and wraps it as an activity. */
export function renderActivity(body: MessageBody, ctx: RenderContext): Partial<Activity> {
  switch (body.type) {
    case "ticketCard":
      return cardActivity(
        `#${body.ticket.number} ${body.ticket.summary}`,
        ticketCard(body.ticket, {
          now: ctx.now,
          nameOf: ctx.nameOf,
          severities: ctx.policy.severities,
          resolutionReasons,
          ...(ctx.refreshUserIds ? { refreshUserIds: ctx.refreshUserIds } : {}),
          ...(ctx.viewer ? { viewer: ctx.viewer } : {}),
        }),
      );
    case "page":
      return cardActivity(`You are paged for #${body.ticket.number}`, pageCard(body, ctx));
    case "escalation":
      return cardActivity(body.title, escalationCard(body, ctx));
    case "digest":
      return cardActivity("Weekly SLA digest", digestCard(body, ctx.chartImage));
    case "threadNote":
    case "notice":
    case "adminAlert": {
      const { text, entities } = noteMessage(body, ctx.nameOf);
      return { type: "message", text, textFormat: "markdown", ...(entities.length ? { entities } : {}) };
    }
    case "bundle":
      return cardActivity(
        body.items.every((i) => i.type === "page")
          ? `You are paged for ${body.items.length} tickets`
          : `${body.items.length} pages and alerts`,
        bundleCard(body, ctx),
      );
  }
}

/** A card message; `summary` is what notifications and the chat list show. */
export function cardActivity(summary: string, content: AdaptiveCard): Partial<Activity> {
  return { type: "message", summary, attachments: [cardAttachment(content)] };
}
