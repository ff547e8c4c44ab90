import type { types } from "@slack/bolt";
import type { TicketView } from "../port.js";
import { type Block, limits, plain } from "./blocks.js";

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

function pageModal(callbackId: string, title: string, submit: string, meta: PageMeta, blocks: Block[]) {
  const metadata = JSON.stringify(meta);
  if (metadata.length > limits.privateMetadata)
    throw new Error("modal metadata is over Slack's 3000 characters");
  return {
    type: "modal",
    callback_id: callbackId,
    title: plain(title, limits.viewTitle),
    submit: plain(submit, limits.viewTitle),
    close: plain("Cancel", limits.viewTitle),
    private_metadata: metadata,
    blocks,
  } as types.View;
}

const input = (blockId: string, label: string, element: object, optional = false): Block =>
  ({ type: "input", block_id: blockId, optional, label: plain(label, 2000), element }) as Block;

export function snoozeUntilModal(ticket: TicketView, meta: PageMeta, initial: number): types.View {
  return pageModal(pageViewIds.snooze, `Snooze #${ticket.number}`, "Snooze", meta, [
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
  return pageModal(pageViewIds.escalate, `Escalate #${ticket.number}`, "Escalate now", meta, [
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
  return pageModal(pageViewIds.reassign, `Reassign #${ticket.number}`, "Page them", meta, blocks);
}
