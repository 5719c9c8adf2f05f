/**
 * LoRA (and DoRA with `use_dora`) as PEFT builds it (peft src/peft/tuners/lora/{config,layer,model}.py).
 * Per wrapped Linear / Conv1D: lora_A (r × in) + lora_B (out × r) [+ out with lora_bias] [+ out DoRA magnitude];
 * per wrapped Embedding: lora_embedding_A (r × vocab) + lora_embedding_B (dim × r) [+ dim DoRA magnitude].
 * The newer variants (KaSA, MonteCLoRA, BD-LoRA, MiCA, aLoRA, VeLoRA) change these shapes as
 * src/peft/lora-variants.ts says; `target_parameters` wraps bare parameters (src/peft/target-parameters.ts),
 * and on transformers 5 PEFT rewrites transformers-4 MoE expert names into them (src/peft/moe-target-names.ts).
 * r per module: the first `rank_pattern` key matching the end of the module (parameter) name, else `r`.
 * `lora_alpha`, `alpha_pattern`, `use_rslora`, `lora_dropout`, the init methods (loftq / eva / corda / pissa /
 * olora / lora_ga configs) and `ensure_weight_tying` change values, never the count.
 */
import { memoByKey } from "../../src/peft/memo.js";
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory, ParamModule } from "../../src/model/types.js";
import { settle, type AddedParam, type ParamBreakdown } from "../../src/peft/apply.js";
import { moduleTensors, resolveVariants } from "../../src/peft/lora-variants.js";
import { moduleTree } from "../../src/peft/modules.js";
import { groupedTensors, labelledClasses, moduleClasses, type AddTensor, type ModuleLabels } from "../../src/peft/plan.js";
import { rewriteMoeTargets } from "../../src/peft/moe-target-names.js";
import type { TargetingConfig } from "../../src/peft/targets.js";
import { matchStart } from "../../src/peft/regex.js";
import { replicateLayers } from "../../src/peft/replicate.js";
import { checkParamTargets, findModuleTargets, findParamTargets, paramTensors, type ParamTarget } from "../../src/peft/target-parameters.js";
import { isMambaModelType, refuseMambaTargets } from "../../src/peft/mamba-targets.js";
import { LORA_DEFAULT_TARGETS } from "../../src/peft/defaults.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { biasMatchesSuffix, effectiveModulesToSave, headTaskWarning, refuseWrappedHead, targetingModulesToSave } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula } from "../types.js";

const rank = z.int().check(z.positive());
const nullableList = <T extends z.ZodMiniType>(item: T) => z._default(z.nullable(z.array(item)), null);
/** an open sub-config (PEFT dataclass as a dict): counted only through the keys below */
const subConfig = z.record(z.string(), z.unknown());

const bdLoraSchema = z.object({
  target_modules_bd_a: describe(nullableList(z.string()), "patterns (substring of the full module name) whose lora_A is block-diagonal"),
  target_modules_bd_b: describe(nullableList(z.string()), "patterns whose lora_B is block-diagonal"),
  nblocks: describe(z._default(rank, 1), "blocks per block-diagonal factor"),
  match_strict: describe(z._default(z.boolean(), true), "every target must match one of the two lists"),
});
const kasaSchema = z.object({
  beta: describe(z._default(z.number().check(z.gte(0)), 1e-4), "L2 weight of lora_diag (no effect on the count)"),
  gamma: describe(z._default(z.number().check(z.gte(0)), 1e-3), "orthogonality weight (no effect on the count)"),
});
const montecloraSchema = z.object({
  num_samples: describe(z._default(rank, 8), "Monte Carlo samples: the size of expert_weights_prior"),
  use_entropy: z._default(z.boolean(), false),
  dirichlet_prior: z._default(z.number().check(z.positive()), 0.1),
  sample_scaler: z._default(z.number(), 1e-4),
  kl_loss_weight: z._default(z.number(), 1e-5),
  buffer_size: z._default(rank, 150),
});

