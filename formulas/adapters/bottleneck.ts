/**
 * Bottleneck adapters as AdapterHub builds them (adapters src/adapters/configuration/adapter_config.py BnConfig,
 * methods/bottleneck.py BottleneckLayer.add_adapter, methods/modeling.py Adapter / ParallelAdapter). Per
 * position (after attention: mh_adapter, after the FFN: output_adapter, after cross-attention: cross_adapter)
 * of every layer not in leave_out, with d = max(1, int(H // reduction_factor)):
 * adapter_down H·d + d and adapter_up d·H + H (or two PHM layers: phm_layer), [+ 2H ln_before] [+ 2H ln_after]
 * [+ 1 scaling "learned" | + H scaling "channel"] [+ H + 1 gate with use_gating]; plus once per adapter the
 * invertible adapter on the embeddings (inv_adapter) and the PHM shared weights. Sequential and parallel
 * adapters hold the same tensors; the residual / layer-norm placement options change no count.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { PartSum } from "../../src/breakdown.js";
import { InputError } from "../../src/errors.js";
import { adapterHubLayers, embeddingSizeOf, hiddenSizeOf } from "../../src/adapters/positions.js";
import { checkMethodSupport, isInterfaceModel } from "../../src/adapters/support.js";
import type { AdapterHubMethod, AdapterHubParts } from "../../src/adapters/types.js";
import { describe } from "../types.js";
import { invertibleParams } from "./invertible.js";
import { phmLayerParams, phmSharedParams } from "./phm.js";
import { bottleneckWidth } from "./reduction.js";
import { BN } from "./bottleneck-configs.js";
export { BOTTLENECK_CONFIGS } from "./bottleneck-configs.js";

const optBool = (d: boolean) => z._default(z.nullable(z.boolean()), d);
const positive = z.number().check(z.positive());

export const bottleneckSchema = lazySchema(() => z.object({
  mh_adapter: describe(z.boolean(), "an adapter after the multi-head attention block of each layer"),
  output_adapter: describe(z.boolean(), "an adapter after the output FFN of each layer"),
  reduction_factor: describe(z.union([positive, z.record(z.string(), positive)]), 'hidden size ÷ bottleneck width (d = max(1, H // rf)); or per layer: {"1": 8, "default": 16}'),
  non_linearity: describe(z.string(), "activation in the bottleneck (no effect on the count)"),
  original_ln_before: describe(z._default(z.boolean(), false), "apply the pre-trained layer norm and residual before the adapter (no effect on the count)"),
  original_ln_after: describe(z._default(z.boolean(), true), "apply the pre-trained layer norm and residual after the adapter (no effect on the count)"),
  ln_before: describe(z._default(z.boolean(), false), "a new LayerNorm before the bottleneck (+2H per adapter)"),
  ln_after: describe(z._default(z.boolean(), false), "a new LayerNorm after the bottleneck (+2H per adapter)"),
  init_weights: describe(z._default(z.enum(["bert", "mam_adapter", "houlsby"]), "bert"), "initialisation (no effect on the count)"),
  init_weights_seed: describe(z._default(z.nullable(z.int()), null), "seed (no effect on the count)"),
  is_parallel: describe(z._default(z.boolean(), false), "parallel instead of sequential adapters (same tensors)"),
  scaling: describe(z._default(z.union([z.number(), z.enum(["learned", "channel"])]), 1), 'output scaling: a constant, "learned" (+1 per adapter) or "channel" (+H per adapter)'),
  use_gating: describe(z._default(z.boolean(), false), "a gate Linear(H, 1) per adapter (+H+1), as UniPELT"),
  residual_before_ln: describe(z._default(z.union([z.boolean(), z.literal("post_add")]), true), "residual placement (no effect on the count)"),
  adapter_residual_before_ln: describe(z._default(z.boolean(), false), "residual placement (no effect on the count)"),
  inv_adapter: describe(z._default(z.nullable(z.enum(["nice", "glow"])), null), "an invertible adapter on the input embeddings: nice or glow"),
  inv_adapter_reduction_factor: describe(z._default(z.nullable(positive), null), "reduction inside the invertible adapter's subnets"),
  cross_adapter: describe(z._default(z.boolean(), false), "an adapter after the cross-attention of each decoder layer (encoder-decoder models)"),
  leave_out: describe(z._default(z.array(z.int()), []), "AdapterHub layer ids (encoder 0..E-1, then decoder E..) without adapters"),
  dropout: describe(z._default(z.number(), 0), "dropout (no effect on the count)"),
  phm_layer: describe(z._default(z.boolean(), false), "PHM (Compacter) down and up projections"),
  phm_dim: describe(z._default(z.int().check(z.positive()), 4), "n of the PHM layers: widths must divide by it"),
  factorized_phm_W: describe(optBool(true), "W as a rank-phm_rank product"),
  shared_W_phm: describe(optBool(false), "one W for all layers (shared weights)"),
  shared_phm_rule: describe(optBool(true), "one phm_rule (n³) for all layers"),
  factorized_phm_rule: describe(optBool(false), "phm_rule as n×n×1 + n×1×n"),
  phm_c_init: describe(z._default(z.nullable(z.enum(["normal", "uniform"])), "normal"), "phm_rule initialisation (no effect on the count)"),
  phm_init_range: describe(z._default(z.nullable(z.number()), 0.0001), "initialisation range (no effect on the count)"),
  learn_phm: describe(optBool(true), "phm_rule requires_grad at creation (train_adapter unfreezes it anyway)"),
  hypercomplex_nonlinearity: describe(z._default(z.nullable(z.enum(["phm", "glorot-normal", "glorot-uniform", "normal"])), "glorot-uniform"), "W initialisation (no effect on the count)"),
  phm_rank: describe(z._default(z.nullable(z.int().check(z.positive())), 1), "rank of the factorized W"),
  phm_bias: describe(optBool(true), "a bias per PHM layer"),
  stochastic_depth: describe(z._default(z.nullable(z.number()), 0), "stochastic depth rate (no effect on the count)"),
}));

export type BottleneckOptions = z.output<typeof bottleneckSchema>;

type Location = "mh_adapter" | "output_adapter" | "cross_adapter";

export const bottleneck: AdapterHubMethod<typeof bottleneckSchema> = {
  id: "adapters:bottleneck",
  architecture: null,
  title: "Bottleneck adapters (AdapterHub BnConfig)",
  paper: "https://arxiv.org/abs/1902.00751",
  expression: BN,
  schema: bottleneckSchema,
  count(inv, o, ctx): AdapterHubParts {
    checkMethodSupport(inv.modelType, "bottleneck", ctx);
    if (isInterfaceModel(inv.modelType, ctx) && !o.original_ln_after)
      throw new InputError(
        "UNSUPPORTED_OPTIONS",
        `AdapterHub hooks bottleneck layers onto ${inv.modelType}'s layers (plugin interface), which does not support original_ln_after=False`,
        "set original_ln_after=True on this model",
      );
    const H = hiddenSizeOf(inv);
    const parts = new PartSum();
    const phm = { ...o, phm_rank: o.phm_rank ?? 1 };
    for (const layer of adapterHubLayers(inv)) {
      if (o.leave_out.includes(layer.index)) continue;
      const at: Location[] = [];
      if (layer.selfAttention && o.mh_adapter) at.push("mh_adapter");
      if (layer.crossAdapter && o.cross_adapter) at.push("cross_adapter");
      if (layer.feedForward && o.output_adapter) at.push("output_adapter");
      for (const loc of at) {
        const d = bottleneckWidth(H, o.reduction_factor, layer.index);
        const where = `${layer.layersPath}.*.${loc}`;
        if (o.phm_layer) {
          const module = `${layer.layersPath}.${layer.index}.${loc}`;
          parts.add(`${where}.adapter_down`, phmLayerParams(phm, `${module}.adapter_down (${H} → ${d})`, H, d), 1, "adapter");
          parts.add(`${where}.adapter_up`, phmLayerParams(phm, `${module}.adapter_up (${d} → ${H})`, d, H), 1, "adapter");
        } else {
          parts.add(`${where}.adapter_down`, H * d + d, 1, "adapter");
          parts.add(`${where}.adapter_up`, d * H + H, 1, "adapter");
        }
        if (o.ln_before) parts.add(`${where}.adapter_norm_before`, 2 * H, 1, "adapter");
        if (o.ln_after) parts.add(`${where}.adapter_norm_after`, 2 * H, 1, "adapter");
        if (o.scaling === "learned") parts.add(`${where}.scaling`, 1, 1, "adapter");
        if (o.scaling === "channel") parts.add(`${where}.scaling`, H, 1, "adapter");
        if (o.use_gating) parts.add(`${where}.gate`, H + 1, 1, "adapter");
      }
    }
    if (o.phm_layer && (o.shared_phm_rule || o.shared_W_phm)) {
      const n = phmSharedParams(phm, H, o.reduction_factor);
      if (n > 0) parts.add("shared_parameters (PHM)", n, 1, "shared");
    }
    if (o.inv_adapter) {
      checkMethodSupport(inv.modelType, "invertible", ctx);
      parts.add(`invertible_adapters (${o.inv_adapter})`, invertibleParams(o.inv_adapter, embeddingSizeOf(inv), o.inv_adapter_reduction_factor), 1, "adapter");
    }
    return { parts: parts.list() };
  },
};
