import type { types } from "@slack/bolt";
import type { TicketView } from "../port.js";
import { type Block, limits, plain } from "./blocks.js";
import { modal } from "./views.js";

/** Callback ids of the page's forms (Snooze until…, Escalate now, Reassign). */
export const pageViewIds = {
  snooze: "page_snooze",
  escalate: "page_escalate",
  reassign: "page_reassign",
} as const;

/** Carried in a page form's private_metadata: the ticket, the page it was opened from, where to answer. */
export interface PageMeta {
  ticketId: string;
  pageKey?: string | undefined;
  channelId?: string | undefined;
}

const input = (blockId: string, label: string, element: object, optional = false): Block =>
  ({ type: "input", block_id: blockId, optional, label: plain(label, 2000), element }) as Block;

export function snoozeUntilModal(ticket: TicketView, meta: PageMeta, initial: number): types.View {
  return modal(pageViewIds.snooze, `Snooze #${ticket.number}`, "Snooze", meta, [
    input("until", "Page me again at", {
      type: "datetimepicker",
      action_id: "value",
      initial_date_time: initial,
    }),
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: "The ladder waits until then; the SLA clock does not." }],
    },
  ]);
}

export function escalateModal(ticket: TicketView, meta: PageMeta): types.View {
  return modal(pageViewIds.escalate, `Escalate #${ticket.number}`, "Escalate now", meta, [
    input("reason", "Why escalate now?", {
      type: "plain_text_input",
      action_id: "value",
      max_length: 500,
      placeholder: plain("Needs a decision from a manager", 150),
    }),
  ]);
}

export function reassignModal(ticket: TicketView, meta: PageMeta, schedules: string[]): types.View {
  const blocks: Block[] = [
    input("person", "Page this person instead", { type: "users_select", action_id: "value" }, true),
  ];
  if (schedules.length > 0)
    blocks.push(
      input(
        "schedule",
        "…or whoever is on call for",
        {
          type: "static_select",
          action_id: "value",
          options: schedules.slice(0, 100).map((s) => ({ text: plain(s, limits.optionText), value: s })),
        },
        true,
      ),
    );
  return modal(pageViewIds.reassign, `Reassign #${ticket.number}`, "Page them", meta, blocks);
}
