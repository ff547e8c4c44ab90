// A slash command's form, checked by hand rather than with zod: this module also runs in the front door
// thread (src/server/frontDoor.ts), where importing zod alone adds about 10 MB of resident memory (the thread
// has a heap of its own). The shape is the one every other Slack payload is checked against in payloads.ts.

export interface SlashCommandForm {
  command: string;
  text: string;
  user_id: string;
  team_id: string;
  channel_id: string;
  trigger_id: string;
  response_url: string;
  enterprise_id?: string;
  is_enterprise_install?: string;
  /** Identifies this invocation (team and trigger_id): a replay carries the same one. */
  key: string;
}

const ID_MAX = 255;
const TEXT_MAX = 40_000;
const URL_MAX = 2_000;

/** A slash command's form body, checked; undefined when the body is not one. */
export function readSlashCommand(raw: string): SlashCommandForm | undefined {
  const form = new URLSearchParams(raw);
  return form.has("payload") || form.has("ssl_check") ? undefined : slashCommandOf(form);
}

/** The form's fields when they are a slash command's: every id 1–255 characters, a URL to answer. */
export function slashCommandOf(form: URLSearchParams): SlashCommandForm | undefined {
  const id = (name: string) => {
    const value = form.get(name);
    return value !== null && value.length >= 1 && value.length <= ID_MAX ? value : undefined;
  };
  const command = form.get("command") ?? "";
  const text = form.get("text") ?? "";
  const response_url = form.get("response_url") ?? "";
  const [user_id, team_id, channel_id, trigger_id] = ["user_id", "team_id", "channel_id", "trigger_id"].map(
    id,
  );
  if (!/^\/[\w-]{1,32}$/.test(command) || text.length > TEXT_MAX) return undefined;
  if (!user_id || !team_id || !channel_id || !trigger_id) return undefined;
  if (response_url.length > URL_MAX || !URL.canParse(response_url)) return undefined;
  const enterprise_id = form.get("enterprise_id");
  const is_enterprise_install = form.get("is_enterprise_install");
  if (enterprise_id !== null && id("enterprise_id") === undefined) return undefined;
  if (is_enterprise_install !== null && is_enterprise_install.length > 10) return undefined;
  return {
    command,
    text,
    user_id,
    team_id,
    channel_id,
    trigger_id,
    response_url,
    ...(enterprise_id !== null && { enterprise_id }),
    ...(is_enterprise_install !== null && { is_enterprise_install }),
    key: `${team_id}:${trigger_id}`,
  };
}
