import type { MessageBody } from "../../port.js";
import { clip, escapeMessageText, type Mention, type NameOf, withMentions } from "./text.js";

type Note = MessageBody & { type: "threadNote" | "notice" | "adminAlert" };

/**
 * A line in the ticket's thread (or a notice, or an admin alert): plain message text where every word is
 * escaped and only `<@id>` becomes a mention.
 */
export function noteMessage(body: Note, nameOf: NameOf): { text: string; entities: Mention[] } {
  const text = body.type === "adminAlert" ? `⚙️ Escalator: ${body.text}` : body.text;
  const rendered = withMentions(clip(text, 20_000), nameOf, escapeMessageText);
  return rendered;
}
