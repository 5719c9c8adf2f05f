/**
 * Property tests of LoRA / DoRA on random small models (tests/model/arbitraries.ts): exact safe integers,
 * Σ parts = trainable, linearity in r and in the layer count, DoRA − LoRA = Σ d_out of the wrapped
 * modules, monotonicity in target_modules, MoE with one expert vs the dense model, allParams
 * bookkeeping and idempotent option echoing. Invariants only: no formula is recomputed here.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { dora } from "../../formulas/peft/dora.js";
import { lora, loraOptionsSchema } from "../../formulas/peft/lora.js";
import { evaluate, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { featuresOf, totalParams, type Inventory } from "../../src/model/types.js";
import { moduleTree } from "../../src/peft/modules.js";
import { targetableNames } from "../../src/peft/targets.js";
import { anyConfig, llamaLikeConfig, PER_LAYER_TARGETS, withLayers, type RawCfg } from "../model/arbitraries.js";

const RUNS = { numRuns: 100 };
const count = (inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(lora, inv, raw).breakdown;
const last = (name: string) => name.split(".").pop()!;
const rank = fc.integer({ min: 1, max: 16 });

/** A model, its inventory, and the names LoRA can target on it (Linear, Conv1D, Embedding leaves). */
const model = anyConfig.map((cfg) => {
  const inv = buildInventory(cfg);
  return { cfg, inv, names: targetableNames(moduleTree(inv.modules)), leafNames: [...new Set(inv.modules.map((m) => last(m.name)))] };
});
const withTargets = model.chain((m) => fc.record({ m: fc.constant(m), targets: fc.subarray(m.names, { minLength: 1 }), extra: fc.constantFrom(...m.names), r: rank }));

/** Everything else LoRA reads: biases, DoRA, modules_to_save, per-module ranks, layers, head, tokens. */
const extras = (m: { inv: Inventory; leafNames: string[] }, targets: string[]) =>
  fc.record({
    bias: fc.constantFrom("none", "all", "lora_only"),
    lora_bias: fc.boolean(),
    use_dora: fc.boolean(),
    modules_to_save: fc.option(fc.subarray(m.leafNames, { maxLength: 2 }), { nil: null }),
    rank_pattern: fc.dictionary(fc.constantFrom(...targets), rank, { maxKeys: 2 }),
    layers_to_transform: fc.option(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), { nil: null }),
    task_type: fc.constantFrom(null, m.inv.task),
    trainable_token_indices: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: m.inv.dims.vocabSize - 1 }), { minLength: 1, maxLength: 3 }), { nil: null }),
  });
const anyOptions = withTargets.chain((w) => fc.record({ w: fc.constant(w), extra: extras(w.m, w.targets) }));

/**
 * Count, or undefined where PEFT itself refuses the options (documented InputErrors): nothing left to wrap,
 * or the input embedding both in modules_to_save and trainable_token_indices (PEFT raises ValueError).
 */
function tryCount(inv: Inventory, raw: Record<string, unknown>): ParamBreakdown | undefined {
  try {
    return count(inv, raw);
  } catch (e) {
    if (e instanceof InputError && (e.code === "NO_TARGET_MATCHED" || e.code === "CONFLICTING_OPTIONS")) return undefined;
    throw e;
  }
}

