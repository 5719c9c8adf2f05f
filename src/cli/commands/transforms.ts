/** `peftcount transforms`: the model transforms --transform takes (src/model/transforms). */
import { createColours } from "../../render/colours.js";
import { renderTransformsMarkdown, renderTransformsTable } from "../../render/transforms.js";
import { transformListings } from "../../model/transforms/index.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";

export async function runTransforms(opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as OutputOptions;
  const list = transformListings();
  const format = formatOf(o);
  if (format === "json") io.stdout(`${JSON.stringify({ schemaVersion: 1, transforms: list }, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderTransformsMarkdown(list));
  else if (format === "csv") io.stdout(["id,title,expression", ...list.map((t) => [t.id, t.title, t.expression].map((s) => `"${s.replace(/"/g, '""')}"`).join(","))].join("\r\n") + "\r\n");
  else io.stdout(renderTransformsTable(list, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color })));
}
