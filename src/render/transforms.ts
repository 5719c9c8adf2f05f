/** `peftcount transforms`: each model transform with its papers, what it does to the counts, exactness and options. */
import type { ChalkInstance } from "chalk";
import type { TransformListing } from "../model/transforms/index.js";

export function renderTransformsTable(list: readonly TransformListing[], c: ChalkInstance): string {
  return list
    .map((t) => {
      const head = `${c.bold.cyan(t.id)}  ${t.title}  (${t.paper})\n  count: ${t.expression}\n  exact: ${t.exactness}`;
      const opts = t.options.map((o) => `  ${`${o.key}=`.padEnd(10)} ${(o.default ?? "required").padEnd(8)} ${o.text}`);
      return [head, ...opts].join("\n");
    })
    .join("\n\n")
    .concat(`\n\nuse: --transform "NAME key=value ..." (repeatable, applied in order) on compare, count, inspect, check, budget, sweep, memory\n`);
}

export function renderTransformsMarkdown(list: readonly TransformListing[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = list.map((t) => `| \`${t.id}\` | ${cell(t.title)} | ${cell(t.paper)} | ${cell(t.expression)} | ${t.options.map((o) => `\`${o.key}\``).join(", ")} | ${cell(t.exactness)} |`);
  return ["| Transform | Title | Paper | Count | Options | Exact? |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n") + "\n";
}
