/**
 * The fast paths of an evaluation against the plain one. For random small models (dense and MoE), methods,
 * options and knob values:
 * - `planMethod` / `sweep` (formulas/sweep.ts: options parsed once, only the knob validated per point, engine
 *   caches warm) give exactly what a plain evaluation gives on a fresh inventory — zod's own parse of the
 *   whole options, `count`, the checks — parts in the same order, counts, warnings, active counts, or the same
 *   refusal (code and message);
 * - the parse memo of `evaluate` (formulas/types.ts `parseOptions`) returns zod's output for equal data, and
 *   refuses exactly what zod refuses.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { findFormula } from "../../formulas/index.js";
import { planMethod, sweep } from "../../formulas/sweep.js";
import { checkedBreakdown, optionsKey, OptionsError, parseOptions, type Formula } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Inventory } from "../../src/model/types.js";
import { DEFAULT_VERSIONS } from "../../src/versions.js";
import { anyConfig, llamaLikeConfig } from "../model/arbitraries.js";

/** method → its size knob and values to try (some invalid: 0, negative, fractional, wrong type) */
const KNOBS: Record<string, { key: string; values: fc.Arbitrary<unknown> }> = {
  lora: { key: "r", values: fc.integer({ min: 1, max: 12 }) },
  loha: { key: "r", values: fc.integer({ min: 1, max: 12 }) },
  lokr: { key: "r", values: fc.integer({ min: 1, max: 12 }) },
  adalora: { key: "init_r", values: fc.integer({ min: 1, max: 12 }) },
  vera: { key: "r", values: fc.integer({ min: 1, max: 12 }) },
  oft: { key: "r", values: fc.integer({ min: 0, max: 6 }) },
  boft: { key: "boft_block_size", values: fc.integer({ min: 0, max: 6 }) },
  fourierft: { key: "n_frequency", values: fc.integer({ min: 1, max: 40 }) },
  ia3: { key: "target_modules", values: fc.constantFrom(null, "all-linear", ["q_proj", "v_proj"], ["c_attn"], ["query", "value"], ["nothing"]) },
  "prefix-tuning": { key: "num_virtual_tokens", values: fc.integer({ min: 1, max: 30 }) },
  "ln-tuning": { key: "target_modules", values: fc.constantFrom(null, ["norm"], ["layernorm"], ["input_layernorm"]) },
};
const METHODS = Object.keys(KNOBS);
const odd = fc.constantFrom<unknown>(0, -1, 2.5, "8", null, true);

type Outcome = { ok: unknown } | { err: string };
function outcome(f: () => unknown): Outcome {
  try {
    return { ok: f() };
  } catch (e) {
    if (e instanceof InputError) return { err: `${e.code}: ${e.message}` };
    throw e;
  }
}

/** The plain path: zod parses the whole options, count on an inventory no evaluation has touched. */
function plain(formula: Formula, cfg: Record<string, unknown>, layout: "per-expert" | undefined, raw: Record<string, unknown>): Outcome {
  return outcome(() => {
    const inv: Inventory = buildInventory(cfg as never, layout ? { expertLayout: layout } : {});
    const parsed = formula.schema.safeParse(raw);
    if (!parsed.success) throw new OptionsError(formula.id, [{ key: "options", message: "invalid" }]);
    return checkedBreakdown(formula, formula.count(inv, parsed.data, DEFAULT_VERSIONS));
  });
}
const sameRefusal = (a: Outcome, b: Outcome) => ("err" in a && "err" in b ? a.err.split(":")[0] === b.err.split(":")[0] : false);

const models = fc.oneof(
  anyConfig.map((cfg) => ({ cfg, layout: undefined })),
  llamaLikeConfig("mixtral").map((cfg) => ({ cfg, layout: "per-expert" as const })),
);
const base = (m: string) =>
  fc.record({
    target_modules: fc.constantFrom(null, "all-linear", ["q_proj", "v_proj"], ["c_attn"], ["query", "value"], ".*\\.(q|v)_proj"),
    modules_to_save: fc.option(fc.constantFrom(["norm"], ["lm_head"]), { nil: null }),
    bias: fc.constantFrom("none", "all"),
    task_type: fc.constantFrom(null, "CAUSAL_LM"),
    ...(m === "ia3" ? { feedforward_modules: fc.constantFrom(null, [], "down_proj") } : {}),
    ...(m === "adalora" ? { total_step: fc.constantFrom(1000, 0) } : {}),
  });
const scenario = fc
  .record({ model: models, method: fc.constantFrom(...METHODS) })
  .chain(({ model, method }) => fc.record({ model: fc.constant(model), method: fc.constant(method), raw: base(method), values: fc.array(fc.oneof({ weight: 5, arbitrary: KNOBS[method]!.values }, { weight: 1, arbitrary: odd }), { minLength: 1, maxLength: 5 }) }));

