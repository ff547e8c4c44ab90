import type { Lane, LaneKit } from "../../src/server/frontDoor.js";

/**
 * A lane for the front door's own tests (it runs in the thread): a body of `mine` is answered here, `throw`
 * makes the lane fail, `crash` ends the thread; anything else is left to the service.
 */
export function openLane(options: { path: string }, kit: LaneKit): Lane {
  return {
    path: options.path,
    async answer(_req, body, res) {
      const text = body.toString("utf8");
      if (text === "crash") process.exit(3);
      if (text === "throw") throw new Error("the lane broke");
      if (text !== "mine") return false;
      kit.logger.warn({ bytes: body.length }, "the lane took it");
      kit.note({ kind: "queued", platform: "test" });
      res.writeHead(200, { "content-type": "text/plain" }).end("answered by the lane");
      return true;
    },
  };
}
