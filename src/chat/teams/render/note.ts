import type { MessageBody, RichText } from "../../port.js";
import { clip, escapeMessageText, type Mention, type NameOf, withMentions } from "./text.js";

type Note = MessageBody & { type: "threadNote" | "notice" | "adminAlert" };

/**
 * A line in the ticket's thread (or a notice, or an admin alert): message text where every word is escaped
 * and only people become mentions: from the note's structure (`parts`) when it has one, else from the
 * `<@id>` mentions of Escalator's own words.
 */
export function noteMessage(body: Note, nameOf: NameOf): { text: string; entities: Mention[] } {
  if (body.type === "threadNote" && body.parts) return richMessage(body.parts, nameOf);
  const text = body.type === "adminAlert" ? `⚙️ Escalator: ${body.text}` : body.text;
  return withMentions(clip(text, 20_000), nameOf, escapeMessageText);
}

/** The people a note names, for looking up their display names. */
export function notePeople(body: MessageBody): string[] {
  if (body.type !== "threadNote" || !body.parts) return [];
  return body.parts.flatMap((p) => (typeof p === "object" && "person" in p ? [p.person] : []));
}

function richMessage(parts: RichText, nameOf: NameOf): { text: string; entities: Mention[] } {
  // Typed words and our own words are both plain text here: escaped alike; people become mentions.
  const entities: Mention[] = [];
  let text = "";
  for (const part of parts) {
    if (typeof part === "string" || "typed" in part) {
      text += escapeMessageText(typeof part === "string" ? part : part.typed);
      continue;
    }
    const rendered = withMentions(`<@${part.person}>`, nameOf, (s) => s);
    text += rendered.text;
    for (const e of rendered.entities)
      if (!entities.some((x) => x.text === e.text && x.mentioned.id === e.mentioned.id)) entities.push(e);
  }
  return { text: clip(text, 20_000), entities };
}
