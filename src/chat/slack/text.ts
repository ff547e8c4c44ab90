/**
 * What people type reaches Escalator as Slack markup: `&`, `<` and `>` as entities, and mentions, channels,
 * special mentions and links as `<…>` control sequences. Every inbound boundary (the `/ticket` and `/oncall`
 * texts, thread replies, the message a shortcut starts from) reads it once with `fromSlack` and the ticket
 * service stores plain text; the renderer escapes it again where it enters mrkdwn (render.ts). Values typed
 * into a modal's plain_text_input arrive as typed, without entities, and are stored as they are.
 */

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&" };

export interface FromSlackOptions {
  /** How a user mention reads; default `@label` (or `@U…` without a label). */
  user?: (id: string, label: string | undefined) => string;
}

/**
 * Slack markup → plain words: `<@U1|ann>` → `@ann`, `<#C1|general>` → `#general`, `<!here>` → `@here`,
 * `<!subteam^S1|@team>` → `@team`, `<https://x|click>` → `click (https://x)`, `&amp;` → `&`. Entities are
 * decoded last and once, so `&amp;lt;` stays `&lt;`.
 */
export function fromSlack(text: string | undefined, options: FromSlackOptions = {}): string {
  if (!text) return "";
  const decoded = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => controlSequence(inner, options));
  return decoded.replace(/&(lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

/**
 * Only the entities decoded (`R&amp;D` → `R&D`), the control sequences kept as Slack sent them: the agents'
 * `/ticket` moves read ids from `<@U1|ann>` and `<#C1|general>` (assign to, search in that channel).
 */
export function decodeEntities(text: string | undefined): string {
  if (!text) return "";
  return text
    .split(/(<[^<>]*>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&(lt|gt|amp);/g, (e) => ENTITIES[e] ?? e)))
    .join("");
}

function controlSequence(inner: string, options: FromSlackOptions): string {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return options.user ? options.user(id, label) : `@${label ?? id}`;
  }
  if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
  if (target.startsWith("!")) {
    const special = target.slice(1).split("^")[0] ?? "";
    if (label) return special === "subteam" || special === "date" ? label : `@${label.replace(/^@/, "")}`;
    return `@${special}`;
  }
  const url = target.replace(/^mailto:/, "");
  return label && label !== url && label !== target ? `${label} (${url})` : url;
}
