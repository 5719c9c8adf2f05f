/** Report → JSON, CSV (RFC 4180) and GFM markdown. Pure. */
import type { ComparisonReport } from "../report/schema.js";
import { grouped, optionSummary, pct } from "./format.js";
import { memoryCell } from "./memory-cell.js";
import { sizeCell, sizeNote } from "./size-cell.js";

export function renderJson(report: ComparisonReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const CSV_HEADER = ["model", "task", "method", "options", "trainableParams", "allParams", "baseParams", "percentOfAll", "percentOfFull"] as const;

export function renderCsv(report: ComparisonReport): string {
  const mem = report.memorySetup !== undefined;
  const size = sizeNote(report) !== undefined;
  const lines = [[...CSV_HEADER, ...(mem ? ["memoryPerGpuBytes", "memoryFits"] : []), ...(size ? ["dtype", "adapterBytes"] : [])].join(",")];
  for (const r of report.rows)
    lines.push(
      [report.model.id, report.model.task, r.method, optionSummary(r), r.trainableParams, r.allParams, r.baseParams, r.percentOfAll, r.percentOfFull, ...(mem ? [r.memory?.perGpuBytes ?? "", r.memory?.fits === undefined || r.memory.fits === null ? "" : String(r.memory.fits)] : []), ...(size ? [r.adapterSize?.dtype ?? "", r.adapterSize?.bytes ?? ""] : [])]
        .map(csvCell)
        .join(","),
    );
  return `${lines.join("\r\n")}\r\n`;
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|");

export function renderMarkdown(report: ComparisonReport): string {
  const m = report.model;
  const mem = report.memorySetup !== undefined;
  const size = sizeNote(report);
  const lines = [
    `**${mdCell(m.id)}** — ${m.modelClass} (${m.task}), ${grouped(m.baseParams)} parameters${m.transforms?.length ? `, after --transform ${m.transforms.map((t) => `\`${mdCell(t.text)}\``).join(", ")}` : ""}`,
    "",
    `| Method | Options | Trainable | All params | % of all (PEFT) | % of full FT |${mem ? " Memory / GPU |" : ""}${size ? " Adapter file |" : ""}`,
    `| --- | --- | ---: | ---: | ---: | ---: |${mem ? " ---: |" : ""}${size ? " ---: |" : ""}`,
    ...report.rows.map(
      (r) => `| ${mdCell(r.title)} | ${mdCell(optionSummary(r))} | ${grouped(r.trainableParams)} | ${grouped(r.allParams)} | ${pct(r.percentOfAll)} | ${pct(r.percentOfFull)} |${mem ? ` ${memoryCell(r)} |` : ""}${size ? ` ${sizeCell(r)} |` : ""}`,
    ),
    ...(mem ? ["", `Memory: model states per GPU (weights, adapter, gradients, optimizer states; no activations), ${mdCell(report.memorySetup!)}.`] : []),
    ...(size ? ["", `${mdCell(size.charAt(0).toUpperCase() + size.slice(1))}.`] : []),
  ];
  return `${lines.join("\n")}\n`;
}
