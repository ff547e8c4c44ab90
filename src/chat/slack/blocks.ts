import type { types } from "@slack/bolt";
import { DateTime } from "luxon";
import { inZone } from "../../zone.js";
import type { AnswerFormat } from "../ticketAnswers.js";

export type Block = types.KnownBlock;
export type Button = types.Button;
export type ActionElement = types.ActionsBlockElement;

/** Block Kit limits (docs.slack.dev/reference/block-kit): exceeding one makes Slack refuse the message. */
export const limits = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  field: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  viewTitle: 24,
  privateMetadata: 3000,
  fallbackText: 4000,
  inputMax: 3000,
  optionText: 75,
} as const;

/** Cuts text to `max` characters (code points), ending with "…" when something was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join("")}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters, in user-written text. */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** `<@U0123>` for a Slack user id; any other id (a terminal name, a bad row) is shown as `@name`, inert. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : `@${escapeText(userId)}`;
}

export const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text: clip(text, limits.sectionText) });
export const plain = (text: string, max: number = limits.sectionText) => ({
  type: "plain_text" as const,
  text: clip(text, max),
  emoji: true,
});

export function section(text: string): Block {
  return { type: "section", text: mrkdwn(text) };
}

export function header(text: string): Block {
  return { type: "header", text: plain(text, limits.header) };
}

export function context(...texts: string[]): Block {
  return { type: "context", elements: texts.slice(0, 10).map((t) => mrkdwn(clip(t, limits.field))) };
}

export function fields(pairs: [string, string][]): Block {
  return {
    type: "section",
    fields: pairs.slice(0, 10).map(([label, value]) => mrkdwn(clip(`*${label}*\n${value}`, limits.field))),
  };
}

export function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Button {
  return {
    type: "button",
    text: plain(text, limits.buttonText),
    action_id: actionId,
    value: clip(value, limits.buttonValue),
    ...(style ? { style } : {}),
  };
}

export function actions(blockId: string, elements: ActionElement[]): Block {
  return { type: "actions", block_id: blockId, elements: elements.slice(0, 25) };
}

/** Keeps a surface inside its block count: the last block says how many were left out. */
export function capBlocks(blocks: Block[], max: number): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(`… ${blocks.length - kept.length} more not shown`)];
}

/** An instant Slack shows in each reader's own time zone; the fallback is in the policy's zone. */
export function slackDate(iso: string, zone: string): string {
  const t = DateTime.fromISO(iso, { setZone: true });
  const fallback = inZone(t, zone).toFormat("ccc d LLL HH:mm ZZZZ");
  return `<!date^${Math.floor(t.toSeconds())}^{date_short_pretty} {time}|${fallback}>`;
}

export { timeLeft } from "../ticketWords.js";

/** Our answers in Slack's mrkdwn: the shared words of src/chat/ticketAnswers.ts. */
export const slackAnswers: AnswerFormat = {
  bold: (text) => `*${text}*`,
  userText: escapeText,
  date: slackDate,
  mention,
};
