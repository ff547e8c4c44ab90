import { createServer } from "node:net";

/** A TCP port free on loopback right now (for a child process to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Waits until `path` answers 200; how long that takes is the machine's business (the test timeout bounds it). */
export async function waitFor(port: number, path = "/healthz"): Promise<void> {
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const waitHealthy = (port: number): Promise<void> => waitFor(port);
