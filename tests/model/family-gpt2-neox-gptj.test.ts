/**
 * GPT-2, GPT-NeoX and GPT-J inventories: heads per task, transformers' config defaults, aliases,
 * and config errors that name the field. Expected counts are worked out by hand from the module
 * shapes (or are the models' published totals where the defaults are a real model).
 */
import { describe, expect, test } from "vitest";
import { ConfigReader, type RawConfig } from "../../src/model/config.js";
import { gptjFamily } from "../../src/model/families/gptj.js";
import type { Task } from "../../src/model/tasks.js";
import { build, errorOf, mod, T4, T5, total } from "./helpers.js";
import { featuresOf } from "../../src/model/types.js";

const GPT2 = { model_type: "gpt2", n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, vocab_size: 50257 };
const PYTHIA_160M = {
  model_type: "gpt_neox",
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  vocab_size: 50304,
  tie_word_embeddings: false,
};

describe("gpt2", () => {
  test("heads: tied lm_head, score without bias, classifier, qa_outputs, bare model", () => {
    const lm = build(GPT2);
    expect(total(lm)).toBe(124_439_808);
    expect([lm.modelClass, lm.inputEmbeddings, lm.outputEmbeddings, lm.layersPath]).toEqual(["GPT2LMHeadModel", "transformer.wte", "lm_head", "transformer.h"]);
    expect(mod(lm, "lm_head")!.params[0]!.tiedTo).toBe("transformer.wte.weight");
    expect(mod(lm, "transformer.h.0.attn.c_attn")).toMatchObject({ kind: "conv1d", inFeatures: 768, outFeatures: 2304 });
    expect(mod(lm, "transformer.h.0.attn.c_attn")!.params.map((p) => p.shape)).toEqual([[768, 2304], [2304]]);

    const seq = build(GPT2, "SEQ_CLS", 3);
    expect([seq.modelClass, total(seq), seq.outputEmbeddings]).toEqual(["GPT2ForSequenceClassification", 124_439_808 + 768 * 3, undefined]);
    const tok = build(GPT2, "TOKEN_CLS", 3);
    expect([tok.modelClass, total(tok)]).toEqual(["GPT2ForTokenClassification", 124_439_808 + 768 * 3 + 3]);
    expect(mod(tok, "classifier")).toMatchObject({ inFeatures: 768, outFeatures: 3 });
    const qa = build(GPT2, "QUESTION_ANS", 7);
    expect([qa.modelClass, total(qa), featuresOf(mod(qa, "qa_outputs")!).outFeatures]).toEqual(["GPT2ForQuestionAnswering", 124_439_808 + 768 * 2 + 2, 2]);
    const base = build(GPT2, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base), base.inputEmbeddings, base.layersPath]).toEqual(["GPT2Model", 124_439_808, "wte", "h"]);
    expect(mod(base, "h.11.mlp.c_proj")).toMatchObject({ inFeatures: 3072, outFeatures: 768 });
  });

  test("defaults are GPT2Config's (gpt2 small, tied)", () => {
    expect(total(build({ model_type: "gpt2" }))).toBe(124_439_808);
  });

  test("attribute_map aliases are read and win over the canonical keys", () => {
    expect(total(build({ model_type: "gpt2", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12 }))).toBe(124_439_808);
    expect(build({ ...GPT2, num_hidden_layers: 2 }).dims.numHiddenLayers).toBe(2);
  });

  test("n_inner, untied embeddings and cross-attention change the count", () => {
    // MLP 768→1024→768 instead of 768→3072→768: 12 × (4,722,432 − 1,574,656) fewer
    expect(total(build({ ...GPT2, n_inner: 1024 }))).toBe(124_439_808 - 12 * 3_147_776);
    expect(total(build({ ...GPT2, tie_word_embeddings: false }))).toBe(124_439_808 + 50257 * 768);
    const x = build({ ...GPT2, add_cross_attention: true });
    // per layer: c_attn 768→1536, q_attn 768→768, c_proj 768→768 (Conv1D with bias) + ln_cross_attn
    expect(total(x)).toBe(124_439_808 + 12 * (1_181_184 + 590_592 + 590_592 + 1_536));
    expect(mod(x, "transformer.h.3.crossattention.q_attn")).toMatchObject({ kind: "conv1d", outFeatures: 768 });
  });

  test("errors name the field", () => {
    expect(errorOf(() => build({ ...GPT2, n_head: 13 })).message).toMatch(/n_embd.*768.*n_head.*13/);
    const e = errorOf(() => build({ ...GPT2, n_layer: "12" }));
    expect([e.code, e.message]).toEqual(["INVALID_CONFIG", 'config.json: "n_layer" must be an integer (got "12")']);
  });
});

