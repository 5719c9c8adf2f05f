/**
 * AdapterHub `prefix_tuning` (PrefixTuningConfig; adapters src/adapters/methods/prefix_tuning.py). Not one
 * prefix per layer: every attention block that takes a prefix registers with the model's PrefixTuningPool
 * under its location key, and the pool builds ONE module per key for the L layers that registered:
 * "encoder_prefix" (the encoder self-attention of an encoder-decoder model, if `encoder_prefix`),
 * "cross_prefix" (cross-attention, if `cross_prefix`), "self_prefix" (every other self-attention).
 * With X = L · 2 · n_heads · head_dim per key:
 *   reparametrized  wte P·H + Linear(H, b) H·b + b + Linear(b, X) b·X + X
 *   flat            control_trans P·X
 * plus, with `use_gating`, a gate Linear(H, 1 or 2 if not `shared_gating`) per attention block.
 * head_dim is the config's d_kv (T5) else H // num_attention_heads. n_heads is the key/value head count
 * on 1.2.0 main (the GQA fix), num_attention_heads before it (src/adapters/method-releases.ts). Layers in `leave_out`
 * (AdapterHub's layer ids, encoder first) register nothing. Plugin-interface models (Qwen2) have no
 * prefix tuning.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { PartSum } from "../../src/breakdown.js";
import { adapterLayers, anatomyOf, attentionsOf, pattern } from "../../src/adapters/layers.js";
import { prefixUsesKeyValueHeads } from "../../src/adapters/method-releases.js";
import { checkMethodSupport } from "../../src/adapters/support.js";
import type { AdapterHubMethod, AdapterHubNamedConfig, AdapterHubParts } from "../../src/adapters/types.js";
import { layerPath } from "../../src/model/anatomy.js";
import { describe, nonNegInt } from "../types.js";

const positive = z.int().check(z.positive());

const schema = lazySchema(() => z.object({
  encoder_prefix: describe(z._default(z.boolean(), true), "prefix the encoder self-attention of an encoder-decoder model"),
  cross_prefix: describe(z._default(z.boolean(), true), "prefix the cross-attention of an encoder-decoder model"),
  leave_out: describe(z._default(z.array(nonNegInt), []), "layer ids (encoder first, then decoder) that get no prefix"),
  flat: describe(z._default(z.boolean(), false), "train the prefixes directly (no bottleneck MLP)"),
  prefix_length: describe(z._default(positive, 30), "prefix tokens P"),
  bottleneck_size: describe(z._default(positive, 512), "width b of the reparametrization MLP"),
  non_linearity: describe(z._default(z.string(), "tanh"), "MLP activation (no effect on the count)"),
  dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  use_gating: describe(z._default(z.boolean(), false), "a gate Linear(H, g) per attention block (UniPELT)"),
  shared_gating: describe(z._default(z.boolean(), true), "one gate output for keys and values (g = 1), else g = 2"),
  init_weights_seed: describe(z._default(z.nullable(z.int()), null), "seed (no effect on the count)"),
}));
type Options = z.output<typeof schema>;

interface KeyGroup {
  layers: number;
  heads: number;
  headDim: number;
}

function count(inv: Parameters<AdapterHubMethod["count"]>[0], o: Options, ctx: Parameters<AdapterHubMethod["count"]>[2]): AdapterHubParts {
  checkMethodSupport(inv.modelType, "prefix_tuning", ctx);
  const anatomy = anatomyOf(inv, "adapters:prefix_tuning");
  const H = anatomy.hiddenSize;
  const gqa = prefixUsesKeyValueHeads(ctx.adapters);
  const dkv = inv.config?.["d_kv"];
  const leave = new Set(o.leave_out);
  const groups = new Map<string, KeyGroup>();
  const sum = new PartSum();
  const gateOut = o.shared_gating ? 1 : 2;
  for (const l of adapterLayers(anatomy, inv.dims.isEncoderDecoder)) {
    if (leave.has(l.index)) continue;
    for (const { kind, attention: a } of attentionsOf(l.layer)) {
      const key = kind === "cross" ? "cross_prefix" : l.encoderOfEncDec ? "encoder_prefix" : "self_prefix";
      if ((key === "cross_prefix" && !o.cross_prefix) || (key === "encoder_prefix" && !o.encoder_prefix)) continue;
      const g = groups.get(key) ?? { layers: 0, heads: gqa ? a.kvHeads : a.heads, headDim: typeof dkv === "number" ? dkv : Math.floor(H / a.heads) };
      g.layers += 1;
      groups.set(key, g);
      if (o.use_gating) sum.add(`${pattern(layerPath(l.stack, l.local, a.block))}.prefix_gates`, H * gateOut + gateOut, 1, "adapter");
    }
  }
  const warnings: string[] = [];
  if (groups.size === 0) warnings.push("adapters:prefix_tuning: no attention block takes a prefix (encoder_prefix / cross_prefix / leave_out): nothing to train");
  for (const [key, g] of groups) {
    const X = g.layers * 2 * g.heads * g.headDim;
    const base = `prefix_tuning.${key}`;
    if (o.flat) {
      sum.add(`${base}.control_trans`, o.prefix_length * X, 1, "prompt");
    } else {
      sum.add(`${base}.wte`, o.prefix_length * H, 1, "prompt");
      sum.add(`${base}.control_trans[0]`, H * o.bottleneck_size + o.bottleneck_size, 1, "prompt");
      sum.add(`${base}.control_trans[2]`, o.bottleneck_size * X + X, 1, "prompt");
    }
  }
  return { parts: sum.list(), warnings };
}

export const adaptersPrefixTuning: AdapterHubMethod<typeof schema> = {
  id: "adapters:prefix_tuning",
  architecture: "prefix_tuning",
  title: "Prefix tuning (AdapterHub)",
  paper: "https://arxiv.org/abs/2101.00190",
  expression: "per location key: P·H + H·b + b + b·X + X, X = L·2·n_kv·head_dim  (flat: P·X)  + gates",
  schema,
  count,
};

export const PREFIX_TUNING_CONFIGS: readonly AdapterHubNamedConfig[] = [
  { name: "prefix_tuning", className: "PrefixTuningConfig", architecture: "prefix_tuning", title: "Prefix tuning: 30 prefixes per attention, reparametrized by a 512-wide MLP", paper: "https://arxiv.org/abs/2101.00190" },
  { name: "prefix_tuning_flat", className: "PrefixTuningConfig", architecture: "prefix_tuning", defaults: { flat: true }, title: "Prefix tuning with the prefixes trained directly", paper: "https://arxiv.org/abs/2101.00190" },
];
