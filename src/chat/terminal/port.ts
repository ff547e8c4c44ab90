import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../../clock.js";
import { coerceError } from "../../logger.js";
import { drawDigestChart } from "../../reports/chartProcess.js";
import type { ChatPort, Delivered, OutgoingMessage } from "../port.js";
import { renderForTerminal } from "./render.js";

/**
 * Prints what the bot sends. Message ids are a counter; the card keeps its id when edited. A terminal shows
 * no images: the digest's chart is written as a PNG file under `chartDir` (DATA_DIR/digests), and its path
 * printed under the text, for a person to open.
 */
export class TerminalChat implements ChatPort {
  readonly platform = "terminal" as const;
  private counter = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly clock: Clock,
    private readonly chartDir?: string,
  ) {}

  async send(message: OutgoingMessage): Promise<Delivered> {
    const chart = await this.chartFile(message);
    const text = renderForTerminal(message, this.clock.now());
    this.write("path" in chart ? `${text}\n    📈 chart: ${chart.path}` : text);
    const channelId =
      message.edit?.channelId ?? message.destination.channelId ?? message.destination.userId ?? "dm";
    const delivered = { channelId, messageId: message.edit?.messageId ?? `t${++this.counter}` };
    return "degraded" in chart ? { ...delivered, degraded: chart.degraded } : delivered;
  }

  private async chartFile(
    message: OutgoingMessage,
  ): Promise<{ path: string } | { degraded: string } | { none: true }> {
    const body = message.body;
    if (body.type !== "digest" || !body.chart || !this.chartDir) return { none: true };
    const path = join(this.chartDir, `${body.chart.week}.png`);
    try {
      await mkdir(this.chartDir, { recursive: true });
      await writeFile(path, await drawDigestChart(body.chart));
      return { path };
    } catch (thrown) {
      return {
        degraded: `the digest's chart could not be written to ${path} (${coerceError(thrown).message})`,
      };
    }
  }
}
