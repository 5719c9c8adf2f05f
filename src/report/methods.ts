/** The `methods --json` contract: every method with its family, options and defaults, formula, paper, releases. */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { familyOfMethod, FORMULAS } from "../../formulas/index.js";
import { descriptionOf } from "../../formulas/types.js";

export const methodListingSchema = z.object({
  id: describe(z.string(), "the CLI id (--method ID)"),
  title: z.string(),
  family: z.string(),
  peftType: describe(z.nullable(z.string()), "peft_type of an adapter_config.json this method reads; null for methods PEFT does not ship"),
  paper: z.string(),
  expression: describe(z.string(), "the count in one line"),
  peftVersions: describe(z.object({ since: z.nullable(z.string()), removedIn: z.nullable(z.string()) }), "the PEFT releases that have the method (null: every release modelled)"),
  caveat: z.nullable(z.string()),
  options: z.array(z.object({ key: describe(z.string(), "PEFT's key name (flag: --key-in-kebab-case)"), default: z.unknown(), required: describe(z.boolean(), "PEFT has no default: the option must be given"), description: z.string() })),
});

export const methodsReportSchema = z.object({
  schemaVersion: z.literal(1),
  methods: z.array(methodListingSchema),
});

export type MethodListing = z.output<typeof methodListingSchema>;

export function methodListings(): MethodListing[] {
  return FORMULAS.map((f) => {
    const shape = (f.schema as unknown as { shape: Record<string, z.ZodMiniType> }).shape;
    // a field without a default (e.g. num_virtual_tokens) is required: listed with default null
    const defaultOf = (t: z.ZodMiniType) => {
      const r = t.safeParse(undefined);
      return r.success ? r.data : null;
    };
    const v = "peftVersions" in f ? (f.peftVersions as { since?: string; removedIn?: string } | undefined) : undefined;
    return {
      id: f.id,
      title: f.title,
      family: familyOfMethod(f.id),
      peftType: f.peftType,
      paper: f.paper,
      expression: f.expression,
      peftVersions: { since: v?.since ?? null, removedIn: v?.removedIn ?? null },
      caveat: "caveat" in f && typeof f.caveat === "string" ? f.caveat : null,
      options: Object.entries(shape).map(([key, t]) => ({ key, default: defaultOf(t) ?? null, required: !t.safeParse(undefined).success, description: descriptionOf(t) })),
    };
  });
}
