/**
 * SmolLM3 (smollm3) as transformers 5.18.0 builds it: module trees, classes, shapes and totals from
 * `oracle inventory` (transformers 5.18.0), PEFT counts from `oracle count` (peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory, type InventoryOptions } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { asOracle, modernVectorIds } from "./oracle-groups.js";

/** c-smollm3-tiny: num_key_value_heads null (= heads), attention and MLP biases, untied, pad_token_id inside the vocabulary */
const TINY = {
  model_type: "smollm3", hidden_size: 64, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: null,
  vocab_size: 100, attention_bias: true, mlp_bias: true, tie_word_embeddings: false, pad_token_id: 0,
};
const build = (cfg: Record<string, unknown>, o: InventoryOptions = {}) => buildInventory(cfg, o);
const count = (cfg: Record<string, unknown>, peftType: string, options: Record<string, unknown>, task: InventoryOptions["task"] = "CAUSAL_LM") => {
  const b = evaluate(formulaForPeftType(peftType)!, build(cfg, { task }), { ...options, task_type: task }).breakdown;
  return [b.trainable, b.allParams];
};

describe("module tree (oracle inventory, transformers 5.18.0)", () => {
  test("SmolLM3Config() defaults (SmolLM3-3B sizes): the Llama tree, GQA 16/4, tied lm_head", () => {
    expect(asOracle(build({ model_type: "smollm3" }))).toEqual({
    modelClass: "SmolLM3ForCausalLM",
    total: 3075098624,
    linears: ["lm_head", "model.layers.*.mlp.down_proj", "model.layers.*.mlp.gate_proj", "model.layers.*.mlp.up_proj", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.v_proj"],
    groups: [
      ["model.embed_tokens", "Embedding", {"weight": [128256, 2048]}, 1],
      ["model.layers.*.self_attn.q_proj", "Linear", {"weight": [2048, 2048]}, 36],
      ["model.layers.*.self_attn.k_proj", "Linear", {"weight": [512, 2048]}, 36],
      ["model.layers.*.self_attn.v_proj", "Linear", {"weight": [512, 2048]}, 36],
      ["model.layers.*.self_attn.o_proj", "Linear", {"weight": [2048, 2048]}, 36],
      ["model.layers.*.mlp.gate_proj", "Linear", {"weight": [11008, 2048]}, 36],
      ["model.layers.*.mlp.up_proj", "Linear", {"weight": [11008, 2048]}, 36],
      ["model.layers.*.mlp.down_proj", "Linear", {"weight": [2048, 11008]}, 36],
      ["model.layers.*.input_layernorm", "SmolLM3RMSNorm", {"weight": [2048]}, 36],
      ["model.layers.*.post_attention_layernorm", "SmolLM3RMSNorm", {"weight": [2048]}, 36],
      ["model.norm", "SmolLM3RMSNorm", {"weight": [2048]}, 1],
      ["lm_head", "Linear", {"weight": [128256, 2048]}, 1, ["weight"]],
    ],
  });
  });

  test("tiny config, QUESTION_ANS: backbone under transformer., biases everywhere, null kv heads = heads", () => {
    expect(asOracle(build(TINY, { task: "QUESTION_ANS" }))).toEqual({
    modelClass: "SmolLM3ForQuestionAnswering",
    total: 58882,
    linears: ["qa_outputs", "transformer.layers.*.mlp.down_proj", "transformer.layers.*.mlp.gate_proj", "transformer.layers.*.mlp.up_proj", "transformer.layers.*.self_attn.k_proj", "transformer.layers.*.self_attn.o_proj", "transformer.layers.*.self_attn.q_proj", "transformer.layers.*.self_attn.v_proj"],
    groups: [
      ["transformer.embed_tokens", "Embedding", {"weight": [100, 64]}, 1],
      ["transformer.layers.*.self_attn.q_proj", "Linear", {"weight": [64, 64], "bias": [64]}, 2],
      ["transformer.layers.*.self_attn.k_proj", "Linear", {"weight": [64, 64], "bias": [64]}, 2],
      ["transformer.layers.*.self_attn.v_proj", "Linear", {"weight": [64, 64], "bias": [64]}, 2],
      ["transformer.layers.*.self_attn.o_proj", "Linear", {"weight": [64, 64], "bias": [64]}, 2],
      ["transformer.layers.*.mlp.gate_proj", "Linear", {"weight": [48, 64], "bias": [48]}, 2],
      ["transformer.layers.*.mlp.up_proj", "Linear", {"weight": [48, 64], "bias": [48]}, 2],
      ["transformer.layers.*.mlp.down_proj", "Linear", {"weight": [64, 48], "bias": [64]}, 2],
      ["transformer.layers.*.input_layernorm", "SmolLM3RMSNorm", {"weight": [64]}, 2],
      ["transformer.layers.*.post_attention_layernorm", "SmolLM3RMSNorm", {"weight": [64]}, 2],
      ["transformer.norm", "SmolLM3RMSNorm", {"weight": [64]}, 1],
      ["qa_outputs", "Linear", {"weight": [2, 64], "bias": [2]}, 1],
    ],
  });
  });

  test("heads and totals per task (oracle)", () => {
    const cases = [
      ["CAUSAL_LM", "SmolLM3ForCausalLM", 3_075_098_624, 65_152],
      ["SEQ_CLS", "SmolLM3ForSequenceClassification", 3_075_102_720, 58_880],
      ["TOKEN_CLS", "SmolLM3ForTokenClassification", 3_075_102_722, 58_882],
      ["QUESTION_ANS", "SmolLM3ForQuestionAnswering", 3_075_102_722, 58_882],
      ["FEATURE_EXTRACTION", "SmolLM3Model", 3_075_098_624, 58_752],
    ] as const;
    for (const [task, cls, defaults, tiny] of cases) {
      const inv = build({ model_type: "smollm3" }, { task });
      expect([inv.modelClass, totalParams(inv.modules), totalParams(build(TINY, { task }).modules)]).toEqual([cls, defaults, tiny]);
    }
  });
});

describe("refusals", () => {
  test("transformers 4.x trees are not built (4.43 had no smollm3)", () => {
    expect(() => build(TINY, { transformers: parseVersion("4.57.1", "transformers") })).toThrow(/transformers 4.43 has no smollm3/);
  });
});

describe("PEFT counts on the tree (oracle count: peft 0.21.0 + transformers 5.18.0, c-smollm3-tiny)", () => {
  test("LoRA r=4 on q_proj, v_proj for TOKEN_CLS: the score head (with bias) is saved", () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: ["q_proj", "v_proj"] }, "TOKEN_CLS")).toEqual([2178, 61_060]);
  });

  test("prefix tuning on QUESTION_ANS: qa_outputs saved, key/value width 4 heads · 16", () => {
    expect(count(TINY, "PREFIX_TUNING", { num_virtual_tokens: 5 }, "QUESTION_ANS")).toEqual([1410, 60_292]);
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("smollm3: 2 modern vectors", () => {
    expect(modernVectorIds("smollm3")).toEqual([
      "fam-lora-r8-attn-smollm3-defaults",
      "fam-prefix-20-smollm3-defaults",
    ]);
  });
});
