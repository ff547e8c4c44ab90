import type { IncomingMessage } from "node:http";

/** Chat platforms' requests are far smaller; anything bigger is refused before it is read whole. */
export const maxBodyBytes = 1_000_000;

/** The request's body, or undefined when it is over `maxBodyBytes` (read to the end and dropped). */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped, so the connection stays usable for the 413.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= maxBodyBytes) chunks.push(chunk as Buffer);
  }
  return size > maxBodyBytes ? undefined : Buffer.concat(chunks);
}