export const loraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(rank, 8), "adapter rank"),
  ...FULL_TARGETING,
  lora_alpha: describe(z._default(z.number(), 8), "scaling numerator (no effect on the count)"),
  lora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count; must be 0 with target_parameters)"),
  use_rslora: describe(z._default(z.boolean(), false), "rank-stabilised scaling (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "lora_only"]), "none"), "which biases train: none, all (every parameter named *bias*), lora_only"),
  lora_bias: describe(z._default(z.boolean(), false), "give lora_B a bias"),
  use_dora: describe(z._default(z.boolean(), false), "DoRA: add a magnitude vector per wrapped module"),
  init_lora_weights: describe(z._default(z.union([z.boolean(), z.string()]), true), 'initialisation; "mica" freezes lora_B (peft ≥ 0.20), the others change values only'),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), rank)), {}), "rank per module-name pattern"),
  alpha_pattern: describe(z._default(z.nullable(z.record(z.string(), z.number())), {}), "alpha per module-name pattern (no effect on the count)"),
  trainable_token_indices: describe(z._default(z.nullable(z.union([z.array(nonNegInt), z.record(z.string(), z.array(nonNegInt))])), null), "token rows of the embedding to train"),
  layer_replication: describe(z._default(z.nullable(z.array(z.tuple([nonNegInt, nonNegInt]))), null), "[[start, end), ...] layer ranges to stack, sharing weights"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count; refused with target_parameters)"),
  target_parameters: describe(nullableList(z.string()), "bare parameters to adapt (e.g. fused MoE experts mlp.experts.gate_up_proj): E·r·(d1 + d2) for a 3-D [E, d1, d2], r·(d0 + d1) for a 2-D one"),
  use_bdlora: describe(z._default(z.nullable(bdLoraSchema), null), "BD-LoRA (peft ≥ 0.19): block-diagonal lora_A or lora_B per module"),
  kasa_config: describe(z._default(z.nullable(kasaSchema), null), "KaSA (peft ≥ 0.21): adds lora_diag (r) per module"),
  monteclora_config: describe(z._default(z.nullable(montecloraSchema), null), "MonteCLoRA (peft ≥ 0.20): adds a sampler (r + num_samples) per module"),
  velora_config: describe(z._default(z.nullable(subConfig), null), "VeLoRA (peft ≥ 0.20): buffers only, no parameter"),
  alora_invocation_tokens: describe(nullableList(nonNegInt), "aLoRA (peft ≥ 0.18): no parameter"),
  arrow_config: describe(z._default(z.nullable(subConfig), null), "Arrow routing: built by create_arrow_model, not modelled, refused"),
  ensure_weight_tying: describe(z._default(z.boolean(), false), "tie the adapters of tied layers (no effect on the count)"),
  use_qalora: describe(z._default(z.boolean(), false), "QALoRA on GPTQ-quantized layers: not modelled, refused"),
  qalora_group_size: describe(z._default(rank, 16), "QALoRA pooling (only with use_qalora)"),
}));
export type LoraOptions = z.output<typeof loraOptionsSchema>;

/**
 * rank_pattern as a label per module (plan.ts labelledClasses): the index of the first key that matches its name
 * (-1: none), so modules stay grouped by class and label and are counted once per group, not one by one. The
 * labels depend on the keys only, not on r or the ranks, and are kept per targeting plan.
 */
function rankLabels(patterns: Readonly<Record<string, number>>): ModuleLabels {
  const keys = Object.keys(patterns);
  return { key: `rank_pattern\u0000${JSON.stringify(keys)}`, of: (name) => String(keys.findIndex((p) => matchStart(`(.*\\.)?(${p})$`, [p], name, "rank_pattern"))) };
}

/** rankLabels of each bare parameter target (their list is frozen and kept per tree: findParamTargets), memoised */
const paramLabelsOf = memoByKey<readonly ParamTarget[], readonly string[]>(64);
function paramLabels(params: readonly ParamTarget[], patterns: Readonly<Record<string, number>>): readonly string[] {
  const labels = rankLabels(patterns);
  return paramLabelsOf(params, labels.key, () => params.map((p) => labels.of(p.key)));
}

const rankOfLabel = (label: string, patterns: Readonly<Record<string, number>>, r: number): number => (label === "-1" ? r : patterns[Object.keys(patterns)[Number(label)]!]!);

/** fan_in_fan_out after PEFT's dispatch: a wrapped Linear sets it false, a wrapped Conv1D true (the last one wins). */
function fanInFanOutAfter(wrapped: readonly ParamModule[], given: boolean): boolean {
  for (let i = wrapped.length - 1; i >= 0; i--) if (wrapped[i]!.kind === "linear" || wrapped[i]!.kind === "conv1d") return wrapped[i]!.kind === "conv1d";
  return given;
}

