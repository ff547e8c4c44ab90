import { DateTime } from "luxon";
import { clip, type Mention } from "./text.js";

/** Adaptive Card building blocks. Universal Actions (Action.Execute) need card version 1.5. */
export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
  refresh?: CardElement;
  msteams?: { width?: "Full"; entities?: Mention[] };
}

/** Teams' per-message limit is about 100 KB; a TextBlock this long is already unreadable. */
const TEXT_MAX = 4000;

export function card(
  body: CardElement[],
  actions: CardElement[] = [],
  entities: Mention[] = [],
): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: "Full", ...(entities.length ? { entities } : {}) },
  };
}

export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text: clip(text, TEXT_MAX), wrap: true, ...options };
}

export function factSet(facts: [string, string][]): CardElement {
  return { type: "FactSet", facts: facts.map(([title, value]) => ({ title, value })) };
}

/**
 * A button: Action.Execute (answered with a refreshed card, per user) that falls back to Action.Submit on
 * clients without Universal Actions; both carry the verb and the ticket in their data.
 */
export function execute(
  title: string,
  verb: string,
  data: Record<string, string>,
  style?: string,
): CardElement {
  const payload = { verb, ...data };
  return {
    type: "Action.Execute",
    title,
    verb,
    data: payload,
    ...(style ? { style } : {}),
    fallback: { type: "Action.Submit", title, data: { ...payload, escalator: "submit" } },
  };
}

/** A button that opens a small form (inputs) under the card, submitted with its own verb. */
export function showCard(title: string, body: CardElement[], submit: CardElement): CardElement {
  return {
    type: "Action.ShowCard",
    title,
    card: { type: "AdaptiveCard", version: "1.5", body, actions: [submit] },
  };
}

export function choiceSet(
  id: string,
  label: string,
  choices: [string, string][],
  value?: string,
): CardElement {
  return {
    type: "Input.ChoiceSet",
    id,
    label,
    style: "compact",
    choices: choices.map(([title, v]) => ({ title, value: v })),
    ...(value ? { value } : {}),
    isRequired: true,
  };
}

export function input(id: string, label: string, options: Record<string, unknown> = {}): CardElement {
  return { type: "Input.Text", id, label, ...options };
}

/** An instant each reader sees in their own time zone (Adaptive Cards' DATE/TIME functions want UTC). */
export function cardDate(iso: string): string {
  const utc = DateTime.fromISO(iso, { setZone: true }).toUTC().toFormat("yyyy-LL-dd'T'HH:mm:ss'Z'");
  return `{{DATE(${utc}, SHORT)}} {{TIME(${utc})}}`;
}
