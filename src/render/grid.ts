/**
 * The one table style of every renderer: bold headers from our chalk instance (cli-table3 would colour
 * them itself, even when piped), a rule under the header row and none between rows, numbers right-aligned
 * by the caller. Given a width (the terminal's), columns the caller marks droppable go first (lowest
 * priority first), then the shrinkable column is cut with "…"; numbers are never abbreviated.
 */
import Table from "cli-table3";
import type { ChalkInstance } from "chalk";

export type Align = "left" | "right";

export interface Fit {
  /** terminal width; undefined = no limit (piped) */
  readonly width?: number | undefined;
  /** column indexes that may be left out, first dropped first */
  readonly droppable?: readonly number[];
  /** a text column that may be cut to fit */
  readonly shrinkable?: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, "").length;

function render(head: readonly string[], aligns: readonly Align[], rows: readonly string[][], c: ChalkInstance): string {
  const t = new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [] }, colAligns: [...aligns] });
  t.push(...rows.map((r) => [...r]));
  // cli-table3 rules every row; keep only the rule under the header
  let first = true;
  return t
    .toString()
    .split("\n")
    .filter((line) => !line.startsWith("├") || (first && !(first = false)))
    .join("\n");
}

const widthOf = (text: string) => Math.max(...text.split("\n").map(visible));

function cut(cell: string, max: number): string {
  const plain = cell.replace(ANSI, "");
  return plain.length <= max ? cell : `${plain.slice(0, Math.max(1, max - 1))}…`;
}

export function grid(head: readonly string[], aligns: readonly Align[], rows: readonly string[][], c: ChalkInstance, fit: Fit = {}): string {
  let cols = head.map((_, i) => i);
  const pick = (xs: readonly string[]) => cols.map((i) => xs[i]!);
  const draw = (r: readonly string[][] = rows) => render(pick(head), pick(aligns) as Align[], r.map(pick), c);
  let out = draw();
  const width = fit.width;
  if (width === undefined || widthOf(out) <= width) return out;
  for (const d of fit.droppable ?? []) {
    cols = cols.filter((i) => i !== d);
    out = draw();
    if (widthOf(out) <= width) return out;
  }
  const s = fit.shrinkable;
  if (s === undefined || !cols.includes(s)) return out;
  const longest = Math.max(visible(head[s]!), ...rows.map((r) => visible(r[s]!)));
  const max = Math.max(visible(head[s]!), longest - (widthOf(out) - width));
  return draw(rows.map((r) => r.map((cell, i) => (i === s ? cut(cell, max) : cell))));
}
