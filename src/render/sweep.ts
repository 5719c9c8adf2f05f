/**
 * `sweep` output: one row per knob value — counts, share of the model, adapter file size — as a table with a
 * bar chart (fitted to the terminal width; Unicode blocks in colour on a terminal, plain `#` when piped or
 * with NO_COLOR), CSV, or GFM markdown. Pure.
 */
import type { ChalkInstance } from "chalk";
import type { GatesReport } from "../report/gates-schema.js";
import { formatBytes } from "../budget/units.js";
import { compact, grouped, optionSummary, pct } from "./format.js";
import { grid } from "./grid.js";

export interface ChartStyle {
  /** Unicode blocks (eighths) rather than ASCII `#` */
  readonly unicode: boolean;
  /** terminal width; undefined when piped (bars then get 40 columns) */
  readonly width?: number | undefined;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar of `value / max` of `cols` columns. */
export function bar(value: number, max: number, cols: number, unicode: boolean): string {
  if (max <= 0 || cols <= 0) return "";
  const exact = (value / max) * cols;
  if (!unicode) return "#".repeat(Math.max(value > 0 ? 1 : 0, Math.round(exact)));
  const full = Math.floor(exact);
  const rest = Math.round((exact - full) * 8);
  const tail = rest === 8 ? "█" : EIGHTHS[rest]!;
  const s = "█".repeat(full) + tail;
  return s === "" && value > 0 ? "▏" : s;
}

export function renderSweepTable(report: GatesReport, c: ChalkInstance, style: ChartStyle): string {
  const knob = report.sweep!.knob;
  const rows = report.rows;
  const sized = rows.some((r) => r.adapterSize);
  const head = [knob, "Trainable", "≈", rows[0]?.library === "adapters" ? "% of all" : "% of all (PEFT)", ...(sized ? [rows[0]?.adapterSize ? `Adapter (${rows[0].adapterSize.dtype})` : "Adapter file"] : [])];
  const cells = rows.map((r) => [String(r.options[knob]), grouped(r.trainableParams), compact(r.trainableParams), pct(r.percentOfAll), ...(r.adapterSize ? [formatBytes(r.adapterSize.bytes)] : [])]);
  const aligns = head.map((_, i) => (i === 0 ? "right" : "right") as "right");
  // measure the table without bars, then give the bars what the terminal has left
  const bare = grid(head, aligns, cells, c).split("\n")[0]!.length;
  const cols = style.width === undefined ? 40 : Math.max(0, Math.min(60, style.width - bare - 3));
  const max = Math.max(0, ...rows.map((r) => r.trainableParams));
  const withBars = cols >= 5;
  const table = grid(
    withBars ? [...head, ""] : head,
    withBars ? [...aligns, "left"] : aligns,
    withBars ? cells.map((cell, i) => [...cell, c.cyan(bar(rows[i]!.trainableParams, max, cols, style.unicode))]) : cells,
    c,
  );
  const m = report.model;
  const first = rows[0];
  const title = `${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters`;
  const what = first ? `${c.cyan(first.title)}  ${optionSummary({ ...first, options: Object.fromEntries(Object.entries(first.options).filter(([k]) => k !== knob)) })}`.trimEnd() : "";
  return [title, `${what}  sweeping ${knob}`, table].join("\n\n") + "\n";
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const SWEEP_CSV_HEADER = ["model", "task", "method", "knob", "value", "trainableParams", "allParams", "baseParams", "percentOfAll", "percentOfFull", "dtype", "adapterBytes"] as const;

export function renderSweepCsv(report: GatesReport): string {
  const knob = report.sweep!.knob;
  const lines = [SWEEP_CSV_HEADER.join(",")];
  for (const r of report.rows)
    lines.push(
      [report.model.id, report.model.task, r.method, knob, String(r.options[knob]), r.trainableParams, r.allParams, r.baseParams, r.percentOfAll, r.percentOfFull, r.adapterSize?.dtype ?? "", r.adapterSize?.bytes ?? ""]
        .map(csvCell)
        .join(","),
    );
  return `${lines.join("\r\n")}\r\n`;
}

export function renderSweepMarkdown(report: GatesReport): string {
  const knob = report.sweep!.knob;
  const m = report.model;
  const sized = report.rows.some((r) => r.adapterSize);
  const dtype = report.rows[0]?.adapterSize?.dtype;
  const lines = [
    `**${m.id}** — ${m.modelClass} (${m.task}), ${grouped(m.baseParams)} parameters; ${report.rows[0]?.title ?? ""} by \`${knob}\``,
    "",
    `| ${knob} | Trainable | ${report.rows[0]?.library === "adapters" ? "% of all" : "% of all (PEFT)"} | % of full FT |${sized ? ` Adapter (${dtype}) |` : ""}`,
    `| ---: | ---: | ---: | ---: |${sized ? " ---: |" : ""}`,
    ...report.rows.map((r) => `| ${String(r.options[knob])} | ${grouped(r.trainableParams)} | ${pct(r.percentOfAll)} | ${pct(r.percentOfFull)} |${sized ? ` ${r.adapterSize ? formatBytes(r.adapterSize.bytes) : ""} |` : ""}`),
  ];
  return `${lines.join("\n")}\n`;
}