describe("gpt_neox", () => {
  const BASE = 162_322_944 - 50304 * 768; // pythia-160m without embed_out

  test("heads (transformers 4.43): untied embed_out, score, classifier, qa_outputs, bare model", () => {
    const lm = build(PYTHIA_160M, "CAUSAL_LM", undefined, T4);
    expect([lm.modelClass, total(lm), lm.outputEmbeddings, lm.inputEmbeddings]).toEqual(["GPTNeoXForCausalLM", 162_322_944, "embed_out", "gpt_neox.embed_in"]);
    expect(mod(lm, "embed_out")!.params[0]!.tiedTo).toBeUndefined();
    expect(mod(lm, "gpt_neox.layers.0.attention.query_key_value")).toMatchObject({ inFeatures: 768, outFeatures: 2304 });
    expect(total(build(PYTHIA_160M, "SEQ_CLS", 2))).toBe(BASE + 768 * 2);
    expect(build(PYTHIA_160M, "TOKEN_CLS", 2).modelClass).toBe("GPTNeoXForTokenClassification");
    expect(total(build(PYTHIA_160M, "TOKEN_CLS", 2))).toBe(BASE + 768 * 2 + 2);
    expect(total(build(PYTHIA_160M, "QUESTION_ANS"))).toBe(BASE + 768 * 2 + 2);
    const base = build(PYTHIA_160M, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base), base.layersPath]).toEqual(["GPTNeoXModel", BASE, "layers"]);
  });

  test("the output embedding is `lm_head` from transformers 5.14 (oracle inventory, 5.18.0: pythia-160m, tied and untied)", () => {
    const lm = build(PYTHIA_160M, "CAUSAL_LM", undefined, T5);
    expect([total(lm), lm.outputEmbeddings, mod(lm, "embed_out")]).toEqual([162_322_944, "lm_head", undefined]);
    expect(mod(lm, "lm_head")).toMatchObject({ kind: "linear", inFeatures: 768, outFeatures: 50304 });
    expect(build(PYTHIA_160M, "CAUSAL_LM", undefined, [5, 13, 0]).outputEmbeddings).toBe("embed_out");
    const tied = build({ ...PYTHIA_160M, tie_word_embeddings: true }, "CAUSAL_LM", undefined, T5);
    expect([total(tied), mod(tied, "lm_head")!.params[0]!.tiedTo]).toEqual([123_689_472, "gpt_neox.embed_in.weight"]);
  });

  test("tie_word_embeddings and attention_bias", () => {
    const tied = build({ ...PYTHIA_160M, tie_word_embeddings: true }, "CAUSAL_LM", undefined, T4);
    expect([total(tied), mod(tied, "embed_out")!.params[0]!.tiedTo]).toEqual([BASE, "gpt_neox.embed_in.weight"]);
    // q,k,v bias (2304) and dense bias (768) dropped in 12 layers; the MLP keeps its biases
    expect(total(build({ ...PYTHIA_160M, attention_bias: false }))).toBe(162_322_944 - 12 * 3072);
  });

  test("defaults are GPTNeoXConfig's: GPT-NeoX-20B", () => {
    expect(total(build({ model_type: "gpt_neox" }))).toBe(20_554_567_680);
  });

  test("errors name the field", () => {
    expect(errorOf(() => build({ ...PYTHIA_160M, num_attention_heads: 7 })).message).toMatch(/hidden_size.*num_attention_heads/);
    expect(errorOf(() => build({ ...PYTHIA_160M, intermediate_size: -1 })).message).toMatch(/"intermediate_size" must be a positive integer/);
  });
});

describe("gptj", () => {
  const gptj = (raw: RawConfig, task: Task = "CAUSAL_LM", numLabels = 2) =>
    gptjFamily.build(new ConfigReader({ model_type: "gptj", ...raw }, "gptj"), { task, numLabels, expertLayout: "per-expert", transformers: [4, 43, 3] });

  test("defaults are GPTJConfig's: GPT-J-6B, lm_head with bias, untied", () => {
    const lm = gptj({});
    expect([lm.modelClass, total(lm), lm.outputEmbeddings]).toEqual(["GPTJForCausalLM", 6_050_882_784, "lm_head"]);
    expect(mod(lm, "lm_head")!.params.map((p) => p.shape)).toEqual([[50400, 4096], [50400]]);
    expect(mod(lm, "transformer.h.27.attn.k_proj")).toMatchObject({ inFeatures: 4096, outFeatures: 4096 });
    expect(mod(lm, "transformer.h.27.attn.k_proj")!.params).toHaveLength(1);
  });

  test("heads: score, qa_outputs sized by num_labels, bare model; no token classification", () => {
    const BASE = 6_050_882_784 - (4096 * 50400 + 50400);
    expect(total(gptj({}, "SEQ_CLS", 3))).toBe(BASE + 4096 * 3);
    const qa = gptj({}, "QUESTION_ANS", 3);
    expect([qa.modelClass, total(qa), featuresOf(mod(qa, "qa_outputs")!).outFeatures]).toEqual(["GPTJForQuestionAnswering", BASE + 4096 * 3 + 3, 3]);
    expect([gptj({}, "FEATURE_EXTRACTION").modelClass, total(gptj({}, "FEATURE_EXTRACTION"))]).toEqual(["GPTJModel", BASE]);
    expect(gptjFamily.tasks).not.toContain("TOKEN_CLS");
  });

  test("tying shares the weight but keeps the bias; n_inner; errors", () => {
    expect(total(gptj({ tie_word_embeddings: true }))).toBe(6_050_882_784 - 4096 * 50400);
    expect(gptj({ n_inner: 1024, n_layer: 1 }).dims.intermediateSize).toBe(1024);
    expect(errorOf(() => gptj({ n_head: 5 })).message).toMatch(/n_embd.*n_head/);
  });
});
