import type { Policy } from "../../../policy/types.js";
import { SUMMARY_MAX } from "../../../tickets/validate.js";
import { type AdaptiveCard, card, choiceSet, execute, input, textBlock } from "./card.js";
import { verbs } from "./ticketCard.js";

/** Where a new ticket's card goes and the message it was made from; carried in the form's data. */
export interface CreateFormData {
  /** The conversation (channel or chat) the card is posted in. */
  conversationId: string;
  origin?: { channelId: string; messageId: string; threadId: string | null; permalink: string | null };
}

/** The create-ticket form (a dialog for "Create ticket" on a message, a card for `ticket` alone). */
export function createTicketForm(
  policy: Policy,
  data: CreateFormData,
  /** Dialogs (task modules) take only Action.Submit; a card in a chat answers Action.Execute. */
  mode: "dialog" | "message",
  prefill: { summary?: string; description?: string; channel?: string } = {},
): AdaptiveCard {
  const form = { form: JSON.stringify(data) };
  const submit =
    mode === "dialog"
      ? {
          type: "Action.Submit",
          title: "Open ticket",
          style: "positive",
          data: { verb: verbs.create, ...form },
        }
      : execute("Open ticket", verbs.create, form, "positive");
  const options = (values: string[]) => values.map((v): [string, string] => [v, v]);
  const contact =
    prefill.channel && policy.channels.includes(prefill.channel) ? prefill.channel : policy.defaults.channel;
  return card(
    [
      textBlock(`New ticket (${policy.name})`, { size: "Medium", weight: "Bolder" }),
      input("summary", "Summary", {
        isRequired: true,
        maxLength: SUMMARY_MAX,
        errorMessage: "A ticket needs a summary",
        ...(prefill.summary ? { value: prefill.summary } : {}),
      }),
      input("description", "Description", {
        isMultiline: true,
        maxLength: 3000,
        ...(prefill.description ? { value: prefill.description.slice(0, 3000) } : {}),
      }),
      choiceSet(
        "severity",
        "Severity",
        policy.severities.map((s): [string, string] => [s.label, s.key]),
        policy.defaults.severity,
      ),
      choiceSet("channel", "How the customer reached us", options(policy.channels), contact),
      choiceSet("category", "Category", options(policy.categories), policy.defaults.category),
    ],
    [submit],
  );
}
