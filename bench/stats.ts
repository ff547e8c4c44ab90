// How the benches summarise repeated measurements: one median, one quantile, one timer.

/** The value at quantile `q` (0–1) of `xs`, NaN when empty: 0.5 is the median (the upper middle of an even count). */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** `f`'s result, with the wall and CPU milliseconds (this process's) it took. */
export async function timed<T>(f: () => Promise<T>): Promise<{ value: T; cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
}

/** Runs `f` `n` times one after another: the first run's result, and the median wall and CPU ms of a run. */
export async function medianRun<T>(n: number, f: () => Promise<T>) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await timed(f));
  return {
    value: runs[0]!.value,
    cpuMs: median(runs.map((r) => r.cpuMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
  };
}

/** The median of `n` numbers `f` measures itself, one run after another. */
export async function medianOf(n: number, f: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await f());
  return median(xs);
}
