/**
 * OPT, BLOOM, Falcon (and the old RefinedWeb configs) and Phi inventories: heads per task,
 * transformers' config defaults, switches, and config errors that name the field. Expected counts
 * are worked out by hand from the module shapes or are the models' published totals.
 */
import { describe, expect, test } from "vitest";
import { build, errorOf, mod, total } from "./helpers.js";
import { featuresOf } from "../../src/model/types.js";

const OPT_125M = { model_type: "opt", hidden_size: 768, ffn_dim: 3072, num_hidden_layers: 12, num_attention_heads: 12, vocab_size: 50272 };
const OPT_350M = { ...OPT_125M, hidden_size: 1024, ffn_dim: 4096, num_hidden_layers: 24, num_attention_heads: 16, word_embed_proj_dim: 512, do_layer_norm_before: false };
const BLOOM_560M = { model_type: "bloom", hidden_size: 1024, n_layer: 24, n_head: 16, vocab_size: 250880 };
const FALCON_7B = { model_type: "falcon", hidden_size: 4544, num_hidden_layers: 32, num_attention_heads: 71, vocab_size: 65024 };
const PHI_2 = { model_type: "phi", hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 32, num_attention_heads: 32, vocab_size: 51200 };


describe("opt", () => {
  test("opt-350m: narrow embeddings, project_in/out, heads read the projected width", () => {
    const lm = build(OPT_350M);
    expect([total(lm), lm.inputEmbeddings, lm.layersPath]).toEqual([331_196_416, "model.decoder.embed_tokens", "model.decoder.layers"]);
    expect(mod(lm, "model.decoder.project_in")).toMatchObject({ inFeatures: 512, outFeatures: 1024 });
    expect(mod(lm, "model.decoder.final_layer_norm")).toBeUndefined();
    expect(mod(lm, "model.decoder.embed_positions")).toMatchObject({ className: "OPTLearnedPositionalEmbedding", numEmbeddings: 2050 });
    expect(total(build(OPT_350M, "SEQ_CLS", 2))).toBe(331_196_416 + 512 * 2);
    const qa = build(OPT_350M, "QUESTION_ANS");
    expect([qa.modelClass, total(qa), featuresOf(mod(qa, "qa_outputs")!).inFeatures]).toEqual(["OPTForQuestionAnswering", 331_196_416 + 512 * 2 + 2, 512]);
    const base = build(OPT_350M, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base), base.inputEmbeddings]).toEqual(["OPTModel", 331_196_416, "decoder.embed_tokens"]);
  });

  test("no token-classification class in transformers 4.43", () => {
    expect(errorOf(() => build(OPT_125M, "TOKEN_CLS")).code).toBe("UNSUPPORTED_TASK");
  });

  test("defaults are OPTConfig's (opt-125m) and the switches", () => {
    expect(total(build({ model_type: "opt" }))).toBe(125_239_296);
    expect(total(build({ ...OPT_125M, _remove_final_layer_norm: true }))).toBe(125_239_296 - 1536);
    // 12 layers × (q,k,v,out biases 4×768 + fc1 3072 + fc2 768)
    expect(total(build({ ...OPT_125M, enable_bias: false }))).toBe(125_239_296 - 12 * 6912);
    expect(total(build({ ...OPT_125M, layer_norm_elementwise_affine: false }))).toBe(125_239_296 - 12 * 3072 - 1536);
    expect(total(build({ ...OPT_125M, tie_word_embeddings: false }))).toBe(125_239_296 + 50272 * 768);
  });

  test("errors name the field", () => {
    expect(errorOf(() => build({ ...OPT_125M, word_embed_proj_dim: 0 })).message).toMatch(/"word_embed_proj_dim" must be a positive integer/);
    expect(errorOf(() => build({ ...OPT_125M, do_layer_norm_before: "yes" })).message).toMatch(/"do_layer_norm_before" must be true or false/);
  });
});

describe("bloom", () => {
  test("heads on bloom-560m", () => {
    const lm = build(BLOOM_560M);
    expect([total(lm), lm.outputEmbeddings, mod(lm, "lm_head")!.params[0]!.tiedTo]).toEqual([559_214_592, "lm_head", "transformer.word_embeddings.weight"]);
    expect(total(build(BLOOM_560M, "SEQ_CLS", 5))).toBe(559_214_592 + 1024 * 5);
    const tok = build(BLOOM_560M, "TOKEN_CLS", 5);
    expect([tok.modelClass, total(tok)]).toEqual(["BloomForTokenClassification", 559_214_592 + 1024 * 5 + 5]);
    expect(total(build(BLOOM_560M, "QUESTION_ANS"))).toBe(559_214_592 + 2050);
    expect(build(BLOOM_560M, "FEATURE_EXTRACTION").inputEmbeddings).toBe("word_embeddings");
  });

  test("defaults are BloomConfig's (2 layers of 64) and the aliases", () => {
    expect(total(build({ model_type: "bloom" }))).toBe(16_156_544);
    expect(build({ ...BLOOM_560M, num_hidden_layers: 2 }).dims.numHiddenLayers).toBe(2);
    expect(build({ ...BLOOM_560M, n_embed: 512, n_layer: 1 }).dims.hiddenSize).toBe(512);
  });

  test("errors name the field", () => {
    expect(errorOf(() => build({ ...BLOOM_560M, n_head: 3 })).message).toMatch(/hidden_size.*1024.*n_head.*3/);
  });
});

