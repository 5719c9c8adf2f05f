/** DeBERTa-v2/v3: heads, relative-attention switches, embedding variants, defaults and config errors. */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type ParamModule } from "../../src/model/types.js";

// microsoft/deberta-v3-base as published (pos_att_type in its legacy string form)
const V3_BASE = {
  model_type: "deberta-v2", hidden_size: 768, intermediate_size: 3072, max_position_embeddings: 512, relative_attention: true,
  position_buckets: 256, norm_rel_ebd: "layer_norm", share_att_key: true, pos_att_type: "p2c|c2p", layer_norm_eps: 1e-7,
  max_relative_positions: -1, position_biased_input: false, num_attention_heads: 12, num_hidden_layers: 12, type_vocab_size: 0, vocab_size: 128100,
};

const build = (cfg: Record<string, unknown>, task: Task, numLabels?: number) => buildInventory(cfg, { task, numLabels });
const total = (cfg: Record<string, unknown>, task: Task = "FEATURE_EXTRACTION", numLabels?: number) => totalParams(build(cfg, task, numLabels).modules);
const mod = (mods: readonly ParamModule[], name: string) => mods.find((m) => m.name === name);

describe("deberta-v2 heads", () => {
  test("bare model: no absolute positions, no token types, rel_embeddings = 2 × position_buckets rows", () => {
    const inv = build(V3_BASE, "FEATURE_EXTRACTION");
    expect(inv.modelClass).toBe("DebertaV2Model");
    expect(mod(inv.modules, "embeddings.position_embeddings")).toBeUndefined();
    expect(mod(inv.modules, "embeddings.token_type_embeddings")).toBeUndefined();
    expect(mod(inv.modules, "encoder.rel_embeddings")).toMatchObject({ numEmbeddings: 512, embeddingDim: 768 });
    expect(mod(inv.modules, "encoder.LayerNorm")).toBeDefined();
    expect(totalParams(inv.modules)).toBe(183_831_552);
  });

  test("SEQ_CLS: ContextPooler `pooler.dense` + `classifier`, outside the `deberta.` prefix", () => {
    const inv = build(V3_BASE, "SEQ_CLS", 2);
    expect(inv.modelClass).toBe("DebertaV2ForSequenceClassification");
    expect(inv.inputEmbeddings).toBe("deberta.embeddings.word_embeddings");
    expect(mod(inv.modules, "pooler.dense")).toMatchObject({ inFeatures: 768, outFeatures: 768 });
    expect(totalParams(inv.modules)).toBe(184_423_682);
  });

  test("TOKEN_CLS and QUESTION_ANS have no pooler", () => {
    expect(total(V3_BASE, "TOKEN_CLS", 3)).toBe(183_833_859);
    const qa = build(V3_BASE, "QUESTION_ANS");
    expect(mod(qa.modules, "pooler.dense")).toBeUndefined();
    expect(totalParams(qa.modules)).toBe(183_833_090);
  });

  test("no causal-LM head", () => {
    expect(() => build(V3_BASE, "CAUSAL_LM")).toThrow(/no CAUSAL_LM head/);
  });
});

