/** `budget` output: the chosen knob value with its exact count, and the next value's. Pure. */
import type { ChalkInstance } from "chalk";
import type { GatesReport } from "../report/gates-schema.js";
import { formatBytes } from "../budget/units.js";
import { grouped, optionSummary, pct } from "./format.js";
import { grid } from "./grid.js";

function targetText(b: NonNullable<GatesReport["budget"]>, library?: string): string {
  const v = b.target.value;
  switch (b.target.kind) {
    case "trainable":
      return `trainable ≤ ${grouped(Number(v))}`;
    case "adapter-size":
      return `adapter file ≤ ${grouped(Number(v))} bytes (${formatBytes(Number(v))})`;
    case "percent":
      return `closest to ${v}% of all parameters (${library === "adapters" ? "trainable / all" : "PEFT's trainable%"})`;
  }
}

export function renderBudgetText(report: GatesReport, c: ChalkInstance, width: number | undefined): string {
  const b = report.budget!;
  const m = report.model;
  const row = report.rows[0];
  const title = `${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters`;
  const knob = b.knob;
  const others = row ? optionSummary({ ...row, options: Object.fromEntries(Object.entries(row.options).filter(([k]) => k !== knob)) }) : "";
  const down = b.direction === "down";
  const same = b.same ? (b.same.open ? ` (every ${knob} from ${b.same.from} on gives the same count)` : ` (${knob} ${b.same.from}..${b.same.to} give the same count)`) : "";
  const answer =
    b.value === null
      ? c.red(`no ${knob} fits: ${knob}=${b.next?.value ?? "?"} already exceeds ${targetText(b, row?.library)}${down && b.next ? ` (the smallest count; ${knob} counts fall as it grows)` : ""}`)
      : `${b.target.kind === "percent" ? `${knob} ${targetText(b, row?.library)}` : `${down ? "smallest" : "largest"} ${knob} with ${targetText(b, row?.library)}`}: ${c.bold(`${knob}=${b.value}`)}${same}${b.plateau ? ` (the count stops growing with ${knob}: every larger value fits too)` : b.capped && !down ? ` (the search stops at ${b.value}; larger values may fit too)` : ""}`;
  const sized = report.rows.some((r) => r.adapterSize) || b.next?.adapterBytes !== undefined;
  const lines: string[][] = [];
  if (row && b.value !== null)
    lines.push([`${knob}=${b.value}`, grouped(row.trainableParams), pct(row.percentOfAll), ...(sized ? [row.adapterSize ? formatBytes(row.adapterSize.bytes) : ""] : []), "chosen"]);
  if (b.next) {
    const n = b.next;
    if (n.refused !== undefined) lines.push([`${knob}=${n.value}`, "", "", ...(sized ? [""] : []), `refused: ${n.refused}`]);
    else {
      const p = n.trainableParams !== undefined && n.allParams ? pct((100 * n.trainableParams) / n.allParams) : "";
      lines.push([`${knob}=${n.value}`, grouped(n.trainableParams ?? 0), p, ...(sized ? [n.adapterBytes !== undefined ? formatBytes(n.adapterBytes) : ""] : []), b.target.kind === "percent" ? (b.value !== null && n.value < b.value ? "next below" : "next above") : "next: does not fit"]);
    }
  }
  const table = grid(
    ["Value", "Trainable", row?.library === "adapters" ? "% of all" : "% of all (PEFT)", ...(sized ? [row?.adapterSize ? `Adapter (${row.adapterSize.dtype})` : "Adapter file"] : []), ""],
    ["left", "right", "right", ...(sized ? (["right"] as const) : []), "left"],
    lines,
    c,
    { width, shrinkable: sized ? 4 : 3 },
  );
  const method = row ? `${c.cyan(row.title)}  ${others}`.trimEnd() : "";
  return [title, method, answer, table, c.dim(`${b.evaluations} values of ${knob} counted exactly; counts checked to ${down ? "fall" : "grow"} with ${knob} over all of them`)].join("\n\n") + "\n";
}
