/** Report → terminal table (cli-table3), then the per-method breakdown. Pure: returns the text. */
import type { ChalkInstance } from "chalk";
import type { ComparisonReport, Row } from "../report/schema.js";
import { compact, grouped, optionSummary, pct } from "./format.js";
import { grid } from "./grid.js";
import { memoryCell } from "./memory-cell.js";
import { sizeCell, sizeNote } from "./size-cell.js";

/** One line per wrapped module group: its parameters side by side, then their sum. */
function breakdown(row: Row, c: ChalkInstance, width: number | undefined): string {
  const lines = [`${c.cyan(row.title)}  ${optionSummary(row)}`.trimEnd()];
  const groups = new Map<string, { modules: number; items: string[]; total: number }>();
  for (const p of row.parts) {
    const copy = p.name.endsWith(")");
    const cut = copy ? p.name.length : p.name.lastIndexOf(".");
    const key = p.name.slice(0, cut);
    const g = groups.get(key) ?? { modules: p.modules, items: [], total: 0 };
    if (!copy) g.items.push(`${p.name.slice(cut + 1)} ${grouped(p.count)}`);
    g.total += p.count;
    groups.set(key, g);
  }
  const keys = Math.max(0, ...[...groups.keys()].map((k) => k.length));
  const num = Math.max(0, ...[...groups.values()].map((g) => grouped(g.total).length));
  for (const [key, g] of groups) {
    const detail = g.items.length > 1 ? `(${g.items.join(" + ")})` : g.items.length === 1 ? `(${g.items[0]})` : "";
    const line = `  ${key.padEnd(keys)}  ×${String(g.modules).padEnd(4)} ${grouped(g.total).padStart(num)}`;
    // a narrow terminal gets the tensors on their own line, under the module
    if (detail === "") lines.push(line);
    else if (width === undefined || line.length + 2 + detail.length <= width) lines.push(`${line}${c.dim(`  ${detail}`)}`);
    else lines.push(line, c.dim(`    ${detail}`));
  }
  for (const w of row.warnings) lines.push(c.yellow(`  warning: ${w}`));
  return lines.join("\n");
}

export function renderTable(report: ComparisonReport, c: ChalkInstance, opts: { readonly parts?: boolean; readonly width?: number | undefined } = {}): string {
  const m = report.model;
  const active = m.activeParams !== undefined ? `, ${grouped(m.activeParams)} active per token${m.activeParamsWithoutEmbedding !== undefined && m.activeParamsWithoutEmbedding !== m.activeParams ? ` (${grouped(m.activeParamsWithoutEmbedding)} without the input embedding)` : ""}` : "";
  const transforms = m.transforms?.length ? `  after --transform ${m.transforms.map((t) => `"${t.text}"`).join(", ")}` : "";
  const title = `${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters${active}${transforms}`;
  const moe = report.rows.some((r) => r.activeTrainableParams !== undefined);
  const mem = report.memorySetup !== undefined;
  // compare --size: the adapter file column, dropped first on a narrow terminal (its note stays)
  const size = sizeNote(report);
  const sizeColumn = 7 + (moe ? 1 : 0) + (mem ? 1 : 0);
  const main = grid(
    ["Method", "Options", "Trainable", "≈", ...(moe ? ["Active trainable"] : []), "All params", "% of all (PEFT)", "% of full FT", ...(mem ? ["Memory / GPU"] : []), ...(size ? ["Adapter file"] : [])],
    ["left", "left", "right", "right", ...(moe ? (["right"] as const) : []), "right", "right", "right", ...(mem ? (["right"] as const) : []), ...(size ? (["right"] as const) : [])],
    report.rows.map((r) => [
      c.cyan(r.title),
      optionSummary(r),
      grouped(r.trainableParams),
      compact(r.trainableParams),
      ...(moe ? [r.activeTrainableParams === undefined ? "" : grouped(r.activeTrainableParams)] : []),
      grouped(r.allParams),
      pct(r.percentOfAll),
      pct(r.percentOfFull),
      ...(mem ? [memoryCell(r)] : []),
      ...(size ? [sizeCell(r)] : []),
    ]),
    c,
    // narrow terminals: drop % of all, the compact column, all params (in that order), then cut the options,
    // then the method titles (AdapterHub's are long)
    { width: opts.width, steps: [...[...(size ? [sizeColumn] : []), ...(moe ? [6, 3, 5] : [5, 3, 4])].map((drop) => ({ drop })), { shrink: 1 }, { shrink: 0 }] },
  );
  const notes = [...m.notes.map((n) => c.dim(`note: ${n}`)), ...(mem ? [c.dim(`memory: model states per GPU (weights, adapter, gradients, optimizer states; no activations), ${report.memorySetup}`)] : []), ...(size ? [c.dim(size)] : [])];
  const details = opts.parts === false ? [] : report.rows.filter((r) => r.method !== "full").map((r) => breakdown(r, c, opts.width));
  const legend = c.dim(
    [
      `trainable = requires_grad after the method (${conventions(report.rows)}); ≈ = the same, rounded`,
      "all = the model + what the method adds, tied weights once",
      "% of all = trainable / all (PEFT's trainable%); % of full FT = trainable / base",
    ].join("\n"),
  );
  return [title, main, ...notes, ...details, legend].join("\n\n") + "\n";
}

/** Whose requires_grad count the rows follow: PEFT's, AdapterHub's after train_adapter(), or both. */
function conventions(rows: readonly { readonly method: string; readonly library?: string | undefined }[]): string {
  const methods = rows.filter((r) => r.method !== "full");
  const hub = methods.some((r) => r.library === "adapters");
  const peft = methods.some((r) => r.library !== "adapters");
  return hub ? (peft ? "PEFT; AdapterHub: after train_adapter" : "AdapterHub: after train_adapter") : "PEFT";
}
