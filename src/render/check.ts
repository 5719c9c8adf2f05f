/** `check` output: the limits with pass / fail and by how much (table and GFM markdown for a PR comment). Pure. */
import type { ChalkInstance } from "chalk";
import type { CheckSection, GatesReport, LimitResult, SizedRow } from "../report/gates-schema.js";
import { formatBytes } from "../budget/units.js";
import { grouped, optionSummary, pct } from "./format.js";
import { grid } from "./grid.js";
import { renderTable } from "./table.js";

const LABEL: Readonly<Record<LimitResult["limit"], string>> = {
  maxTrainable: "max trainable",
  maxPercent: "max % of all (PEFT)",
  maxPercentOfFull: "max % of full FT",
  maxAdapterSize: "max adapter size",
  failOnUnmatchedTargets: "every target matches",
};

function value(l: LimitResult, v: number | string | boolean | readonly string[]): string {
  if (l.limit === "failOnUnmatchedTargets") return Array.isArray(v) ? (v.length ? v.map((t) => `"${t}"`).join(", ") : "all match") : "yes";
  if (typeof v !== "number") return String(v);
  if (l.limit === "maxTrainable") return grouped(v);
  if (l.limit === "maxAdapterSize") return `${grouped(v)} B (${formatBytes(v)})`;
  return `${pct(v)}%`;
}

function overText(l: LimitResult): string {
  if (l.pass) return "pass";
  if (l.limit === "failOnUnmatchedTargets") return `FAIL: ${(l.actual as string[]).length} target(s) match no module`;
  const by = l.over ?? 0;
  const rel = typeof l.max === "number" && l.max > 0 ? ` (+${((100 * by) / l.max).toFixed(1)}%)` : "";
  return `FAIL: over by ${l.limit === "maxTrainable" ? grouped(by) : l.limit === "maxAdapterSize" ? `${grouped(by)} B` : `${pct(by)} points`}${rel}`;
}

export function sizeLine(row: SizedRow): string | undefined {
  const s = row.adapterSize;
  if (!s) return undefined;
  const dtype = s.adapterDtype === s.dtype ? s.dtype : `${s.dtype} model, adapter weights ${s.adapterDtype}`;
  return `adapter_model.safetensors (${dtype}): ${formatBytes(s.bytes)} = ${grouped(s.bytes)} bytes (${s.tensors} tensors, header ${grouped(s.headerBytes)} bytes${s.headerExact ? "" : ", header estimated"})`;
}

function checkGrid(check: CheckSection, c: ChalkInstance, width: number | undefined): string {
  return grid(
    ["Limit", "Max", "Actual", "Result"],
    ["left", "right", "right", "left"],
    check.limits.map((l) => [LABEL[l.limit], value(l, l.max), value(l, l.actual), l.pass ? c.green("pass") : c.red(overText(l))]),
    c,
    { width, shrinkable: 3 },
  );
}

export function renderCheckTable(report: GatesReport, c: ChalkInstance, width: number | undefined): string {
  const check = report.check!;
  const row = report.rows[0]!;
  const failed = check.limits.filter((l) => !l.pass).length;
  const verdict = check.pass ? c.green(`check passed: ${check.limits.length} limit(s) hold`) : c.red(`check failed: ${failed} of ${check.limits.length} limit(s) exceeded`);
  const size = sizeLine(row);
  const from = check.limitsFile ? c.dim(`limits from ${check.limitsFile}`) : undefined;
  // a failing check shows the per-module breakdown that makes up the count
  return [renderTable(report, c, { parts: !check.pass, width }).trimEnd(), ...(size ? [size] : []), checkGrid(check, c, width), ...(from ? [from] : []), verdict].join("\n\n") + "\n";
}

const md = (s: string) => s.replace(/\|/g, "\\|");

/** A GitHub PR comment: verdict, the limits, the row, the breakdown folded. */
export function renderCheckMarkdown(report: GatesReport): string {
  const check = report.check!;
  const row = report.rows[0]!;
  const m = report.model;
  const lines = [
    `### ${check.pass ? "✅ peftcount check passed" : "❌ peftcount check failed"}`,
    "",
    `**${md(row.title)}** ${md(optionSummary(row))} on **${md(m.id)}** (${m.modelClass}, ${m.task}): ${grouped(row.trainableParams)} trainable of ${grouped(row.allParams)} (${pct(row.percentOfAll)}% of all, ${pct(row.percentOfFull)}% of full FT)`,
    ...(row.adapterSize ? ["", md(sizeLine(row)!)] : []),
    "",
    "| Limit | Max | Actual | Result |",
    "| --- | ---: | ---: | --- |",
    ...check.limits.map((l) => `| ${LABEL[l.limit]} | ${md(value(l, l.max))} | ${md(value(l, l.actual))} | ${l.pass ? "✅ pass" : `❌ ${md(overText(l).replace(/^FAIL: /, ""))}`} |`),
    "",
    `<details${check.pass ? "" : " open"}><summary>Trainable parameters by module</summary>`,
    "",
    "| Module · tensor | Modules | Trainable |",
    "| --- | ---: | ---: |",
    ...row.parts.map((p) => `| \`${md(p.name)}\` | ${p.modules} | ${grouped(p.count)} |`),
    "",
    "</details>",
  ];
  return `${lines.join("\n")}\n`;
}
