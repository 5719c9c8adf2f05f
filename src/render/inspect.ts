/** `inspect` report → table or markdown (pure). */
import type { ChalkInstance } from "chalk";
import type { InspectReport } from "../report/inspect.js";
import { grouped } from "./format.js";
import { grid } from "./grid.js";

const mark = (g: InspectReport["groups"][number]) => [g.defaultTarget ? "default" : "", g.allLinear ? "all-linear" : ""].filter(Boolean).join(", ");

export function renderInspectTable(r: InspectReport, c: ChalkInstance): string {
  const m = r.model;
  const rows = r.groups.map((g) => [g.name, g.shape, String(g.modules), g.tied ? c.dim(`tied (${grouped(g.paramsEach * g.modules)})`) : grouped(g.paramsTotal), mark(g)]);
  const t = grid(["Module", "Shape", "×", "Parameters", "LoRA targets"], ["left", "left", "right", "right", "left"], rows, c);
  const cats = Object.entries(r.categories)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${grouped(n)}`)
    .join(" · ");
  return [
    `${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters`,
    t,
    `by category: ${cats}`,
    `target_modules names: ${r.targetNames.join(", ")}`,
    `PEFT default target_modules for ${m.modelType}: ${r.defaultTargetModules ? r.defaultTargetModules.join(", ") : "none (set target_modules)"}`,
    ...m.notes.map((n) => c.dim(`note: ${n}`)),
  ].join("\n") + "\n";
}

export function renderInspectMarkdown(r: InspectReport): string {
  const rows = r.groups.map((g) => `| \`${g.name}\` | ${g.shape} | ${g.modules} | ${g.tied ? "tied" : grouped(g.paramsTotal)} | ${mark(g)} |`);
  return [`**${r.model.id}** — ${r.model.modelClass} (${r.model.task}), ${grouped(r.model.baseParams)} parameters`, "", "| Module | Shape | × | Parameters | LoRA targets |", "| --- | --- | ---: | ---: | --- |", ...rows].join("\n") + "\n";
}
