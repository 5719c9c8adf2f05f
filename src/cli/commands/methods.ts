/** `peftcount methods`: what can be counted, with formulas, options and the PEFT releases that have each. */
import { createColours } from "../../render/colours.js";
import { renderMethodsCsv, renderMethodsMarkdown, renderMethodsTable } from "../../render/lists.js";
import { methodListings, type MethodListing } from "../../report/methods.js";
import { didYouMean, UsageError } from "../../errors.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";

export { methodListings, type MethodListing };

/** The listings named on the command line (ids or AdapterHub config names, with or without `adapters:`), in that order. */
function selected(all: readonly MethodListing[], ids: readonly string[]): MethodListing[] {
  return ids.map((raw) => {
    const id = raw.trim().toLowerCase();
    const hit = all.find((m) => m.id.toLowerCase() === id) ?? all.find((m) => m.library === "adapters" && m.id.toLowerCase() === `adapters:${id}`);
    if (!hit)
      throw new UsageError("UNKNOWN_METHOD", `unknown method "${raw}"`, `${didYouMean(raw, all.map((m) => m.id))}run "peftcount methods" for the list`);
    return hit;
  });
}

export async function runMethods(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as OutputOptions & { verbose?: boolean };
  const all = methodListings();
  const list = rest.length ? selected(all, rest) : all;
  const format = formatOf(o);
  if (format === "json") io.stdout(`${JSON.stringify({ schemaVersion: 1, methods: list }, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderMethodsMarkdown(list));
  else if (format === "csv") io.stdout(renderMethodsCsv(list));
  else io.stdout(renderMethodsTable(list, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color }), o.verbose === true || rest.length > 0, io.columns));
}
