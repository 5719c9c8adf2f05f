/** The `methods --json` contract: every method with its family, options and defaults, formula, paper, releases. */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { familyOfMethod, FORMULAS } from "../../formulas/index.js";
import { descriptionOf } from "../../formulas/types.js";
import { ADAPTERHUB_CONFIGS, ADAPTERHUB_PREFIX, HEAD_OPTIONS, methodForArchitecture, namedConfig, UNFREEZE_LAYER_NORMS, UNFREEZE_LAYER_NORMS_TEXT } from "../../formulas/adapters/registry.js";

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
  library: z.optional(describe(z.enum(["peft", "adapters"]), "whose config and counting convention the method follows: PEFT, or AdapterHub (adapters: train_adapter)")),
});

export const methodsReportSchema = z.object({
  schemaVersion: z.literal(1),
  methods: z.array(methodListingSchema),
});

export type MethodListing = z.output<typeof methodListingSchema>;

/** AdapterHub's named configs: options with the config class's defaults, the method's formula. */
function adapterHubListings(): MethodListing[] {
  return ADAPTERHUB_CONFIGS.map((c) => {
    const parts = c.architecture === "union" ? (c.components ?? []).map((p) => namedConfig(p.config)) : [c];
    const methods = parts.map((p) => (p ? methodForArchitecture(p.architecture) : undefined));
    const method = c.architecture === "union" ? undefined : methods[0];
    const shape = (method?.schema as unknown as { shape?: Record<string, z.ZodMiniType> } | undefined)?.shape ?? {};
    const defaults = method?.schema.safeParse({ ...c.defaults });
    const filled = defaults?.success ? (defaults.data as Record<string, unknown>) : {};
    const options = Object.entries(shape).map(([key, t]) => {
      const own = t.safeParse(undefined);
      const required = c.defaults?.[key] === undefined && !own.success;
      const d = key in filled ? filled[key] : (c.defaults?.[key] ?? (own.success ? own.data : null));
      return { key, default: d ?? null, required, description: descriptionOf(t) };
    });
    const expression = c.architecture === "union" ? parts.map((p, i) => `${p?.name ?? c.components![i]!.config}: ${p?.expression ?? methods[i]?.expression ?? "?"}`).join(" + ") : (c.expression ?? method?.expression ?? "");
    // peftcount's own option for every AdapterHub config (src/adapters/count.ts), listed after AdapterHub's keys
    options.push({ key: UNFREEZE_LAYER_NORMS, default: false, required: false, description: UNFREEZE_LAYER_NORMS_TEXT }, ...HEAD_OPTIONS);
    return {
      id: `${ADAPTERHUB_PREFIX}${c.name}`,
      title: c.title,
      family: "AdapterHub",
      peftType: null,
      paper: c.paper ?? method?.paper ?? "",
      expression,
      peftVersions: { since: null, removedIn: null },
      caveat: c.aliasOf ? `AdapterHub's deprecated name for ${c.aliasOf}` : null,
      options,
      library: "adapters" as const,
    };
  });
}

export function methodListings(): MethodListing[] {
  return [...peftListings(), ...adapterHubListings()];
}

function peftListings(): MethodListing[] {
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
