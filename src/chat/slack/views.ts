import type { types } from "@slack/bolt";
import type { Policy } from "../../policy/types.js";
import { resolutionReasons } from "../../tickets/events.js";
import { SUMMARY_MAX } from "../../tickets/validate.js";
import type { TicketView } from "../port.js";
import { type Block, clip, limits, plain } from "./blocks.js";

/** Callback ids of the modals; the submission handlers listen for exactly these. */
export const viewIds = {
  create: "ticket_create",
  severity: "ticket_severity",
  resolve: "ticket_resolve",
} as const;

/** Carried in a create modal's private_metadata: where the card goes and the message it came from. */
export interface CreateMeta {
  channelId: string;
  origin?: { channelId: string; messageId: string; threadId: string | null };
}

export interface TicketMeta {
  ticketId: string;
  /** Where to answer the person (ephemerally) once the change is made. */
  channelId?: string | undefined;
}

type Option = { text: ReturnType<typeof plain>; value: string };
const option = (label: string, value: string): Option => ({ text: plain(label, limits.optionText), value });

function select(
  blockId: string,
  label: string,
  options: Option[],
  initial: string | undefined,
  optional = false,
): Block {
  const chosen = options.find((o) => o.value === initial);
  return {
    type: "input",
    block_id: blockId,
    optional,
    label: plain(label, 2000),
    element: {
      type: "static_select",
      action_id: "value",
      options: options.slice(0, 100),
      ...(chosen ? { initial_option: chosen } : {}),
    },
  } as Block;
}

function textInput(
  blockId: string,
  label: string,
  opts: { multiline?: boolean; initial?: string; max?: number; optional?: boolean; placeholder?: string },
): Block {
  const max = opts.max ?? limits.inputMax;
  return {
    type: "input",
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label, 2000),
    element: {
      type: "plain_text_input",
      action_id: "value",
      multiline: opts.multiline ?? false,
      max_length: max,
      ...(opts.initial ? { initial_value: clip(opts.initial, max) } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder, 150) } : {}),
    },
  } as Block;
}

export function modal(
  callbackId: string,
  title: string,
  submit: string,
  meta: object,
  blocks: Block[],
): types.View {
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
    blocks: blocks.slice(0, limits.viewBlocks),
  };
}

/** The "new ticket" form, empty for `/ticket` or prefilled from a message by the shortcut. */
export function createTicketModal(
  policy: Policy,
  meta: CreateMeta,
  prefill: { summary?: string; description?: string; channel?: string } = {},
): types.View {
  const where: Block[] = meta.channelId
    ? []
    : [
        {
          type: "input",
          block_id: "home",
          label: plain("Post the ticket in", 2000),
          element: {
            type: "conversations_select",
            action_id: "value",
            filter: { include: ["public", "private"] },
          },
        } as Block,
      ];
  return modal(viewIds.create, "New ticket", "Open ticket", meta, [
    ...where,
    textInput("summary", "Summary", {
      initial: prefill.summary,
      max: SUMMARY_MAX,
      placeholder: "What is wrong, in a few words",
    }),
    textInput("description", "Description", {
      multiline: true,
      optional: true,
      initial: prefill.description,
      placeholder: "The error, what you did, screenshots or logs links",
    }),
    select(
      "severity",
      "Severity",
      policy.severities.map((s) => option(s.label, s.key)),
      policy.defaults.severity,
    ),
    select(
      "channel",
      "How did the customer reach us?",
      policy.channels.map((c) => option(c, c)),
      prefill.channel && policy.channels.includes(prefill.channel)
        ? prefill.channel
        : policy.defaults.channel,
    ),
    select(
      "category",
      "Category",
      policy.categories.map((c) => option(c, c)),
      policy.defaults.category,
    ),
  ]);
}

type FormTicket = Pick<TicketView, "number" | "severity">;

/** A form replaced by why it cannot be used (same title, no submit button). */
export function noticeModal(form: types.View, text: string): types.View {
  return {
    type: "modal",
    title: ("title" in form && form.title) || plain("Escalator", limits.viewTitle),
    close: plain("Close", limits.viewTitle),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text, limits.sectionText) } }],
  } as types.View;
}

export function severityModal(policy: Policy, ticket: FormTicket, meta: TicketMeta): types.View {
  return modal(viewIds.severity, `Severity of #${ticket.number}`, "Change", meta, [
    select(
      "severity",
      "New severity",
      policy.severities.map((s) => option(s.label, s.key)),
      ticket.severity,
    ),
    textInput("why", "Why", { max: 500, placeholder: "Agreed with the customer: …" }),
  ]);
}

export function resolveModal(ticket: FormTicket, meta: TicketMeta): types.View {
  return modal(viewIds.resolve, `Resolve #${ticket.number}`, "Resolve", meta, [
    select(
      "reason",
      "Reason",
      resolutionReasons.map((r) => option(r, r)),
      "fixed",
    ),
    textInput("note", "Note", { multiline: true, optional: true, max: 1000 }),
  ]);
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_conversation?: string | null;
    }
  >
>;

/** A submitted field by block id: the typed text or the chosen option. */
export function fieldValue(values: StateValues, blockId: string): string | undefined {
  const field = values[blockId]?.value;
  return field?.selected_option?.value ?? field?.selected_conversation ?? field?.value ?? undefined;
}