describe("planMethod and sweep", () => {
  test.prop([scenario], { numRuns: 120 })("each point equals a plain evaluation on a fresh inventory", ({ model, method, raw, values }) => {
    const formula = findFormula(method)! as Formula;
    const { key } = KNOBS[method]!;
    const options = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== key && k in (formula.schema as unknown as { shape: object }).shape));
    const inv = buildInventory(model.cfg as never, model.layout ? { expertLayout: model.layout } : {});
    const planned = outcome(() => planMethod(formula, inv, options, key));
    if ("err" in planned) {
      expect(planned.err.startsWith("INVALID_OPTION")).toBe(true);
      return;
    }
    const at = (planned as { ok: (v: unknown) => unknown }).ok;
    for (const v of values) {
      const fast = outcome(() => at(v));
      const slow = plain(formula, model.cfg, model.layout, { ...options, [key]: v });
      // option errors: same code (the plain path here words them generically); anything else: identical
      if ("err" in fast && fast.err.startsWith("INVALID_OPTION")) expect(sameRefusal(fast, slow)).toBe(true);
      else expect(fast).toEqual(slow);
    }
    const ok = values.filter((v) => "ok" in outcome(() => at(v)));
    expect(sweep(formula, inv, options, key, ok)).toEqual(ok.map((v) => (outcome(() => at(v)) as { ok: unknown }).ok));
  }, 120_000);

  test("a key the method does not have is refused", () => {
    const inv = buildInventory({ model_type: "llama", hidden_size: 8, num_attention_heads: 2, intermediate_size: 8, vocab_size: 8, num_hidden_layers: 1 } as never);
    expect(() => planMethod(findFormula("lora")! as Formula, inv, {}, "rank")).toThrow(/no option "rank"/);
  });
});

/** Raw option values: JSON-like data, nested, with the values zod tells apart (-0, NaN, undefined, key order). */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.constantFrom(0, -0, NaN, Infinity, 1, 8, 16, 2.5, -3, null, undefined, true, false, "", "all-linear", "q_proj", "none", "all", "CAUSAL_LM")),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("q_proj", "v_proj", "a", "r"), tie("node"), { maxKeys: 2 })),
})).node;
const rawOptions = fc.dictionary(fc.constantFrom("r", "target_modules", "bias", "lora_dropout", "rank_pattern", "modules_to_save", "use_dora", "task_type", "layers_to_transform", "unknown_key"), value, { maxKeys: 5 });

describe("the parse memo of evaluate", () => {
  test.prop([fc.constantFrom("lora", "ia3", "oft", "prefix-tuning", "vera"), rawOptions, rawOptions], { numRuns: 300 })("equals zod's parse, for equal and different data", (method, a, b) => {
    const formula = findFormula(method)! as Formula;
    for (const raw of [a, b, a, structuredClone(b)]) {
      const z = formula.schema.safeParse(raw);
      const memo = outcome(() => parseOptions(formula, raw));
      if (z.success) expect(memo).toEqual({ ok: z.data });
      else expect("err" in memo && memo.err.startsWith("INVALID_OPTION")).toBe(true);
    }
  });

  test.prop([value, value])("optionsKey is injective on the data zod reads", (a, b) => {
    const ka = optionsKey(a);
    const kb = optionsKey(b);
    if (ka !== undefined && ka === kb) expect(a).toEqual(b);
  });
});

/** Small MoE configs (per-expert and transformers 5's fused layout, where PEFT rewrites expert targets). */
const moe = fc
  .record({ type: fc.constantFrom("mixtral", "qwen3_moe", "qwen2_moe"), experts: fc.integer({ min: 2, max: 4 }), perTok: fc.integer({ min: 1, max: 2 }), layers: fc.integer({ min: 1, max: 3 }), fused: fc.boolean() })
  .map(({ type, experts, perTok, layers, fused }) => ({
    cfg: { model_type: type, hidden_size: 8, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 4, intermediate_size: 6, moe_intermediate_size: 3, shared_expert_intermediate_size: 5, vocab_size: 12, num_hidden_layers: layers, [type === "mixtral" ? "num_local_experts" : "num_experts"]: experts, num_experts_per_tok: perTok },
    layout: fused ? ("fused" as const) : ("per-expert" as const),
  }));
const lineOptions = fc.record(
  {
    target_modules: fc.constantFrom("all-linear", ["q_proj", "gate_proj", "up_proj"], ["w1", "w3", "v_proj"], ["down_proj", "w2", "o_proj", "gate"], ".*\\.(q|v)_proj"),
    rank_pattern: fc.dictionary(fc.constantFrom("q_proj", "down_proj", "w2", ".*\\.0\\..*"), fc.integer({ min: 1, max: 5 }), { maxKeys: 2 }),
    use_dora: fc.boolean(),
    lora_bias: fc.boolean(),
    bias: fc.constantFrom("none", "all", "lora_only"),
    modules_to_save: fc.option(fc.constantFrom(["norm"], ["gate"], ["lm_head"]), { nil: null }),
    target_parameters: fc.option(fc.constantFrom(["mlp.experts.gate_up_proj"], ["experts.down_proj"]), { nil: null }),
  },
  { requiredKeys: ["target_modules"] },
);

describe("a sweep of a method affine in its knob (src/peft/count-line.ts)", () => {
  test.prop([fc.oneof(models, moe), fc.constantFrom("lora", "dora"), lineOptions, fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(2 ** 40, 2 ** 51, 0, -2)), { minLength: 3, maxLength: 8 })], { numRuns: 150 })(
    "points on the line equal exact evaluations",
    ({ cfg, layout }, method, raw, values) => {
      const formula = findFormula(method)! as Formula;
      const options = method === "dora" ? { ...raw, lora_bias: false } : raw;
      let inv: Inventory;
      try {
        inv = buildInventory(cfg as never, layout ? { expertLayout: layout } : {});
      } catch {
        return;
      }
      const planned = outcome(() => planMethod(formula, inv, options, "r"));
      if ("err" in planned) return;
      const at = (planned as { ok: (v: unknown) => unknown }).ok;
      for (const v of values) {
        const fast = outcome(() => at(v));
        const slow = plain(formula, cfg, layout === "fused" ? undefined : layout, { ...options, r: v });
        if ("err" in fast && fast.err.startsWith("INVALID_OPTION")) expect(sameRefusal(fast, slow)).toBe(true);
        else expect(fast).toEqual(slow);
      }
    },
    120_000,
  );
});
