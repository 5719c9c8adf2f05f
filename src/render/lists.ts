/** Renderers for `models` and `methods` (pure). */
import type { ChalkInstance } from "chalk";
import { grouped } from "./format.js";
import { grid, type Align } from "./grid.js";

export interface ModelListing {
  readonly id: string;
  readonly modelType: string;
  readonly publishedParams: number;
  readonly aliases: readonly string[];
  readonly source: string;
}

export interface MethodListing {
  readonly id: string;
  readonly title: string;
  readonly peftType: string | null;
  readonly paper: string;
  readonly expression: string;
  readonly options: readonly { readonly key: string; readonly default: unknown; readonly description: string }[];
}

function table(head: string[], rows: string[][], c: ChalkInstance, aligns?: Align[]): string {
  return `${grid(head, aligns ?? head.map(() => "left"), rows, c)}\n`;
}

export function renderModelsTable(models: readonly ModelListing[], c: ChalkInstance): string {
  return table(
    ["Model", "model_type", "Parameters", "Hugging Face id"],
    models.map((m) => [c.cyan(m.id), m.modelType, grouped(m.publishedParams), m.aliases.join(", ")]),
    c,
    ["left", "left", "right", "left"],
  );
}

export function renderModelsMarkdown(models: readonly ModelListing[]): string {
  const rows = models.map((m) => `| \`${m.id}\` | ${m.modelType} | ${grouped(m.publishedParams)} | ${m.aliases.join(", ")} |`);
  return ["| Model | model_type | Parameters | Hugging Face id |", "| --- | --- | ---: | --- |", ...rows].join("\n") + "\n";
}

const showDefault = (v: unknown) => (v === undefined ? "" : JSON.stringify(v));

export function renderMethodsTable(methods: readonly MethodListing[], c: ChalkInstance, verbose: boolean): string {
  if (!verbose)
    return table(
      ["Method", "Title", "peft_type", "Paper"],
      methods.map((m) => [c.cyan(m.id), m.title, m.peftType ?? "-", m.paper]),
      c,
    );
  return methods
    .map((m) => {
      const head = `${c.bold.cyan(m.id)}  ${m.title}  (${m.paper}${m.peftType ? `, peft_type ${m.peftType}` : ""})\n  count: ${m.expression}`;
      const opts = m.options.map((o) => `  --${o.key.replace(/_/g, "-").padEnd(24)} ${showDefault(o.default).padEnd(8)} ${o.description}`);
      return [head, ...opts].join("\n");
    })
    .join("\n\n")
    .concat("\n");
}

/** The README's "Supported methods" table. */
export function renderMethodsMarkdown(methods: readonly MethodListing[]): string {
  const rows = methods.map((m) => `| \`${m.id}\` | ${m.title} | ${m.peftType ?? "-"} | ${m.paper} | ${m.expression.replace(/\|/g, "\\|")} |`);
  return ["| Method | Title | peft_type | Paper | Count |", "| --- | --- | --- | --- | --- |", ...rows].join("\n") + "\n";
}
