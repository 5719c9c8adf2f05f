/** `peftcount models`: the presets. */
import { supportedModelTypes } from "../../model/inventory.js";
import { MODEL_PRESETS } from "../../model/presets/index.js";
import { createColours } from "../../render/colours.js";
import { renderModelsMarkdown, renderModelsTable, type ModelListing } from "../../render/lists.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";

export function modelListings(): ModelListing[] {
  return MODEL_PRESETS.map((p) => ({
    id: p.id,
    modelType: String(p.config["model_type"]),
    publishedParams: p.publishedParams,
    aliases: p.aliases,
    source: p.source,
    ...(p.moe ? { moe: p.moe } : {}),
  }));
}

export async function runModels(opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as OutputOptions;
  const list = modelListings();
  const format = formatOf(o);
  if (format === "json") io.stdout(`${JSON.stringify({ models: list, modelTypes: supportedModelTypes() }, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderModelsMarkdown(list));
  else if (format === "csv") io.stdout(["id,modelType,publishedParams", ...list.map((m) => `${m.id},${m.modelType},${m.publishedParams}`)].join("\r\n") + "\r\n");
  else io.stdout(renderModelsTable(list, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color }), io.columns));
}
