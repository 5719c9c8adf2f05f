/**
 * ShadowPEFT: per wrapped block 2·d·r + 2·(2·d·u + u + d), plus the mirror backbone, a projection when the
 * shadow width differs and a classifier copy for SEQ_CLS. Oracle: peft 0.21.0 + transformers 5.18.0
 * (golden: m5-shadow-*).
 */
import { describe, expect, test } from "vitest";
import { shadow } from "../../formulas/peft/shadow.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (ShadowPEFT arrived in 0.21), 3 of peft 0.21.0", () => {
  expect(goldenVectors("SHADOW")).toEqual([0, 3]);
});

describe("shadow: oracle numbers", () => {
  test("a narrower mirror keeps its own embeddings and adds a projection (source: oracle, llama-3.2-1b.json, {r: 4, shadow_hidden_size: 512, shadow_num_attention_heads: 8, shadow_intermediate_size: 1024, update_hidden_size: 32})", () => {
    const r = countOn(shadow, "llama-3.2-1b", { r: 4, shadow_hidden_size: 512, shadow_num_attention_heads: 8, shadow_intermediate_size: 1024, update_hidden_size: 32 });
    expect([r.trainable, r.all]).toEqual([73_861_632, 1_309_676_032]);
    expect(r.parts["shadow_projection"]).toBe(512 * 2048);
    expect(r.parts["shadow_backbone"]).toBe(128_256 * 512 + 4 * 512 * 512 + 3 * 512 * 1024 + 3 * 512);
  });

  test("SEQ_CLS: the head is saved and also copied as shadow_head; a regex picks blocks (source: oracle, llama-3.2-1b.json SEQ_CLS, {r: 4, target_modules: \"model\\\\.layers\\\\.(0|1|2)\"})", () => {
    const r = countOn(shadow, "llama-3.2-1b", { r: 4, task_type: "SEQ_CLS", target_modules: "model\\.layers\\.(0|1|2)" }, { task: "SEQ_CLS" });
    expect([r.trainable, r.all]).toEqual([60_991_512, 1_296_810_008]);
    expect(r.parts["shadow_head"]).toBe(2 * 2048);
    expect(r.parts["score (modules_to_save copy)"]).toBe(2 * 2048);
  });

  test("GPT-2: no embed_tokens to drop, so the mirror keeps wte and wpe (source: oracle, gpt2.json, {r: 4})", () => {
    expect(countOn(shadow, "gpt2", { r: 4 }).trainable).toBe(46_712_928);
  });

  test("BERT with explicit blocks: the mirror is a whole one-layer BertModel (source: oracle, bert-base-uncased.json SEQ_CLS, {r: 4, target_modules: \"bert\\\\.encoder\\\\.layer\\\\.\\\\d+\"})", () => {
    const r = countOn(shadow, "bert-base-uncased", { r: 4, task_type: "SEQ_CLS", target_modules: "bert\\.encoder\\.layer\\.\\d+" }, { task: "SEQ_CLS" });
    expect([r.trainable, r.all]).toEqual([31_758_436, 141_242_214]);
  });
});

describe("shadow: what PEFT refuses or we cannot count", () => {
  test("default targets need a decoder layer list (BERT's encoder.layer is not one)", () => {
    expect(errorOf(() => countOn(shadow, "bert-base-uncased", {}, { task: "SEQ_CLS" })).code).toBe("NO_DEFAULT_TARGETS");
  });
  test("a pretrained shadow_model checkpoint", () => {
    expect(errorOf(() => countOn(shadow, "llama-3.2-1b", { shadow_model: "shadow-llm/Qwen3-0.6B-H8B" })).code).toBe("UNSUPPORTED_OPTION");
  });
  test("not in peft 0.20", () => {
    expect(errorOf(() => countOn(shadow, "llama-3.2-1b", {}, { peft: "0.20.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
  });
  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(shadow, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
    expect(errorOf(() => countOn(shadow, "llama-3.2-1b", { target_modules: "nothing\\.here" })).code).toBe("NO_TARGET_MATCHED");
  });
  test.each([{ r: 0 }, { shadow_num_hidden_layers: 0 }, { share_embeddings: "yes" }, { shadow_dropout: 2 }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(shadow, "llama-3.2-1b", bad)).toThrow(OptionsError);
  });
});