export function countLoraParams(inventory: Inventory, options: LoraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if (options.use_qalora)
    throw new InputError("UNSUPPORTED_OPTION", "lora: use_qalora applies to GPTQ-quantized layers, which peftcount does not model", "remove use_qalora to count LoRA on the unquantized layers");
  const warnings: string[] = [];
  const { options: o, variants } = resolveVariants(options, ctx, warnings);
  checkLayerKeys("lora", o, ctx);
  const inv = o.layer_replication ? replicateLayers(inventory, o.layer_replication) : inventory;
  const tree = moduleTree(inv.modules);
  const modulesToSave = effectiveModulesToSave(o.modules_to_save, o.task_type);
  // the targeting keys only (copying the whole ~40-key options object three times per evaluation was a
  // measurable part of an evaluation's cost)
  const cfg: TargetingConfig = {
    target_modules: o.target_modules,
    exclude_modules: o.exclude_modules,
    layers_to_transform: o.layers_to_transform,
    layers_pattern: o.layers_pattern,
    modules_to_save: targetingModulesToSave(o.modules_to_save, o.task_type),
    task_type: o.task_type,
  };
  const t = rewriteMoeTargets(inv, tree, cfg, { target_modules: o.target_modules, target_parameters: o.target_parameters, rank_pattern: o.rank_pattern ?? {}, r: o.r }, ctx);
  if (t.note) warnings.push(t.note);
  const params = findParamTargets(tree, t.target_parameters);
  const wrapped = findModuleTargets(inv, tree, t.target_modules === cfg.target_modules ? cfg : { ...cfg, target_modules: t.target_modules }, params, t.target_parameters, ["linear", "conv1d", "embedding"], warnings, LORA_DEFAULT_TARGETS);
  refuseWrappedHead("lora", tree, wrapped, o.task_type);
  if (isMambaModelType(inv.modelType)) refuseMambaTargets("lora", "LORA", inv.modelType, [...wrapped, ...params.map((p) => p.module)].map((m) => m.name), ctx);

  const added: AddedParam[] = [];
  const frozenAdded: AddedParam[] = [];
  // modules of one class (group × routed × shape) get the same tensors: counted once and multiplied; with a
  // rank_pattern, once per class and matching key
  const tensors = (m: ParamModule, r: number, add: AddTensor) => {
    for (const x of moduleTensors(m, r, o, variants)) add(x.param, x.count, !x.frozen);
  };
  const patterns = t.rank_pattern;
  const grouped =
    Object.keys(patterns).length > 0
      ? labelledClasses(inv, tree, wrapped, rankLabels(patterns)).flatMap((c) => groupedTensors([c], (m, add) => tensors(m, rankOfLabel(c.label, patterns, o.r), add)))
      : groupedTensors(moduleClasses(inv, tree, wrapped), (m, add) => tensors(m, o.r, add));
  checkParamTargets(params, wrapped, o, fanInFanOutAfter(wrapped, o.fan_in_fan_out), variants, tree, modulesToSave);
  if (params.length > 0) {
    const labels = paramLabels(params, patterns);
    params.forEach((p, i) => added.push(...paramTensors(p, rankOfLabel(labels[i]!, patterns, o.r))));
  }

  const head = headTaskWarning(inv, o.task_type);
  if (head) warnings.push(head);
  // the modules holding bare parameter targets that are not wrapped themselves (a Set: hundreds of each on an MoE)
  let paramModules: ParamModule[] = [];
  if (params.length > 0) {
    const inWrapped = new Set(wrapped);
    paramModules = [...new Set(params.map((p) => p.module))].filter((m) => !inWrapped.has(m));
  }
  return settle({
    inv,
    tree,
    added,
    frozenAdded,
    grouped,
    wrapped: paramModules.length > 0 ? [...wrapped, ...paramModules] : wrapped,
    bias: o.bias,
    biasEndsWith: biasMatchesSuffix(ctx),
    modulesToSave,
    trainableTokenIndices: o.trainable_token_indices,
    warnings,
  });
}

/** LoRA's tensors go through the weighted engine; bare parameters and replicated layers are counted by name. */
export function loraCompact(o: LoraOptions): boolean {
  return indexFree(o) && (o.layer_replication ?? null) === null && (o.target_parameters ?? []).length === 0;
}

/** LoRA's counts grow by r·(d_in + d_out) per module with r; BD-LoRA (r / nblocks) and KaSA (r < min(d_in, d_out)) refuse some r. */
export function loraAffine(o: LoraOptions, key: string): boolean {
  return key === "r" && o.use_bdlora === null && o.kasa_config === null && !o.use_qalora;
}

export const lora = {
  id: "lora",
  title: "LoRA",
  paper: "arXiv:2106.09685",
  peftType: "LORA",
  expression: "Σ_targets r·(d_in + d_out)  [+ d_out per target with use_dora / lora_bias]",
  schema: loraOptionsSchema,
  count: countLoraParams,
  compact: loraCompact,
  affine: loraAffine,
} as const satisfies Formula<typeof loraOptionsSchema>;
