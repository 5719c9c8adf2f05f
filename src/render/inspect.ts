/** `inspect` report → table or markdown (pure). */
import type { ChalkInstance } from "chalk";
import type { InspectReport } from "../report/inspect.js";
import { grouped } from "./format.js";
import { grid } from "./grid.js";
import { layerKindLines } from "./inspect-layers.js";

const mark = (g: InspectReport["groups"][number]) => [g.defaultTarget ? "default" : "", g.allLinear ? "all-linear" : ""].filter(Boolean).join(", ");

/** "Linear(4096 → 1024, bias=false)" → "Linear(4096→1024)"; "bias=true" stays as "+bias" */
const shortShape = (s: string) => s.replace(/ \u2192 /g, "\u2192").replace(/, bias=false/g, "").replace(/, bias=true/g, " +bias");
const shortMark = (s: string) => s.replace("default", "def").replace("all-linear", "all");

/**
 * `width`: the terminal's. A narrow one abbreviates the LoRA-target marks and the shapes, then leaves the marks
 * out, then cuts shapes; module names (what users copy into target_modules) and counts stay whole.
 */
export function renderInspectTable(r: InspectReport, c: ChalkInstance, width?: number): string {
  const m = r.model;
  const rows = r.groups.map((g) => [g.name, g.shape, String(g.modules), g.tied ? c.dim(`tied (${grouped(g.paramsEach * g.modules)})`) : grouped(g.paramsTotal), mark(g)]);
  const t = grid(["Module", "Shape", "×", "Parameters", "LoRA targets"], ["left", "left", "right", "right", "left"], rows, c, {
    width,
    steps: [{ abbreviate: 4, with: shortMark }, { abbreviate: 1, with: shortShape }, { drop: 4 }, { shrink: 1 }],
  });
  const cats = Object.entries(r.categories)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${grouped(n)}`)
    .join(" · ");
  return [
    `${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters`,
    t,
    wrap(`by category: ${cats}`, " · ", width),
    wrap(`target_modules names: ${r.targetNames.join(", ")}`, ", ", width),
    wrap(`PEFT default target_modules for ${m.modelType}: ${r.defaultTargetModules ? r.defaultTargetModules.join(", ") : "none (set target_modules)"}`, ", ", width),
    ...layerKindLines(r.layerKinds, width),
    ...m.notes.map((n) => c.dim(`note: ${n}`)),
  ].join("\n") + "\n";
}

/** A list line broken after its separators to fit `width`, continuation lines indented by two spaces. */
function wrap(line: string, sep: string, width: number | undefined): string {
  if (width === undefined || line.length <= width) return line;
  const parts = line.split(sep);
  const lines: string[] = [];
  let cur = parts[0]!;
  for (const p of parts.slice(1)) {
    if (cur.length + sep.length + p.length > width) {
      lines.push(`${cur}${sep.trimEnd()}`);
      cur = `  ${p}`;
    } else cur = `${cur}${sep}${p}`;
  }
  return [...lines, cur].join("\n");
}

export function renderInspectMarkdown(r: InspectReport): string {
  const rows = r.groups.map((g) => `| \`${g.name}\` | ${g.shape} | ${g.modules} | ${g.tied ? "tied" : grouped(g.paramsTotal)} | ${mark(g)} |`);
  return [`**${r.model.id}** — ${r.model.modelClass} (${r.model.task}), ${grouped(r.model.baseParams)} parameters`, "", "| Module | Shape | × | Parameters | LoRA targets |", "| --- | --- | ---: | ---: | --- |", ...rows].join("\n") + "\n";
}
