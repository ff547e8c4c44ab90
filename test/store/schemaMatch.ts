import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { SqlDriver } from "../../src/store/db.js";

// Prisma's own schema parser (the WebAssembly build the CLI uses), so the expectation comes from
// schema.prisma itself and not from a copy of it.
const require = createRequire(import.meta.url);
const schemaWasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  hasDefaultValue: boolean;
  default?: { name: string } | string | number | boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}

export function expectedSchema(schemaPath = "prisma/schema.prisma") {
  const text = readFileSync(schemaPath, "utf8");
  const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", text]] })));
  const models = dmmf.datamodel.models as DmmfModel[];
  const indexes = dmmf.datamodel.indexes as DmmfIndex[];
  return {
    tables: models.map((m) => ({
      table: m.dbName ?? m.name,
      columns: m.fields
        .filter((f) => f.kind === "scalar" || f.kind === "enum")
        .map((f) => ({
          name: f.dbName ?? f.name,
          type: sqlType(f),
          nullable: !f.isRequired,
          default: sqlDefault(f),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      indexes: indexes
        .filter((i) => i.model === m.name)
        .map(
          (i) =>
            `${i.type === "normal" ? "index" : i.type === "id" ? "primary" : "unique"}(${i.fields.map((f) => f.name).join(",")})`,
        )
        .sort(),
      foreignKeys: m.fields
        .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
        .map(
          (f) =>
            `${f.relationFromFields!.join(",")} -> ${f.type}(${f.relationToFields!.join(",")}) on delete ${onDelete(f)}`,
        )
        .sort(),
    })),
  };
}

function sqlType(f: DmmfField): string {
  const native = f.nativeType?.[0];
  if (native === "Uuid") return "uuid";
  if (native === "Timestamptz") return `timestamptz(${f.nativeType?.[1][0] ?? 6})`;
  const byType: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    Json: "jsonb",
    DateTime: "timestamp(3)",
    Float: "double precision",
  };
  return byType[f.type] ?? f.type;
}

function sqlDefault(f: DmmfField): string | null {
  if (!f.hasDefaultValue || f.default === undefined) return null;
  if (typeof f.default === "object") {
    if (f.default.name === "autoincrement") return "serial";
    if (f.default.name === "now") return "CURRENT_TIMESTAMP";
    return null; // uuid(), cuid(): filled in by the client, not the database
  }
  if (typeof f.default === "string") return `'${f.default}'`;
  return String(f.default);
}

function onDelete(f: DmmfField): string {
  // Prisma's defaults: Restrict for required relations, SetNull for optional ones.
  return (f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull"))
    .toUpperCase()
    .replace("SETNULL", "SET NULL");
}

/** Reads the same facts back from a migrated database's catalog. */
export async function actualSchema(sql: SqlDriver, tables: string[]) {
  return {
    tables: await Promise.all(
      tables.map(async (table) => ({
        table,
        columns: await columnsOf(sql, table),
        indexes: await indexesOf(sql, table),
        foreignKeys: await foreignKeysOf(sql, table),
      })),
    ),
  };
}

async function columnsOf(sql: SqlDriver, table: string) {
  const rows = await sql.query<{ name: string; type: string; nullable: boolean; def: string | null }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
            pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = format('%I', $1::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attname`,
    [table],
  );
  return rows
    .map((r) => ({
      name: r.name,
      type: normaliseType(r.type),
      nullable: r.nullable,
      default: normaliseDefault(r.def),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function normaliseType(type: string): string {
  return type
    .replace(/^timestamp\((\d)\) with time zone$/, "timestamptz($1)")
    .replace(/^timestamp\((\d)\) without time zone$/, "timestamp($1)");
}

function normaliseDefault(def: string | null): string | null {
  if (def === null) return null;
  if (def.startsWith("nextval(")) return "serial";
  return def.replace(/::(text|jsonb)$/, "");
}

async function indexesOf(sql: SqlDriver, table: string) {
  const rows = await sql.query<{ primary: boolean; unique: boolean; columns: string[] | string }>(
    `SELECT i.indisprimary AS primary, i.indisunique AS unique,
            array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
       FROM pg_index i WHERE i.indrelid = format('%I', $1::text)::regclass
        -- Expression indexes (full-text search) cannot be written in schema.prisma; their migration says so.
        AND NOT (0 = ANY(i.indkey::int2[]))`,
    [table],
  );
  return rows
    .map((r) => `${r.primary ? "primary" : r.unique ? "unique" : "index"}(${pgArray(r.columns).join(",")})`)
    .sort();
}

async function foreignKeysOf(sql: SqlDriver, table: string) {
  const rows = await sql.query<{
    cols: string[] | string;
    ref: string;
    refcols: string[] | string;
    del: string;
  }>(
    `SELECT array(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY k.o)::text[] AS cols,
            c.confrelid::regclass::text AS ref,
            array(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY k.o)::text[] AS refcols,
            CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION' ELSE 'SET DEFAULT' END AS del
       FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = format('%I', $1::text)::regclass`,
    [table],
  );
  return rows
    .map(
      (r) =>
        `${pgArray(r.cols).join(",")} -> ${r.ref.replaceAll('"', "")}(${pgArray(r.refcols).join(",")}) on delete ${r.del}`,
    )
    .sort();
}

/** node-postgres parses text[]; PGlite may hand back the literal "{a,b}". */
function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter(Boolean)
    .map((s) => s.replace(/^"|"$/g, ""));
}
