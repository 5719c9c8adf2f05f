/** `peftcount methods`: what can be counted, with formulas, options and the PEFT releases that have each. */
import { createColours } from "../../render/colours.js";
import { renderMethodsCsv, renderMethodsMarkdown, renderMethodsTable } from "../../render/lists.js";
import { methodListings, type MethodListing } from "../../report/methods.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";

export { methodListings, type MethodListing };

export async function runMethods(opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as OutputOptions & { verbose?: boolean };
  const list = methodListings();
  const format = formatOf(o);
  if (format === "json") io.stdout(`${JSON.stringify({ schemaVersion: 1, methods: list }, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderMethodsMarkdown(list));
  else if (format === "csv") io.stdout(renderMethodsCsv(list));
  else io.stdout(renderMethodsTable(list, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color }), o.verbose === true, io.columns));
}
