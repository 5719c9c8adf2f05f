/** Renderers for `models` and `methods` (pure). */
import type { ChalkInstance } from "chalk";
import { grouped } from "./format.js";
import { grid, type Align, type Fit } from "./grid.js";
import type { PublishedMoe } from "../model/presets/types.js";

export interface ModelListing {
  readonly id: string;
  readonly modelType: string;
  readonly publishedParams: number;
  readonly aliases: readonly string[];
  readonly source: string;
  /** MoE presets: the publisher's total / active figures, rounding, embedding convention and source URL */
  readonly moe?: PublishedMoe;
}

import type { MethodListing } from "../report/methods.js";
export type { MethodListing };

function table(head: string[], rows: string[][], c: ChalkInstance, aligns: Align[] | undefined, fit: Fit): string {
  return `${grid(head, aligns ?? head.map(() => "left"), rows, c, fit)}\n`;
}

/** `width`: the terminal's; a narrow one cuts the Hugging Face ids, then leaves out model_type. */
export function renderModelsTable(models: readonly ModelListing[], c: ChalkInstance, width?: number): string {
  return table(
    ["Model", "model_type", "Parameters", "Hugging Face id"],
    models.map((m) => [c.cyan(m.id), m.modelType, grouped(m.publishedParams), m.aliases.join(", ")]),
    c,
    ["left", "left", "right", "left"],
    { width, steps: [{ shrink: 3 }, { drop: 1 }, { shrink: 3 }, { drop: 3 }] },
  );
}

export function renderModelsMarkdown(models: readonly ModelListing[]): string {
  const rows = models.map((m) => `| \`${m.id}\` | ${m.modelType} | ${grouped(m.publishedParams)} | ${m.aliases.join(", ")} |`);
  return ["| Model | model_type | Parameters | Hugging Face id |", "| --- | --- | ---: | --- |", ...rows].join("\n") + "\n";
}

const showDefault = (v: unknown) => (v === undefined ? "" : JSON.stringify(v));

/** "0.18.0+", "until 0.19.0", "0.18.0 – 0.19.0", or "" when every modelled release has it */
export function releases(m: MethodListing): string {
  const { since, removedIn } = m.peftVersions;
  if (since && removedIn) return `peft ${since} – <${removedIn}`;
  if (since) return `peft ${since}+`;
  if (removedIn) return `peft <${removedIn}`;
  return "";
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function renderMethodsCsv(methods: readonly MethodListing[]): string {
  const rows = methods.map((m) => [m.id, m.title, m.family, m.peftType ?? "", m.paper, m.peftVersions.since ?? "", m.peftVersions.removedIn ?? "", m.expression].map(csvCell).join(","));
  return ["id,title,family,peftType,paper,since,removedIn,expression", ...rows].join("\r\n") + "\r\n";
}

/** `width`: the terminal's; a narrow one leaves out Family, Paper, peft_type (in that order), then cuts titles. */
export function renderMethodsTable(methods: readonly MethodListing[], c: ChalkInstance, verbose: boolean, width?: number): string {
  if (!verbose)
    return table(
      ["Method", "Title", "Family", "peft_type", "Paper", "Releases"],
      methods.map((m) => [c.cyan(m.id), m.title, m.family, m.peftType ?? "-", m.paper, releases(m)]),
      c,
      undefined,
      { width, steps: [{ drop: 2 }, { drop: 4 }, { drop: 3 }, { shrink: 1 }, { drop: 5 }, { shrink: 1 }] },
    );
  return methods
    .map((m) => {
      const rel = releases(m);
      const head = `${c.bold.cyan(m.id)}  ${m.title}  (${m.paper}${m.peftType ? `, peft_type ${m.peftType}` : ""}${rel ? `, ${rel}` : ""})\n  count: ${m.expression}${m.caveat ? `\n  note: ${m.caveat}` : ""}`;
      const opts = m.options.map((o) => `  --${o.key.replace(/_/g, "-").padEnd(24)} ${(o.required ? "required" : showDefault(o.default)).padEnd(8)} ${o.description}`);
      return [head, ...opts].join("\n");
    })
    .join("\n\n")
    .concat("\n");
}

/** The README's "Supported methods" table. */
export function renderMethodsMarkdown(methods: readonly MethodListing[]): string {
  const rows = methods.map((m) => `| \`${m.id}\` | ${m.title} | ${m.peftType ?? "-"} | ${releases(m) || "all"} | ${m.paper} | ${m.expression.replace(/\|/g, "\\|")} |`);
  return ["| Method | Title | peft_type | PEFT releases | Paper | Count |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n") + "\n";
}
