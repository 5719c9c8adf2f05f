/**
 * The one table style of every renderer: bold headers from our chalk instance (cli-table3 would colour
 * them itself, even when piped), a rule under the header row and none between rows, numbers right-aligned
 * by the caller. Given a width (the terminal's), the table is fitted step by step until it fits: columns
 * the caller marks droppable go first (lowest priority first), then the shrinkable column is cut with "…";
 * or, with `steps`, the caller's own sequence of abbreviations, drops and cuts. Numbers are never abbreviated.
 */
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";

export type Align = "left" | "right";

/** One fitting step: leave a column out, rewrite its cells shorter, or cut its cells with "…". */
export type FitStep = { readonly drop: number } | { readonly abbreviate: number; readonly with: (cell: string) => string } | { readonly shrink: number };

export interface Fit {
  /** terminal width; undefined = no limit (piped) */
  readonly width?: number | undefined;
  /** column indexes that may be left out, first dropped first */
  readonly droppable?: readonly number[];
  /** a text column that may be cut to fit (after the drops) */
  readonly shrinkable?: number;
  /** instead of droppable/shrinkable: the steps to try, in order, until the table fits */
  readonly steps?: readonly FitStep[];
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
  let body = rows;
  const pick = (xs: readonly string[]) => cols.map((i) => xs[i]!);
  const draw = () => render(pick(head), pick(aligns) as Align[], body.map(pick), c);
  let out = draw();
  const width = fit.width;
  if (width === undefined || widthOf(out) <= width) return out;
  const steps: readonly FitStep[] = fit.steps ?? [...(fit.droppable ?? []).map((drop) => ({ drop })), ...(fit.shrinkable === undefined ? [] : [{ shrink: fit.shrinkable }])];
  for (const step of steps) {
    if ("drop" in step) cols = cols.filter((i) => i !== step.drop);
    else if ("abbreviate" in step) body = body.map((r) => r.map((cell, i) => (i === step.abbreviate ? step.with(cell) : cell)));
    else {
      const s = step.shrink;
      if (!cols.includes(s)) continue;
      const longest = Math.max(visible(head[s]!), ...body.map((r) => visible(r[s]!)));
      const max = Math.max(visible(head[s]!), longest - (widthOf(out) - width));
      body = body.map((r) => r.map((cell, i) => (i === s ? cut(cell, max) : cell)));
    }
    out = draw();
    if (widthOf(out) <= width) return out;
  }
  return out;
}