describe("falcon", () => {
  test("falcon-7b: multi-query qkv, one norm per layer, heads", () => {
    const lm = build(FALCON_7B);
    expect([total(lm), lm.dims.numKeyValueHeads]).toEqual([6_921_720_704, 1]);
    expect(mod(lm, "transformer.h.0.self_attention.query_key_value")).toMatchObject({ className: "FalconLinear", outFeatures: 4544 + 2 * 64 });
    expect(mod(lm, "transformer.h.0.ln_attn")).toBeUndefined();
    expect(total(build(FALCON_7B, "SEQ_CLS", 2))).toBe(6_921_720_704 + 4544 * 2);
    expect(total(build(FALCON_7B, "TOKEN_CLS", 2))).toBe(6_921_720_704 + 4544 * 2 + 2);
    expect(build(FALCON_7B, "QUESTION_ANS").modelClass).toBe("FalconForQuestionAnswering");
  });

  test("old RefinedWebModel / RefinedWeb configs read as transformers converts them", () => {
    const old7b = { model_type: "RefinedWebModel", hidden_size: 4544, n_head: 71, n_layer: 32, multi_query: true, parallel_attn: true, vocab_size: 65024 };
    const rw = build(old7b);
    expect([total(rw), rw.modelClass, rw.modelType]).toEqual([6_921_720_704, "FalconForCausalLM", "RefinedWebModel"]);
    // Falcon-40B: n_head_kv → new decoder architecture: qkv (2·8 + 128)·64, ln_attn + ln_mlp, MLP 4·8192
    const old40b = { model_type: "RefinedWeb", hidden_size: 8192, n_head: 128, n_head_kv: 8, n_layer: 60, parallel_attn: true, vocab_size: 65024 };
    const f40 = build(old40b);
    expect(total(f40)).toBe(41_303_293_952);
    expect(featuresOf(mod(f40, "transformer.h.59.self_attention.query_key_value")!).outFeatures).toBe(9216);
    expect(mod(f40, "transformer.h.59.ln_mlp")).toBeDefined();
    expect(errorOf(() => build({ ...old40b, n_head: "many" })).message).toMatch(/"n_head" must be an integer/);
  });

  test("new architecture, num_ln_in_parallel_attn, sequential attention, bias, ffn_hidden_size", () => {
    const f40 = { ...FALCON_7B, hidden_size: 8192, num_attention_heads: 128, num_kv_heads: 8, num_hidden_layers: 60, new_decoder_architecture: true };
    expect(total(build(f40))).toBe(41_303_293_952);
    expect(total(build({ ...f40, num_ln_in_parallel_attn: 1 }))).toBe(41_303_293_952 - 60 * 16384);
    // falcon-rw-1b: 3·hidden qkv, post_attention_layernorm + input_layernorm, biases
    const rw1b = { model_type: "falcon", hidden_size: 2048, num_hidden_layers: 24, num_attention_heads: 32, multi_query: false, parallel_attn: false, bias: true, alibi: true, vocab_size: 50304 };
    const inv = build(rw1b);
    expect(total(inv)).toBe(1_311_625_216);
    expect(mod(inv, "transformer.h.0.post_attention_layernorm")).toBeDefined();
    expect(build({ ...FALCON_7B, ffn_hidden_size: 1000, num_hidden_layers: 1 }).dims.intermediateSize).toBe(1000);
  });

  test("defaults are FalconConfig's (falcon-7b) and errors name the field", () => {
    expect(total(build({ model_type: "falcon" }))).toBe(6_921_720_704);
    expect(errorOf(() => build({ ...FALCON_7B, num_attention_heads: 70 })).message).toMatch(/hidden_size.*num_attention_heads/);
    expect(errorOf(() => build({ ...FALCON_7B, multi_query: 1 })).message).toMatch(/"multi_query" must be true or false/);
  });
});

describe("phi", () => {
  const BASE = 2_779_683_840 - (2560 * 51200 + 51200); // phi-2 without lm_head

  test("heads: lm_head with bias, score, classifier; no QA class", () => {
    const lm = build(PHI_2);
    expect([total(lm), lm.modelClass, lm.outputEmbeddings]).toEqual([2_779_683_840, "PhiForCausalLM", "lm_head"]);
    expect(mod(lm, "lm_head")!.params.map((p) => p.shape)).toEqual([[51200, 2560], [51200]]);
    expect(total(build(PHI_2, "SEQ_CLS", 2))).toBe(BASE + 2560 * 2);
    expect(total(build(PHI_2, "TOKEN_CLS", 2))).toBe(BASE + 2560 * 2 + 2);
    expect([build(PHI_2, "FEATURE_EXTRACTION").modelClass, build(PHI_2, "FEATURE_EXTRACTION").layersPath]).toEqual(["PhiModel", "layers"]);
    expect(errorOf(() => build(PHI_2, "QUESTION_ANS")).code).toBe("UNSUPPORTED_TASK");
  });

  test("qk_layernorm, tying, grouped k/v", () => {
    expect(total(build({ ...PHI_2, qk_layernorm: true }))).toBe(2_779_683_840 + 32 * 2 * (2 * 80));
    expect(total(build({ ...PHI_2, tie_word_embeddings: true }))).toBe(2_779_683_840 - 2560 * 51200);
    const gqa = build({ ...PHI_2, num_key_value_heads: 8 });
    expect(mod(gqa, "model.layers.0.self_attn.k_proj")).toMatchObject({ inFeatures: 2560, outFeatures: 640 });
  });

  test("defaults are PhiConfig's (phi-1) and errors name the field", () => {
    expect(total(build({ model_type: "phi" }))).toBe(1_418_270_720);
    expect(errorOf(() => build({ ...PHI_2, num_key_value_heads: 5 })).message).toMatch(/num_attention_heads.*num_key_value_heads/);
  });
});