describe("LoRA on random models and options", () => {
  test.prop([anyOptions], RUNS)("counts are safe integers, Σ parts = trainable, base ≤ allParams ≥ trainable", ({ w, extra }) => {
    const raw = { r: w.r, target_modules: w.targets, ...extra };
    const b = tryCount(w.m.inv, raw);
    if (b === undefined) return;
    const base = totalParams(w.m.inv.modules);
    for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
    expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
    expect(b.trainable).toBeGreaterThan(0);
    expect(b.allParams).toBeGreaterThanOrEqual(base);
    expect(b.allParams).toBeGreaterThanOrEqual(b.trainable);
    // which parameters train never changes how many exist
    expect(count(w.m.inv, { ...raw, bias: "none" }).allParams).toBe(b.allParams);
    // the echoed options count the same
    const echoed = evaluate(lora, w.m.inv, raw).options;
    expect(count(w.m.inv, JSON.parse(JSON.stringify(echoed)) as Record<string, unknown>)).toEqual(b);
  });

  test.prop([withTargets], RUNS)("plain LoRA: count(2r) = 2·count(r), part by part, rank_pattern included; everything added trains", ({ m, targets, r }) => {
    const pattern = Object.fromEntries(targets.slice(0, 1).map((t) => [t, r + 1]));
    const one = count(m.inv, { r, target_modules: targets, rank_pattern: pattern });
    const two = count(m.inv, { r: 2 * r, target_modules: targets, rank_pattern: Object.fromEntries(Object.entries(pattern).map(([k, v]) => [k, 2 * v])) });
    expect(two.trainable).toBe(2 * one.trainable);
    expect(two.parts.map((p) => [p.name, p.modules, p.count])).toEqual(one.parts.map((p) => [p.name, p.modules, 2 * p.count]));
    expect(one.allParams - totalParams(m.inv.modules)).toBe(one.trainable);
  });

  test.prop([withTargets], RUNS)("DoRA − LoRA = Σ d_out over the wrapped modules; the dora id is LoRA with use_dora", ({ m, targets, r }) => {
    const plain = count(m.inv, { r, target_modules: targets });
    const withDora = count(m.inv, { r, target_modules: targets, use_dora: true });
    // a list target is a suffix: without layers_to_transform it wraps every leaf of that last name
    const wrapped = m.inv.modules.filter((x) => targets.includes(last(x.name)));
    const dOut = wrapped.reduce((s, x) => s + (x.kind === "embedding" ? x.embeddingDim : featuresOf(x).outFeatures), 0);
    expect(withDora.trainable - plain.trainable).toBe(dOut);
    expect(withDora.allParams - plain.allParams).toBe(dOut);
    const viaId = evaluate(dora, m.inv, { r, target_modules: targets });
    expect(viaId.options.use_dora).toBe(true);
    expect(viaId.breakdown).toEqual(withDora);
  });

  test.prop([anyOptions], RUNS)("adding a target module never decreases the count (strictly increases for plain LoRA)", ({ w, extra }) => {
    const more = [...new Set([...w.targets, w.extra])];
    const plain = { r: w.r };
    expect(count(w.m.inv, { ...plain, target_modules: more }).trainable).toBeGreaterThanOrEqual(count(w.m.inv, { ...plain, target_modules: w.targets }).trainable);
    if (!w.targets.includes(w.extra))
      expect(count(w.m.inv, { ...plain, target_modules: more }).trainable).toBeGreaterThan(count(w.m.inv, { ...plain, target_modules: w.targets }).trainable);
    const raw = { r: w.r, ...extra, trainable_token_indices: null };
    const before = tryCount(w.m.inv, { ...raw, target_modules: w.targets });
    if (before === undefined) return;
    expect(count(w.m.inv, { ...raw, target_modules: more }).trainable).toBeGreaterThanOrEqual(before.trainable);
  });
});

describe("layers", () => {
  const perLayer = anyConfig.chain((cfg) =>
    fc.record({
      cfg: fc.constant(cfg),
      targets: fc.subarray([...PER_LAYER_TARGETS[cfg.model_type]!], { minLength: 1 }),
      r: rank,
      layers: fc.integer({ min: 1, max: 8 }),
      use_dora: fc.boolean(),
      lora_bias: fc.boolean(),
      bias: fc.constantFrom("none", "lora_only"),
    }),
  );

  test.prop([perLayer], RUNS)("LoRA on per-layer targets is linear in num_hidden_layers", ({ cfg, layers, targets, ...o }) => {
    // PEFT refuses lora_bias with DoRA (LoraConfig.__post_init__)
    const at = (n: number) => count(buildInventory(withLayers(cfg, n)), { ...o, lora_bias: o.lora_bias && !o.use_dora, target_modules: targets });
    const one = at(1);
    expect(one.trainable).toBeGreaterThan(0);
    expect(at(layers).trainable).toBe(layers * one.trainable);
  });

  test.prop([perLayer], RUNS)('with bias="all" it is affine in num_hidden_layers', ({ cfg, layers, r, targets }) => {
    const at = (n: number) => count(buildInventory(withLayers(cfg, n)), { r, target_modules: targets, bias: "all" }).trainable;
    expect(at(layers)).toBe(at(1) + (layers - 1) * (at(2) - at(1)));
  });

  const llamaLike = fc.constantFrom("llama", "mistral", "qwen2").chain((t) => llamaLikeConfig(t as "llama"));
  test.prop([llamaLike, rank, fc.integer({ min: 1, max: 3 })], RUNS)(
    "layer_replication: k copies of the whole stack train k times the adapters and add no base weights",
    (cfg, r, k) => {
      const inv = buildInventory(cfg);
      const L = inv.dims.numHiddenLayers;
      const once = count(inv, { r, target_modules: ["q_proj", "v_proj"] });
      const stacked = count(inv, { r, target_modules: ["q_proj", "v_proj"], layer_replication: Array.from({ length: k }, () => [0, L]) });
      expect(stacked.trainable).toBe(k * once.trainable);
      expect(stacked.allParams - totalParams(inv.modules)).toBe(stacked.trainable);
    },
  );
});

