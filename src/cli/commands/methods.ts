/** `peftcount methods`: what can be counted, with formulas and options. */
import type * as z from "zod/mini";
import { descriptionOf } from "../../../formulas/types.js";
import { FORMULAS } from "../../../formulas/index.js";
import { createColours } from "../../render/colours.js";
import { renderMethodsMarkdown, renderMethodsTable, type MethodListing } from "../../render/lists.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";

export function methodListings(): MethodListing[] {
  return FORMULAS.map((f) => {
    const shape = (f.schema as unknown as { shape: Record<string, z.ZodMiniType> }).shape;
    const defaults = f.schema.parse({}) as Record<string, unknown>;
    return {
      id: f.id,
      title: f.title,
      peftType: f.peftType,
      paper: f.paper,
      expression: f.expression,
      options: Object.entries(shape).map(([key, t]) => ({ key, default: defaults[key], description: descriptionOf(t) })),
    };
  });
}

export async function runMethods(opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as OutputOptions & { verbose?: boolean };
  const list = methodListings();
  const format = formatOf(o);
  if (format === "json") io.stdout(`${JSON.stringify({ methods: list }, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderMethodsMarkdown(list));
  else if (format === "csv") io.stdout(["id,title,peftType,paper", ...list.map((m) => `${m.id},${m.title},${m.peftType ?? ""},${m.paper}`)].join("\r\n") + "\r\n");
  else io.stdout(renderMethodsTable(list, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color }), o.verbose === true));
}
