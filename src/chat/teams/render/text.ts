import { DateTime } from "luxon";
import { inZone } from "../../../zone.js";
import type { AnswerFormat } from "../../ticketAnswers.js";

/**
 * Teams text: user-written words are data, never markup. Card TextBlocks read a markdown subset (no HTML),
 * message text reads markdown and some HTML (<at> mentions), so each has its escape.
 */

/** Backslash-escapes the characters Teams markdown acts on, and list or heading markers at a line's start. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~[\]()#|{}]/g, (c) => `\\${c}`)
    .replace(/^(\s*)>/gm, "$1\\>")
    .replace(/^(\s*)([-+]|\d+\.)(\s)/gm, (_m, lead: string, marker: string, space: string) =>
      marker.endsWith(".") ? `${lead}${marker.slice(0, -1)}\\.${space}` : `${lead}\\${marker}${space}`,
    );
}

/** For message text (markdown that also reads HTML): entities first, then markdown. */
export function escapeMessageText(text: string): string {
  return escapeMarkdown(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

/** Our own replies are written with Slack's `*bold*`; Teams reads single stars as italics. */
export function boldForTeams(text: string): string {
  return text.replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s.,:;)!?]|$)/g, "$1**$2**");
}

export interface Mention {
  type: "mention";
  text: string;
  mentioned: { id: string; name: string };
}

/** Who `<@id>` is in a rendered message: a display name for the mention text. */
export type NameOf = (aadObjectId: string) => string;

const MENTION = /<@([^>|\s]+)(?:\|[^>]*)?>/g;

/** The ids of the people a text mentions as `<@id>`. */
export function mentionedIds(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[1]!);
}

/**
 * Text with `<@id>` mentions (our narration and answers) → Teams text with `<at>Name</at>` and their mention
 * entities; everything between mentions goes through `escapeWords`.
 */
export function withMentions(
  text: string,
  nameOf: NameOf,
  escapeWords: (s: string) => string,
): { text: string; entities: Mention[] } {
  const entities: Mention[] = [];
  let out = "";
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    out += escapeWords(text.slice(last, match.index));
    last = match.index + match[0].length;
    const id = match[1]!;
    if (id === "escalator") {
      out += "Escalator";
      continue;
    }
    const tag = `<at>${escapeMessageText(nameOf(id))}</at>`;
    out += tag;
    if (!entities.some((e) => e.text === tag && e.mentioned.id === id))
      entities.push({ type: "mention", text: tag, mentioned: { id, name: nameOf(id) } });
  }
  out += escapeWords(text.slice(last));
  return { text: out, entities };
}

/** Cuts text to `max` characters, ending with "…" when something was cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Our answers in Teams markdown (`<@id>` become `<at>` mentions when sent): the shared words. */
export const teamsAnswers: AnswerFormat = {
  bold: (text) => `**${text}**`,
  userText: escapeMarkdown,
  date: (iso, zone) =>
    inZone(DateTime.fromISO(iso, { setZone: true }), zone).toFormat("ccc d LLL HH:mm ZZZZ"),
  mention: (userId) => `<@${userId}>`,
};
