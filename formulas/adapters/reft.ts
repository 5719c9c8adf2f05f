/**
 * AdapterHub ReFT: `loreft`, `noreft`, `direft` (ReftConfig and its subclasses; adapters
 * src/adapters/methods/reft.py). One ReftModule after each selected layer (`layers`: "all" or AdapterHub's
 * layer ids, encoder first, then decoder), each with 1 unit if `tied_weights` else 2 (prefix and suffix
 * positions), each unit learned_source Linear(H, r) with bias + projection Linear(H, r) without:
 *   per layer  units · (2·H·r + r)
 * `orthogonality` re-parametrizes the projection (same size); `subtract_projection`, `prefix_positions`,
 * `suffix_positions`, `dropout`, `non_linearity`, `dtype` change values only. The three methods differ
 * only in their defaults. H is the config's hidden_size.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { checkMethodSupport } from "../../src/adapters/support.js";
import { adapterLayers, anatomyOf, pattern } from "../../src/adapters/layers.js";
import { PartSum } from "../../src/breakdown.js";
import type { AdapterHubContext, AdapterHubMethod, AdapterHubNamedConfig, AdapterHubParts } from "../../src/adapters/types.js";
import type { Inventory } from "../../src/model/types.js";
import { describe, nonNegInt } from "../types.js";

function reftSchema(d: { orthogonality: boolean; subtract_projection: boolean }) {
  return z.object({
    layers: describe(z._default(z.union([z.literal("all"), z.array(nonNegInt)]), "all"), 'layer ids to intervene after, or "all"'),
    prefix_positions: describe(z._default(nonNegInt, 3), "first positions intervened on (no effect on the count)"),
    suffix_positions: describe(z._default(nonNegInt, 0), "last positions intervened on (no effect on the count)"),
    r: describe(z._default(z.int().check(z.positive()), 1), "rank of the intervention"),
    orthogonality: describe(z._default(z.boolean(), d.orthogonality), "orthogonal projection (same parameter count)"),
    tied_weights: describe(z._default(z.boolean(), false), "one unit for prefix and suffix positions instead of two"),
    subtract_projection: describe(z._default(z.boolean(), d.subtract_projection), "subtract the projected input (no effect on the count)"),
    dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0.05), "dropout (no effect on the count)"),
    non_linearity: describe(z._default(z.nullable(z.string()), null), "activation of the learned source (no effect on the count)"),
    dtype: describe(z._default(z.nullable(z.string()), null), "torch dtype (no effect on the count)"),
    init_weights_seed: describe(z._default(z.nullable(z.int()), null), "seed (no effect on the count)"),
    output_reft: describe(z._default(z.boolean(), true), "intervene after each layer's output (false: no intervention at all)"),
  });
}
type ReftOptions = z.output<ReturnType<typeof reftSchema>>;

function countReft(inv: Inventory, o: ReftOptions, ctx: AdapterHubContext, id: string): AdapterHubParts {
  checkMethodSupport(inv.modelType, "reft", ctx);
  const anatomy = anatomyOf(inv, id);
  const H = anatomy.hiddenSize;
  const layers = adapterLayers(anatomy);
  // ReftLayer's location key is "output_reft": a config with output_reft false matches no layer
  const chosen = !o.output_reft ? [] : o.layers === "all" ? layers : layers.filter((l) => (o.layers as readonly number[]).includes(l.index));
  const warnings: string[] = [];
  if (o.layers !== "all") {
    const missing = o.layers.filter((i) => i >= layers.length);
    if (missing.length > 0) warnings.push(`${id}: layers ${missing.join(", ")} do not exist (the model has ${layers.length}); AdapterHub ignores them`);
  }
  const units = o.tied_weights ? 1 : 2;
  const sum = new PartSum();
  for (const l of chosen) {
    const base = `${pattern(l.stack.layersPath)}.*.reft_layer.refts.units`;
    sum.add(`${base}.learned_source`, units * (H * o.r + o.r), 1, "adapter");
    sum.add(`${base}.projection`, units * H * o.r, 1, "adapter");
  }
  const parts = sum.list();
  if (chosen.length === 0) warnings.push(`${id}: no layer selected: nothing to train`);
  return { parts, warnings };
}

function reftMethod(name: "loreft" | "noreft" | "direft", title: string, d: { orthogonality: boolean; subtract_projection: boolean }) {
  const schema = lazySchema(() => reftSchema(d));
  const id = `adapters:${name}`;
  const method: AdapterHubMethod<typeof schema> = {
    id,
    architecture: "reft",
    title,
    paper: "https://arxiv.org/abs/2404.03592",
    expression: "per selected layer (tied ? 1 : 2) · (2·H·r + r)",
    schema,
    count: (inv, o, ctx) => countReft(inv, o, ctx, id),
  };
  return method;
}

export const adaptersLoreft = reftMethod("loreft", "LoReFT (AdapterHub)", { orthogonality: true, subtract_projection: true });
export const adaptersNoreft = reftMethod("noreft", "NoReFT (AdapterHub)", { orthogonality: false, subtract_projection: true });
export const adaptersDireft = reftMethod("direft", "DiReFT (AdapterHub)", { orthogonality: false, subtract_projection: false });

const REFT_PAPER = "https://arxiv.org/abs/2404.03592";

/** LoReftConfig / NoReftConfig / DiReftConfig over the reft method (whose schema defaults are LoReFT's) */
export const REFT_CONFIGS: readonly AdapterHubNamedConfig[] = [
  { name: "loreft", className: "LoReftConfig", architecture: "reft", title: "LoReFT: low-rank orthogonal interventions after every layer", paper: REFT_PAPER },
  { name: "noreft", className: "NoReftConfig", architecture: "reft", defaults: { orthogonality: false }, title: "NoReFT: LoReFT without the orthogonality constraint", paper: REFT_PAPER },
  { name: "direft", className: "DiReftConfig", architecture: "reft", defaults: { orthogonality: false, subtract_projection: false }, title: "DiReFT: NoReFT without subtracting the projection", paper: REFT_PAPER },
];
