/** Plain output formats for operator reports: an aligned text table, CSV (RFC 4180), JSON. */
export type Format = "table" | "csv" | "json";
export const formats: Format[] = ["table", "csv", "json"];

export type Cell = string | number | null;

export function formatRows(rows: Record<string, Cell>[], columns: string[], format: Format): string {
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === "csv")
    return `${[columns, ...rows.map((r) => columns.map((c) => r[c] ?? null))].map(csvLine).join("\n")}\n`;
  return textTable(rows, columns);
}

function csvLine(cells: Cell[]): string {
  return cells
    .map((cell) => {
      const text = cell === null ? "" : String(cell);
      return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(",");
}

function textTable(rows: Record<string, Cell>[], columns: string[]): string {
  const text = (cell: Cell | undefined) => (cell === null || cell === undefined ? "—" : String(cell));
  const cells = [columns, ...rows.map((r) => columns.map((c) => text(r[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  // Numbers and percentages line up on the right.
  const numeric = columns.map((c) => rows.every((r) => r[c] === null || /^-?[\d.]+%?$/.test(String(r[c]))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(cells[0]!), widths.map((w) => "─".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n")}\n`;
}
