/**
 * Inventories as templates (src/model/compact.ts): an MoE family lists its routed experts once per layer and
 * the full inventory expands them. For random small MoE models (the per-expert layout of five families) and
 * random LoRA options — plain names, regexes, index keys, layers_to_transform, rank patterns, modules_to_save,
 * biases, task heads, trainable tokens — counting on the compact form (when `evaluate` picks it) gives exactly
 * the breakdown counting on the expanded list gives: same parts in the same order, same allParams and active
 * counts, same warnings, same refusal.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { InputError } from "../../src/errors.js";
import { compactOf, expandModules, modelParams } from "../../src/model/compact.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { evaluate, parseOptions, countedOn, type Formula } from "../../formulas/types.js";
import { FORMULAS } from "../../formulas/index.js";
import { lora } from "../../formulas/peft/lora.js";

const TYPES = ["mixtral", "qwen2_moe", "qwen3_moe", "olmoe", "phimoe"] as const;

const moeConfig = fc
  .record({
    type: fc.constantFrom(...TYPES),
    experts: fc.integer({ min: 2, max: 5 }),
    perTok: fc.integer({ min: 1, max: 2 }),
    layers: fc.integer({ min: 1, max: 4 }),
    kv: fc.integer({ min: 1, max: 2 }),
    group: fc.integer({ min: 1, max: 2 }),
    headDim: fc.integer({ min: 1, max: 4 }),
    inter: fc.integer({ min: 1, max: 8 }),
    moeInter: fc.integer({ min: 1, max: 6 }),
    vocab: fc.integer({ min: 4, max: 20 }),
    tie: fc.boolean(),
    dense: fc.subarray([0, 1, 2]),
    step: fc.integer({ min: 1, max: 2 }),
  })
  .map((c) => {
    const heads = c.kv * c.group;
    const cfg: Record<string, unknown> = {
      model_type: c.type,
      hidden_size: heads * c.headDim,
      num_attention_heads: heads,
      num_key_value_heads: c.kv,
      intermediate_size: c.inter,
      vocab_size: c.vocab,
      num_hidden_layers: c.layers,
      tie_word_embeddings: c.tie,
      num_experts_per_tok: c.perTok,
      max_position_embeddings: 64,
    };
    if (c.type === "mixtral" || c.type === "phimoe") cfg["num_local_experts"] = c.experts;
    else cfg["num_experts"] = c.experts;
    if (c.type === "qwen2_moe" || c.type === "qwen3_moe")
      Object.assign(cfg, { moe_intermediate_size: c.moeInter, decoder_sparse_step: c.step, mlp_only_layers: c.dense, head_dim: c.headDim, ...(c.type === "qwen2_moe" ? { shared_expert_intermediate_size: c.inter } : {}) });
    return cfg;
  });

const model = fc.record({ cfg: moeConfig, task: fc.constantFrom("CAUSAL_LM", "SEQ_CLS") }).map(({ cfg, task }) => {
  try {
    return buildInventory(cfg, { expertLayout: "per-expert", task: task as "CAUSAL_LM" });
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
});

const NAMES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "w1", "w2", "w3", "gate", "shared_expert_gate", "mlp.gate", "self_attn.o_proj", "experts.0.gate_proj", "experts.1.w2", "mlp.experts.1.up_proj", "embed_tokens", "lm_head", "score"];
const REGEXES = [".*experts\\.1\\..*", ".*\\.(q_proj|w1|gate_proj)", ".*\\.0\\.mlp\\..*", ".*_proj"];

const loraOptions = fc.record(
  {
    r: fc.integer({ min: 1, max: 8 }),
    target_modules: fc.oneof(fc.constant(null), fc.constant("all-linear"), fc.constantFrom(...REGEXES), fc.subarray(NAMES, { minLength: 1, maxLength: 5 })),
    exclude_modules: fc.oneof(fc.subarray(NAMES, { minLength: 1, maxLength: 2 }), fc.constantFrom(...REGEXES)),
    layers_to_transform: fc.oneof(fc.constant(0), fc.constant([1]), fc.constant([])),
    rank_pattern: fc.dictionary(fc.constantFrom("gate_proj", "w2", "q_proj", "experts.1.up_proj", ".*\\.1\\.w1", "mlp"), fc.integer({ min: 1, max: 6 }), { maxKeys: 2 }),
    alpha_pattern: fc.dictionary(fc.constantFrom("down_proj", "experts.0.w3"), fc.integer({ min: 1, max: 6 }), { maxKeys: 1 }),
    modules_to_save: fc.subarray(["gate", "up_proj", "experts", "norm", "w3", "experts.1", "embed_tokens", "score"], { minLength: 1, maxLength: 2 }),
    bias: fc.constantFrom("none", "all", "lora_only"),
    use_dora: fc.boolean(),
    task_type: fc.constantFrom(null, "CAUSAL_LM", "SEQ_CLS"),
    trainable_token_indices: fc.constantFrom<unknown>([0, 1], { embed_tokens: [0] }, { q_proj: [0, 1] }, { down_proj: [1], gate: [0] }),
    // BD-LoRA matches substrings of module names
    use_bdlora: fc.record({ target_modules_bd_a: fc.subarray(["1.w1", "q_proj", "experts.1", "gate_proj", "w3"]), target_modules_bd_b: fc.subarray(["down_proj", "w2", "1.up_proj"]), match_strict: fc.constant(false) }),
  },
  { requiredKeys: ["r", "target_modules"] },
);

/** sizes that fit the tiny models, so that these methods count instead of refusing */
const SMALL: Record<string, Record<string, unknown>> = {
  adalora: { total_step: 100, init_r: 2, target_r: 1 },
  road: { group_size: 1 },
  c3a: { block_size: 1 },
  vblora: { vector_length: 1, num_vectors: 8, topk: 2 },
  fourierft: { n_frequency: 1 },
  shira: { r: 1 },
  supertuning: { sparsity: 0.5 },
  ia3: { feedforward_modules: ["down_proj", "w2"] },
};

