/**
 * The one table style of every renderer: bold headers from our chalk instance (cli-table3 would colour
 * them itself, even when piped), no lines between rows, numbers right-aligned by the caller.
 */
import Table from "cli-table3";
import type { ChalkInstance } from "chalk";

const NO_ROW_LINES = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

export type Align = "left" | "right";

export function grid(head: readonly string[], aligns: readonly Align[], rows: readonly string[][], c: ChalkInstance): string {
  const t = new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [] }, colAligns: [...aligns], chars: NO_ROW_LINES });
  t.push(...rows.map((r) => [...r]));
  return t.toString();
}
