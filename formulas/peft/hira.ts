/**
 * HiRA (high-rank adaptation): ΔW = W0 ⊙ (B·A), a Hadamard product with the frozen weight. Per wrapped
 * Linear / Conv1D (out × in) at rank r: hira_A (r × in) + hira_B (out × r); per wrapped Embedding
 * (vocab × dim): hira_embedding_A (r × vocab) + hira_embedding_B (dim × r)
 * (peft src/peft/tuners/hira/layer.py `update_layer`). Every module gets `r`: `rank_pattern` is read by
 * HiraModel `_create_and_replace`, but `dispatch_default`, which builds the new layer, passes `config.r`
 * (peft 0.20 and 0.21), so PEFT ignores it (we warn). HiraConfig has no `bias` key: biases stay frozen.
 * In PEFT since 0.20.0.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { HIRA_TARGETS } from "../../src/peft/default-targets.js";
import { refuseLayersWithRegexTargets } from "../../src/peft/layer-checks.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

const rank = z.int().check(z.positive());
const list = z.nullable(stringOrList);

export const hiraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(rank, 32), "rank of the B·A factor"),
  target_modules: describe(z._default(list, null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  exclude_modules: describe(z._default(list, null), "names (suffix) or a regex string never to wrap"),
  hira_dropout: describe(z._default(z.number(), 0), "dropout (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.nullable(z.union([z.boolean(), z.literal("gaussian")])), true), "initialisation (no effect on the count)"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(list, null), "name of the layer list, for layers_to_transform"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), rank)), {}), "rank per module-name pattern: ignored by PEFT when it builds the layers (every module gets r)"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type HiraOptions = z.output<typeof hiraOptionsSchema>;

export function countHira(inv: Inventory, o: HiraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  refuseLayersWithRegexTargets("hira", o, true);
  const b = wrapModules(inv, o, {
    method: "hira",
    defaults: HIRA_TARGETS,
    wrappable: ["linear", "conv1d", "embedding"],
    perModule(m, add) {
      const r = o.r;
      if (m.kind === "embedding") {
        add("hira_embedding_A", r * m.numEmbeddings);
        add("hira_embedding_B", m.embeddingDim * r);
      } else {
        const { inFeatures, outFeatures } = featuresOf(m);
        add("hira_A", r * inFeatures);
        add("hira_B", outFeatures * r);
      }
    },
  }, ctx);
  if (o.rank_pattern === null || Object.keys(o.rank_pattern).length === 0) return b;
  return { ...b, warnings: [...b.warnings, `rank_pattern is ignored: PEFT builds every HiRA layer with r=${o.r} (its dispatch_default reads config.r)`] };
}

export const hira = {
  id: "hira",
  title: "HiRA",
  paper: "https://openreview.net/forum?id=TwJrTz9cRS",
  peftType: "HIRA",
  expression: "Σ_targets r·(d_in + d_out)",
  schema: hiraOptionsSchema,
  peftVersions: { since: "0.20.0" },
  count: countHira,
  compact: indexFree,
} as const satisfies Formula<typeof hiraOptionsSchema>;