/** the inventory as one plain full list (a spread drops the compact form: compact.ts) */
const expanded = (inv: Inventory): Inventory => ({ ...inv });

function outcome(f: Formula, inv: Inventory, options: unknown): unknown {
  try {
    return { ok: evaluate(f, inv, options).breakdown };
  } catch (e) {
    if (e instanceof InputError) return { err: `${e.code}: ${e.message} | ${e.hint ?? ""}` };
    throw e;
  }
}

describe("compact inventories", () => {
  test.prop([model], { numRuns: 60 })("expand to the modules, totals and names of the full list", (inv) => {
    if (inv === undefined) return;
    const compact = compactOf(inv);
    const full = inv.modules;
    // repeated experts, or identical layers (all sparse or all dense) of two or more, give a compact form
    if (compact === undefined) {
      expect(full.some((m) => /\.experts\.1\./.test(m.name))).toBe(false);
      return;
    }
    expect(expandModules(compact!.modules)).toEqual(full);
    expect(compact!.modules.length).toBeLessThan(full.length);
    expect(modelParams(inv)).toBe(totalParams(full));
    expect(new Set(full.map((m) => m.name)).size).toBe(full.length);
  });

  test.prop([model, loraOptions], { numRuns: 300 })("LoRA counts the same on the compact form and on the expanded list", (inv, options) => {
    if (inv === undefined) return;
    expect(outcome(lora, inv, options)).toEqual(outcome(lora, expanded(inv), options));
  });

  test.prop([model, fc.constantFrom<unknown>({ q_proj: [0, 1] }, { down_proj: [1], gate: [0] }, { w2: [0], embed_tokens: [1] }), fc.constantFrom<unknown>(["o_proj"], "all-linear", ["k_proj", "w1"])], { numRuns: 100 })(
    "trainable tokens on a repeated module count once per module it stands for",
    (inv, tokens, targets) => {
      if (inv === undefined) return;
      const options = { r: 2, target_modules: targets, trainable_token_indices: tokens };
      expect(outcome(lora, inv, options)).toEqual(outcome(lora, expanded(inv), options));
    },
  );

  test.prop([model, loraOptions], { numRuns: 150 })("every method that counts on compact forms counts the same there", (inv, options) => {
    if (inv === undefined) return;
    for (const f of (FORMULAS as readonly Formula[]).filter((x) => x.compact !== undefined)) {
      const shape = (f.schema as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape ?? {};
      const own = { ...Object.fromEntries(Object.entries(options).filter(([k]) => k in shape)), ...SMALL[f.id] };
      expect(outcome(f, inv, own), f.id).toEqual(outcome(f, expanded(inv), own));
    }
  });

  test.prop([model], { numRuns: 40 })("all-linear LoRA counts on the compact form; a regex or an index key does not", (inv) => {
    if (inv === undefined) return;
    const on = (o: unknown) => countedOn(lora, inv, parseOptions(lora, o));
    const compact = compactOf(inv) ?? inv;
    expect(on({ target_modules: "all-linear" })).toBe(compact);
    expect(on({ target_modules: ["gate_proj", "w1", "q_proj"], rank_pattern: { down_proj: 2 }, modules_to_save: ["norm"] })).toBe(compact);
    expect(on({ target_modules: ".*_proj" })).toBe(inv);
    expect(on({ target_modules: ["experts.1.w1"] })).toBe(inv);
    expect(on({ target_modules: "all-linear", layers_to_transform: [0] })).toBe(inv);
    expect(on({ target_modules: "all-linear", rank_pattern: { "experts\\.1": 2 } })).toBe(inv);
    expect(on({ target_modules: "all-linear", exclude_modules: ".*gate" })).toBe(inv);
    expect(on({ target_modules: "all-linear", use_bdlora: { target_modules_bd_a: ["q_proj"], target_modules_bd_b: ["down_proj"] } })).toBe(compact);
    expect(on({ target_modules: "all-linear", use_bdlora: { target_modules_bd_a: ["1.w1"], target_modules_bd_b: ["down_proj"] } })).toBe(inv);
  });
});