describe("MoE: mixtral with one local expert vs mistral of the same dims", () => {
  const pair = fc.record({ cfg: llamaLikeConfig("mistral"), r: rank, layout: fc.constantFrom("per-expert", "fused") as fc.Arbitrary<"per-expert" | "fused"> });
  const build = (cfg: RawCfg, layout: "per-expert" | "fused") => ({
    dense: buildInventory(cfg),
    moe: buildInventory({ ...cfg, model_type: "mixtral", num_local_experts: 1, num_experts_per_tok: 1 }, { expertLayout: layout }),
  });
  const routerParams = (cfg: RawCfg) => (cfg["num_hidden_layers"] as number) * (cfg["hidden_size"] as number);

  test.prop([pair, fc.subarray(["q_proj", "k_proj", "v_proj", "o_proj"], { minLength: 1 })], RUNS)(
    "LoRA on attention trains the same; the only extra parameters are the routers (L × hidden)",
    ({ cfg, r, layout }, targets) => {
      const { dense, moe } = build(cfg, layout);
      expect(totalParams(moe.modules) - totalParams(dense.modules)).toBe(routerParams(cfg));
      const a = count(dense, { r, target_modules: targets });
      const b = count(moe, { r, target_modules: targets });
      expect(b.trainable).toBe(a.trainable);
      expect(b.allParams - a.allParams).toBe(routerParams(cfg));
    },
  );

  test.prop([pair], RUNS)("LoRA on the single expert (w1, w3, w2) equals LoRA on the dense MLP (gate, up, down)", ({ cfg, r }) => {
    const { dense, moe } = build(cfg, "per-expert");
    expect(count(moe, { r, target_modules: ["w1", "w3", "w2"] }).trainable).toBe(count(dense, { r, target_modules: ["gate_proj", "up_proj", "down_proj"] }).trainable);
  });

  test.prop([pair], RUNS)("all-linear on per-expert mixtral also wraps the router: exactly L·r·(hidden + 1) more", ({ cfg, r }) => {
    const { dense, moe } = build(cfg, "per-expert");
    const diff = count(moe, { r, target_modules: "all-linear" }).trainable - count(dense, { r, target_modules: "all-linear" }).trainable;
    expect(diff).toBe((cfg["num_hidden_layers"] as number) * r * ((cfg["hidden_size"] as number) + 1));
  });
});

describe("options echo", () => {
  const rawOptions = fc.record(
    {
      r: rank,
      target_modules: fc.oneof(fc.constant("all-linear"), fc.constant(".*q_proj"), fc.array(fc.constantFrom("q_proj", "v_proj", "c_attn"), { minLength: 1 })),
      lora_alpha: fc.integer({ min: 1, max: 64 }),
      lora_dropout: fc.double({ min: 0, max: 1, noNaN: true }),
      use_rslora: fc.boolean(),
      bias: fc.constantFrom("none", "all", "lora_only"),
      use_dora: fc.boolean(),
      modules_to_save: fc.option(fc.array(fc.constantFrom("lm_head", "score")), { nil: null }),
      layers_to_transform: fc.option(fc.oneof(fc.nat(8), fc.array(fc.nat(8))), { nil: null }),
      rank_pattern: fc.dictionary(fc.constantFrom("q_proj", "v_proj"), rank),
      task_type: fc.constantFrom(null, "CAUSAL_LM", "SEQ_CLS"),
      layer_replication: fc.option(fc.array(fc.tuple(fc.nat(4), fc.nat(8))), { nil: null }),
      peft_type: fc.constant("LORA"),
      base_model_name_or_path: fc.string(),
    },
    { requiredKeys: [] },
  );

  test.prop([rawOptions, fc.constantFrom(lora, dora)], RUNS)("schema.parse(echoed) = echoed, through JSON too, with every key and no unknown one", (raw, formula) => {
    // a DoRA row is DoRA: the dora id refuses use_dora=false (that would be LoRA under DoRA's title)
    if (formula === dora && raw.use_dora === false) {
      expect(formula.schema.safeParse(raw).success).toBe(false);
      return;
    }
    const echoed = formula.schema.parse(raw);
    expect(formula.schema.parse(echoed)).toEqual(echoed);
    expect(formula.schema.parse(JSON.parse(JSON.stringify(echoed)))).toEqual(echoed);
    expect(Object.keys(echoed).sort()).toEqual(Object.keys(loraOptionsSchema.shape).sort());
  });
});
