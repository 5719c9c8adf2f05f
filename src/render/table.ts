/** Report → terminal table (cli-table3), then the per-method breakdown. Pure: returns the text. */
import Table from "cli-table3";
import type { ChalkInstance } from "chalk";
import type { ComparisonReport, Row } from "../report/schema.js";
import { compact, grouped, optionSummary, pct } from "./format.js";

function tableOf(head: string[], aligns: ("left" | "right")[], rows: string[][], c: ChalkInstance): string {
  const t = new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [] }, colAligns: aligns });
  t.push(...rows);
  return t.toString();
}

function breakdown(row: Row, c: ChalkInstance): string {
  const lines = [`${c.cyan(row.title)}  ${optionSummary(row)}`.trimEnd()];
  const width = Math.max(0, ...row.parts.map((p) => p.name.length));
  const num = Math.max(0, ...row.parts.map((p) => grouped(p.count).length));
  for (const p of row.parts) lines.push(`  ${p.name.padEnd(width)}  ×${String(p.modules).padEnd(5)} ${grouped(p.count).padStart(num)}`);
  for (const w of row.warnings) lines.push(c.yellow(`  warning: ${w}`));
  return lines.join("\n");
}

export function renderTable(report: ComparisonReport, c: ChalkInstance): string {
  const m = report.model;
  const title = `${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters`;
  const main = tableOf(
    ["Method", "Options", "Trainable", "", "All params", "% of all (PEFT)", "% of full FT"],
    ["left", "left", "right", "right", "right", "right", "right"],
    report.rows.map((r) => [c.cyan(r.title), optionSummary(r), grouped(r.trainableParams), compact(r.trainableParams), grouped(r.allParams), pct(r.percentOfAll), pct(r.percentOfFull)]),
    c,
  );
  const notes = m.notes.map((n) => c.dim(`note: ${n}`));
  const details = report.rows.filter((r) => r.method !== "full").map((r) => breakdown(r, c));
  const legend = c.dim(
    "trainable = requires_grad after the method (PEFT); all = model + what the method adds, tied weights once; " +
      "% of all = trainable / all (PEFT's trainable%); % of full FT = trainable / base",
  );
  return [title, main, ...notes, ...details, legend].join("\n\n") + "\n";
}
