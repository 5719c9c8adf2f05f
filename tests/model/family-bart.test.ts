/** BART: tied (not aliased) stack embeddings, +2 positions, heads of transformers 4.43, defaults and config errors. */
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type ParamModule } from "../../src/model/types.js";

const BART_BASE = {
  model_type: "bart",
  d_model: 768,
  encoder_layers: 6,
  decoder_layers: 6,
  encoder_attention_heads: 12,
  decoder_attention_heads: 12,
  encoder_ffn_dim: 3072,
  decoder_ffn_dim: 3072,
  max_position_embeddings: 1024,
  vocab_size: 50265,
};

const build = (cfg: Record<string, unknown>, task?: Task, numLabels?: number) => buildInventory(cfg, { task, numLabels });
const total = (cfg: Record<string, unknown>, task?: Task, numLabels?: number) => totalParams(build(cfg, task, numLabels).modules);
const mod = (mods: readonly ParamModule[], name: string) => mods.find((m) => m.name === name);

function configError(cfg: Record<string, unknown>, task?: Task): InputError {
  try {
    build(cfg, task);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("bart module tree", () => {
  test("encoder/decoder embed_tokens are their own modules whose weight is model.shared's", () => {
    const inv = build(BART_BASE);
    expect(mod(inv.modules, "model.shared")).toMatchObject({ numEmbeddings: 50265, embeddingDim: 768 });
    for (const stack of ["encoder", "decoder"]) {
      const e = mod(inv.modules, `model.${stack}.embed_tokens`);
      expect(e).toMatchObject({ kind: "embedding", numEmbeddings: 50265 });
      expect(e?.params[0]?.tiedTo).toBe("model.shared.weight");
    }
    expect(inv.inputEmbeddings).toBe("model.shared");
  });

  test("learned positions carry the +2 offset rows", () => {
    const inv = build(BART_BASE);
    expect(mod(inv.modules, "model.encoder.embed_positions")).toMatchObject({ numEmbeddings: 1026, embeddingDim: 768 });
    expect(mod(inv.modules, "model.decoder.embed_positions")).toMatchObject({ numEmbeddings: 1026 });
  });

  test("attention projections and fc layers have biases; decoder layers add encoder_attn", () => {
    const inv = build(BART_BASE);
    expect(mod(inv.modules, "model.encoder.layers.0.self_attn.out_proj")?.params.map((p) => p.name)).toEqual(["weight", "bias"]);
    expect(mod(inv.modules, "model.decoder.layers.5.encoder_attn.k_proj")).toMatchObject({ inFeatures: 768, outFeatures: 768 });
    expect(mod(inv.modules, "model.encoder.layers.0.encoder_attn.k_proj")).toBeUndefined();
    expect(mod(inv.modules, "model.decoder.layers.5.fc1")).toMatchObject({ inFeatures: 768, outFeatures: 3072 });
    expect(mod(inv.modules, "model.encoder.layernorm_embedding")).toBeDefined();
    expect(inv.modules.filter((m) => m.kind === "linear")).toHaveLength(6 * 6 + 6 * 10 + 1);
  });

  test("SEQ_2_SEQ_LM: lm_head tied to model.shared; final_logits_bias is a buffer, not counted", () => {
    const inv = build(BART_BASE);
    expect(inv.modelClass).toBe("BartForConditionalGeneration");
    expect(inv.outputEmbeddings).toBe("lm_head");
    expect(mod(inv.modules, "lm_head")?.params[0]?.tiedTo).toBe("model.shared.weight");
    expect(inv.modules.some((m) => m.name.includes("final_logits_bias"))).toBe(false);
    expect(inv.notes?.join(" ")).toContain("final_logits_bias");
    expect(totalParams(inv.modules)).toBe(139_420_416);
  });

  test("dims and layersPath", () => {
    const inv = build(BART_BASE);
    expect(inv.layersPath).toBe("model.encoder.layers");
    expect(inv.dims).toMatchObject({
      isEncoderDecoder: true,
      numHiddenLayers: 6,
      numDecoderLayers: 6,
      hiddenSize: 768,
      numAttentionHeads: 12,
      headDim: 64,
      intermediateSize: 3072,
      maxPositionEmbeddings: 1024,
    });
  });
});

describe("bart heads", () => {
  test("FEATURE_EXTRACTION is BartModel with no prefix and no LM head", () => {
    const inv = build(BART_BASE, "FEATURE_EXTRACTION");
    expect(inv.modelClass).toBe("BartModel");
    expect(inv.inputEmbeddings).toBe("shared");
    expect(mod(inv.modules, "encoder.embed_tokens")?.params[0]?.tiedTo).toBe("shared.weight");
    expect(inv.outputEmbeddings).toBeUndefined();
    expect(totalParams(inv.modules)).toBe(139_420_416);
  });

  test("SEQ_CLS: model. + classification_head (dense d→d, out_proj d→num_labels, biases)", () => {
    const inv = build({ ...BART_BASE, id2label: { 0: "a", 1: "b", 2: "c" } }, "SEQ_CLS");
    expect(inv.modelClass).toBe("BartForSequenceClassification");
    expect(mod(inv.modules, "classification_head.out_proj")).toMatchObject({ inFeatures: 768, outFeatures: 3 });
    expect(totalParams(inv.modules)).toBe(140_013_315);
  });

  test("QUESTION_ANS: qa_outputs always has 2 outputs (BartForQuestionAnswering forces num_labels = 2)", () => {
    const inv = build(BART_BASE, "QUESTION_ANS", 5);
    expect(inv.modelClass).toBe("BartForQuestionAnswering");
    expect(mod(inv.modules, "qa_outputs")).toMatchObject({ inFeatures: 768, outFeatures: 2 });
    expect(totalParams(inv.modules)).toBe(139_421_954);
  });

  test("CAUSAL_LM is BartForCausalLM: the decoder alone, its own embed_tokens tied to lm_head", () => {
    const inv = build(BART_BASE, "CAUSAL_LM");
    expect(inv.modelClass).toBe("BartForCausalLM");
    expect(inv.inputEmbeddings).toBe("model.decoder.embed_tokens");
    expect(mod(inv.modules, "model.decoder.embed_tokens")?.params[0]?.tiedTo).toBeUndefined();
    expect(mod(inv.modules, "lm_head")?.params[0]?.tiedTo).toBe("model.decoder.embed_tokens.weight");
    expect(mod(inv.modules, "model.encoder.layers.0.fc1")).toBeUndefined();
    expect(inv.layersPath).toBe("model.decoder.layers");
    expect(inv.dims.isEncoderDecoder).toBe(false);
    expect(totalParams(inv.modules)).toBe(96_103_680);
  });

  test("there is no BartForTokenClassification", () => {
    expect(configError(BART_BASE, "TOKEN_CLS").code).toBe("UNSUPPORTED_TASK");
  });

  test("untied lm_head adds vocab × d_model", () => {
    expect(total({ ...BART_BASE, tie_word_embeddings: false })).toBe(139_420_416 + 50265 * 768);
  });
});

describe("bart config defaults and errors", () => {
  test("BartConfig defaults are bart-large", () => {
    expect(total({ model_type: "bart" })).toBe(406_291_456);
  });

  test("attribute_map aliases: hidden_size → d_model, num_attention_heads → encoder_attention_heads", () => {
    const { dims } = build({ ...BART_BASE, d_model: undefined, hidden_size: 768, encoder_attention_heads: undefined, num_attention_heads: 12 });
    expect(dims).toMatchObject({ hiddenSize: 768, numAttentionHeads: 12 });
  });

  test("heads that cannot split d_model are refused, naming the fields", () => {
    const e = configError({ ...BART_BASE, decoder_attention_heads: 7 });
    expect(e.code).toBe("INVALID_CONFIG");
    expect(e.message).toContain("decoder_attention_heads");
    expect(configError({ ...BART_BASE, d_model: 1000, encoder_attention_heads: 16 }).message).toContain("encoder_attention_heads");
  });

  test("wrong types and impossible sizes name the field", () => {
    expect(configError({ ...BART_BASE, vocab_size: -1 }).message).toContain('"vocab_size"');
    expect(configError({ ...BART_BASE, encoder_layers: 2.5 }).message).toContain('"encoder_layers"');
    expect(configError({ ...BART_BASE, max_position_embeddings: "1024" }).message).toContain('"max_position_embeddings"');
  });
});
