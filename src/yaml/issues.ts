import type { z } from "zod";
import { didYouMean } from "../suggest.js";

/**
 * "Did you mean" for a file checked by a zod schema: an unknown key is reported at its own line with the
 * closest key the schema accepts there, and a value outside a fixed list with the closest allowed value.
 * Shared by the policy and schedule loaders.
 */

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

/** The object and array schemas `schema` may be, through optional, default, pipe and union. */
function shapes(schema: z.core.$ZodType): Def[] {
  const def = defOf(schema);
  if (def.innerType) return shapes(def.innerType);
  if (def.type === "pipe" && def.in) return shapes(def.in);
  if (def.type === "union" && def.options) return def.options.flatMap(shapes);
  return [def];
}

/** Every key an object at `path` may have (across the options of a union on the way). */
export function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let here = shapes(schema);
  for (const step of path) {
    here = here.flatMap((def) => {
      if (typeof step === "number" && def.element) return shapes(def.element);
      const child = typeof step === "string" ? def.shape?.[step] : undefined;
      return child ? shapes(child) : [];
    });
  }
  return [...new Set(here.flatMap((def) => Object.keys(def.shape ?? {})))];
}

export interface KeyProblem {
  path: PropertyKey[];
  message: string;
}

/** One problem per unknown key, at the key itself: `unknown key "fallbak" (did you mean fallback?)`. */
export function unknownKeyProblems(
  schema: z.core.$ZodType,
  path: PropertyKey[],
  keys: readonly string[],
): KeyProblem[] {
  const known = keysAt(schema, path);
  return keys.map((key) => ({
    path: [...path, key],
    message: `unknown key "${key}"${didYouMean(key, known)}; expected one of ${known.join(", ")}`,
  }));
}

/** " (did you mean hours?)" for a value outside an enum, read back from the parsed document. */
export function valueSuggestion(
  document: unknown,
  path: readonly PropertyKey[],
  allowed: readonly unknown[],
) {
  let value: unknown = document;
  for (const step of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[step];
  if (typeof value !== "string") return "";
  return didYouMean(
    value,
    allowed.filter((v): v is string => typeof v === "string"),
  );
}

/**
 * zod issues as problems a person can act on. A union reports only "no option matched"; with
 * `openUnions: "always"` the option that came closest (fewest issues) says more instead, and with
 * `"unknownKeys"` it does only when all it says is unknown keys (so a union's own message stays).
 */
export function readableIssues(
  schema: z.core.$ZodType,
  document: unknown,
  issues: readonly z.core.$ZodIssue[],
  openUnions: "always" | "unknownKeys",
  base: PropertyKey[] = [],
): KeyProblem[] {
  return issues.flatMap((issue): KeyProblem[] => {
    const path = [...base, ...issue.path];
    if (issue.code === "unrecognized_keys") return unknownKeyProblems(schema, path, issue.keys);
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      if (openUnions === "always") return readableIssues(schema, document, best, openUnions, path);
      const unknown = keysUnknownToEveryOption(issue.errors);
      return [{ path, message: issue.message }, ...unknownKeyProblems(schema, path, unknown)];
    }
    if (issue.code === "invalid_value")
      return [{ path, message: issue.message + valueSuggestion(document, path, issue.values) }];
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    return [{ path, message: missing ? `missing: expected ${issue.expected}` : issue.message }];
  });
}

/** Keys at a union's own level that no object option accepts (`{ persn: ana }` where person was meant). */
function keysUnknownToEveryOption(options: readonly (readonly z.core.$ZodIssue[])[]): string[] {
  const perOption = options
    .map((issues) => issues.filter((i) => i.code === "unrecognized_keys" && i.path.length === 0))
    .filter((issues) => issues.length > 0)
    .map((issues) => new Set(issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys : []))));
  const [first, ...rest] = perOption;
  return first ? [...first].filter((key) => rest.every((keys) => keys.has(key))) : [];
}
