/**
 * TriAdaptLoRA (Liang, Wang, Zeng 2025, arXiv:2501.08008): LoRA whose r × r core is split into lower / upper
 * triangular parts and grown block by block during training (rank growth by normalised Frobenius-norm importance
 * against a dynamic threshold). Per wrapped Linear (in → out) at final rank r with growth blocks b₁..bₖ:
 *   r·(in + out) + r² + Σ bᵢ²
 * Exact for a given final rank per module (`r`, `rank_pattern`) and `block_sizes`; the ranks the growth rule
 * reaches depend on training data, so a run that only fixes a total-rank budget has bounds, not a count: with
 * `total_rank` set, the row counts the budget spread evenly (and says so), and the bounds are stated in the caveat.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { LORA_TARGETS } from "../../src/peft/default-targets.js";
import { lycorisRank } from "../../src/peft/lycoris.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

const rank = z.int().check(z.positive());
const list = z.nullable(stringOrList);

export const triadaptloraSchema = lazySchema(() => z.object({
  r: describe(z._default(rank, 8), "final rank per module (the rank growth stops here)"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), rank)), {}), "final rank per module-name pattern (exact: ranks the growth reached)"),
  block_sizes: describe(z._default(z.array(rank), []), "sizes bᵢ of the triangular blocks added as the rank grows (Σ bᵢ² per module)"),
  total_rank: describe(z._default(z.nullable(rank), null), "a total-rank budget instead of final ranks: counted spread evenly, a bound (the growth decides)"),
  target_modules: describe(z._default(list, null), 'module names (exact or suffix), a regex string, or "all-linear"; null: LoRA\'s default for the model_type'),
  exclude_modules: describe(z._default(list, null), "names (suffix) or a regex string never to wrap"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(list, null), "name of the layer list, for layers_to_transform"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type TriadaptloraOptions = z.output<typeof triadaptloraSchema>;

export function countTriadaptlora(inv: Inventory, o: TriadaptloraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const blocks = o.block_sizes.reduce((s, b) => s + b * b, 0);
  const evenRank = (wrapped: number) => {
    if (o.total_rank === null) return undefined;
    if (o.total_rank < wrapped) throw new InputError("INVALID_OPTION", `triadaptlora: total_rank ${o.total_rank} is below one rank per wrapped module (${wrapped})`, `set total_rank to ${wrapped} or more`);
    return Math.floor(o.total_rank / wrapped);
  };
  let spread: number | undefined;
  const result = wrapModules(inv, o, {
    method: "triadaptlora",
    defaults: LORA_TARGETS,
    wrappable: ["linear"],
    check(wrapped) {
      spread = evenRank(wrapped.length);
    },
    perModule(m, add) {
      const r = spread ?? lycorisRank(m, o);
      const f = featuresOf(m);
      add("lora_A", r * f.inFeatures);
      add("lora_B", f.outFeatures * r);
      add("triangular_core", r * r);
      if (blocks > 0) add("growth_blocks", blocks);
    },
  }, ctx);
  if (o.total_rank === null) return result;
  return { ...result, warnings: [...result.warnings, `total_rank ${o.total_rank} counted as ${spread} per module; the ranks the growth reaches depend on training, so the true count lies between the all-at-rank-1 and the budget-in-the-widest-module counts`] };
}

export const triadaptlora = {
  id: "triadaptlora",
  title: "TriAdaptLoRA",
  paper: "arXiv:2501.08008",
  peftType: null,
  expression: "Σ_targets r·(d_in + d_out) + r² + Σ bᵢ² (exact for given final ranks; total_rank alone: a bound)",
  schema: triadaptloraSchema,
  count: countTriadaptlora,
} as const satisfies Formula<typeof triadaptloraSchema>;