describe("deberta-v2 switches", () => {
  test("share_att_key false adds pos_key_proj (c2p) and pos_query_proj (p2c) per layer", () => {
    expect(total({ ...V3_BASE, share_att_key: false })).toBe(198_005_760);
    const c2p = build({ ...V3_BASE, share_att_key: false, pos_att_type: ["c2p"] }, "FEATURE_EXTRACTION");
    expect(mod(c2p.modules, "encoder.layer.0.attention.self.pos_key_proj")).toBeDefined();
    expect(mod(c2p.modules, "encoder.layer.0.attention.self.pos_query_proj")).toBeUndefined();
    expect(totalParams(c2p.modules)).toBe(190_918_656);
  });

  test("string and list pos_att_type are the same", () => {
    expect(total({ ...V3_BASE, share_att_key: false, pos_att_type: ["p2c", "c2p"] })).toBe(total({ ...V3_BASE, share_att_key: false, pos_att_type: "P2C | c2p" }));
  });

  test("without relative_attention there is no rel_embeddings table (its LayerNorm stays)", () => {
    expect(total({ ...V3_BASE, relative_attention: false })).toBe(183_438_336);
  });

  test("embedding_size below hidden_size adds embed_proj (no bias)", () => {
    const inv = build({ ...V3_BASE, embedding_size: 128 }, "FEATURE_EXTRACTION");
    expect(mod(inv.modules, "embeddings.embed_proj")).toMatchObject({ inFeatures: 128, outFeatures: 768, params: [{ name: "weight", shape: [768, 128] }] });
    expect(totalParams(inv.modules)).toBe(101_945_856);
  });

  test("conv_kernel_size adds encoder.conv (Conv1d + LayerNorm)", () => {
    const inv = build({ ...V3_BASE, conv_kernel_size: 3 }, "FEATURE_EXTRACTION");
    expect(mod(inv.modules, "encoder.conv.conv")!.params.map((p) => p.shape)).toEqual([[768, 768, 3], [768]]);
    expect(totalParams(inv.modules)).toBe(185_603_328);
  });

  test("rel_embeddings without buckets: 2 × max_relative_positions rows, or 2 × max_position_embeddings when that is < 1", () => {
    const noBuckets = { ...V3_BASE, position_buckets: -1 };
    expect(mod(build({ ...noBuckets, max_relative_positions: 128 }, "FEATURE_EXTRACTION").modules, "encoder.rel_embeddings")).toMatchObject({ numEmbeddings: 256 });
    expect(mod(build(noBuckets, "FEATURE_EXTRACTION").modules, "encoder.rel_embeddings")).toMatchObject({ numEmbeddings: 1024 });
  });

  test("type_vocab_size > 0 and position_biased_input add the absolute tables", () => {
    const inv = build({ ...V3_BASE, type_vocab_size: 2, position_biased_input: true }, "FEATURE_EXTRACTION");
    expect(mod(inv.modules, "embeddings.token_type_embeddings")).toMatchObject({ numEmbeddings: 2, embeddingDim: 768 });
    expect(totalParams(inv.modules)).toBe(183_831_552 + 2 * 768 + 512 * 768);
  });

  test("DebertaV2Config defaults (deberta-v2-xlarge shape, absolute positions, no relative attention)", () => {
    const inv = build({ model_type: "deberta-v2" }, "FEATURE_EXTRACTION");
    expect(mod(inv.modules, "embeddings.position_embeddings")).toMatchObject({ numEmbeddings: 512, embeddingDim: 1536 });
    expect(mod(inv.modules, "encoder.rel_embeddings")).toBeUndefined();
    expect(totalParams(inv.modules)).toBe(877_507_584);
  });
});

describe("deberta-v2 config errors", () => {
  test("heads that cannot split the width", () => {
    expect(() => build({ ...V3_BASE, hidden_size: 770 }, "SEQ_CLS")).toThrow(/"hidden_size" \(770\) is not divisible by "num_attention_heads" \(12\)/);
  });
  test("pos_att_type of the wrong type", () => {
    expect(() => build({ ...V3_BASE, pos_att_type: 42 }, "SEQ_CLS")).toThrow(/"pos_att_type" must be a list/);
  });
  test("conv_groups that cannot split the width", () => {
    expect(() => build({ ...V3_BASE, conv_kernel_size: 3, conv_groups: 5 }, "SEQ_CLS")).toThrow(/"conv_groups"/);
  });
  test("norm_rel_ebd must be a string", () => {
    expect(() => build({ ...V3_BASE, norm_rel_ebd: true }, "SEQ_CLS")).toThrow(/"norm_rel_ebd" must be a string/);
  });
});
