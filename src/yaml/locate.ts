import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";

/**
 * YAML read so that a problem found later (by zod, or by a cross-check) can be reported at its line:
 * `policies/wetx.yaml:14 targets[2].within: …`. Shared by the policy, schedule and people files.
 */
export interface LocatedYaml {
  doc: Document;
  /** The document as plain values; undefined when there are syntax errors (aliases are bounded). */
  value: unknown;
  /** Syntax errors, each with its line. */
  syntaxErrors: { line: number; message: string }[];
  /** The line of the deepest node that exists on `path` (a missing key points at its parent). */
  lineOf(path: readonly PropertyKey[]): number;
}

export function parseLocatedYaml(text: string): LocatedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntaxErrors = doc.errors.map((e) => ({
    line: lines.linePos(e.pos[0]).line,
    message: e.message.split("\n")[0] ?? e.message,
  }));
  return {
    doc,
    value: syntaxErrors.length === 0 ? plainValue(doc, syntaxErrors) : undefined,
    syntaxErrors,
    lineOf(path) {
      const key = keyLine(doc, path);
      if (key !== undefined) return lines.linePos(key).line;
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true) as
          | { range?: [number, number, number] }
          | undefined;
        if (node?.range) return lines.linePos(node.range[0]).line;
      }
      return 1;
    },
  };
}

/** `targets[2].within`; the empty path is the file's top level. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("");
}

/**
 * The document's values. An alias to a missing anchor, or aliases that multiply into a huge document (an
 * "alias bomb"), are reported as syntax errors instead of thrown.
 */
function plainValue(doc: Document, errors: { line: number; message: string }[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push({ line: 1, message: message.split("\n")[0] ?? message });
    return undefined;
  }
}

/** Where the last key of `path` is written (a block value starts on a later line than its key). */
function keyLine(doc: Document, path: readonly PropertyKey[]): number | undefined {
  if (path.length === 0 || typeof path.at(-1) !== "string") return undefined;
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
}
