/**
 * T5 / mT5: heads of transformers 4.43 (shared-embedding aliases, flan-t5 / mT5 untied heads), relative
 * bias, defaults and config errors; then what transformers 5 builds differently (each stack's own tied
 * embed_tokens, lm_head always tied), checked against `oracle inventory` (tests/golden/inventories-5.json).
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type ParamModule } from "../../src/model/types.js";

const T5_SMALL = { model_type: "t5", d_model: 512, d_ff: 2048, d_kv: 64, num_heads: 8, num_layers: 6, vocab_size: 32128, feed_forward_proj: "relu" };
const FLAN_T5_BASE = { model_type: "t5", d_model: 768, d_ff: 2048, d_kv: 64, num_heads: 12, num_layers: 12, vocab_size: 32128, feed_forward_proj: "gated-gelu", tie_word_embeddings: false };

const build = (cfg: Record<string, unknown>, task?: Task, numLabels?: number) => buildInventory(cfg, { task, numLabels, transformers: [4, 43, 3] });
const build5 = (cfg: Record<string, unknown>, task?: Task, numLabels?: number) => buildInventory(cfg, { task, numLabels, transformers: [5, 18, 0] });
const total = (cfg: Record<string, unknown>, task?: Task, numLabels?: number) => totalParams(build(cfg, task, numLabels).modules);
const mod = (mods: readonly ParamModule[], name: string) => mods.find((m) => m.name === name);
const names = (mods: readonly ParamModule[], re: RegExp) => mods.filter((m) => re.test(m.name)).map((m) => m.name);

function configError(cfg: Record<string, unknown>, task?: Task): InputError {
  try {
    build(cfg, task);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("t5 module tree", () => {
  test("`shared` is registered once; both stacks reach it as embed_tokens (aliases, not copies)", () => {
    const inv = build(T5_SMALL);
    expect(mod(inv.modules, "shared")?.aliases).toEqual(["encoder.embed_tokens", "decoder.embed_tokens"]);
    expect(mod(inv.modules, "encoder.embed_tokens")).toBeUndefined();
    expect(inv.inputEmbeddings).toBe("shared");
  });

  test("relative_attention_bias lives only in block 0's self-attention of each stack", () => {
    const inv = build(T5_SMALL);
    expect(names(inv.modules, /relative_attention_bias/)).toEqual([
      "encoder.block.0.layer.0.SelfAttention.relative_attention_bias",
      "decoder.block.0.layer.0.SelfAttention.relative_attention_bias",
    ]);
    expect(mod(inv.modules, "encoder.block.0.layer.0.SelfAttention.relative_attention_bias")).toMatchObject({ numEmbeddings: 32, embeddingDim: 8 });
  });

  test("decoder blocks: layer.0 self-attention, layer.1 EncDecAttention, layer.2 feed-forward", () => {
    const inv = build(T5_SMALL);
    expect(mod(inv.modules, "decoder.block.5.layer.1.EncDecAttention.q")).toMatchObject({ inFeatures: 512, outFeatures: 512 });
    expect(mod(inv.modules, "decoder.block.5.layer.2.DenseReluDense.wi")).toMatchObject({ inFeatures: 512, outFeatures: 2048 });
    expect(mod(inv.modules, "encoder.block.5.layer.1.DenseReluDense.wo")).toMatchObject({ inFeatures: 2048, outFeatures: 512 });
    expect(names(inv.modules, /layer_norm$/)).toHaveLength(6 * 2 + 6 * 3 + 2);
  });

  test("v1.0 ties lm_head to shared; flan-t5 unties it", () => {
    const t5 = build(T5_SMALL);
    expect(t5.modelClass).toBe("T5ForConditionalGeneration");
    expect(t5.outputEmbeddings).toBe("lm_head");
    expect(mod(t5.modules, "lm_head")?.params[0]?.tiedTo).toBe("shared.weight");
    expect(totalParams(t5.modules)).toBe(60_506_624);
    const flan = build(FLAN_T5_BASE);
    expect(mod(flan.modules, "lm_head")?.params[0]?.tiedTo).toBeUndefined();
    expect(mod(flan.modules, "encoder.block.0.layer.1.DenseReluDense.wi_1")).toMatchObject({ inFeatures: 768, outFeatures: 2048 });
    expect(totalParams(flan.modules)).toBe(247_577_856);
  });

  test("inner attention width is num_heads·d_kv, which may differ from d_model", () => {
    const inv = build({ ...T5_SMALL, num_heads: 4, d_kv: 32 });
    expect(mod(inv.modules, "encoder.block.0.layer.0.SelfAttention.k")).toMatchObject({ inFeatures: 512, outFeatures: 128 });
    expect(mod(inv.modules, "decoder.block.0.layer.1.EncDecAttention.o")).toMatchObject({ inFeatures: 128, outFeatures: 512 });
  });

  test("dims describe the encoder-decoder", () => {
    expect(build(FLAN_T5_BASE).dims).toMatchObject({
      isEncoderDecoder: true,
      numHiddenLayers: 12,
      numDecoderLayers: 12,
      hiddenSize: 768,
      numAttentionHeads: 12,
      headDim: 64,
      intermediateSize: 2048,
      tieWordEmbeddings: false,
    });
    expect(build(T5_SMALL).layersPath).toBe("encoder.block");
  });
});

describe("t5 heads", () => {
  test("FEATURE_EXTRACTION is the bare T5Model: no lm_head", () => {
    const inv = build(FLAN_T5_BASE, "FEATURE_EXTRACTION");
    expect(inv.modelClass).toBe("T5Model");
    expect(inv.outputEmbeddings).toBeUndefined();
    expect(mod(inv.modules, "lm_head")).toBeUndefined();
    expect(totalParams(inv.modules)).toBe(247_577_856 - 32128 * 768);
  });

  test("SEQ_CLS: T5Model under `transformer.` + classification_head dense/out_proj with biases", () => {
    const inv = build(T5_SMALL, "SEQ_CLS", 3);
    expect(inv.modelClass).toBe("T5ForSequenceClassification");
    expect(inv.inputEmbeddings).toBe("transformer.shared");
    expect(inv.layersPath).toBe("transformer.encoder.block");
    expect(mod(inv.modules, "transformer.shared")?.aliases).toEqual(["transformer.encoder.embed_tokens", "transformer.decoder.embed_tokens"]);
    expect(mod(inv.modules, "classification_head.out_proj")).toMatchObject({ inFeatures: 512, outFeatures: 3 });
    expect(totalParams(inv.modules)).toBe(60_506_624 + (512 * 512 + 512) + (512 * 3 + 3));
  });

  test("QUESTION_ANS keeps shared/encoder/decoder at the top level; qa_outputs has num_labels outputs", () => {
    const inv = build(T5_SMALL, "QUESTION_ANS");
    expect(inv.modelClass).toBe("T5ForQuestionAnswering");
    expect(mod(inv.modules, "decoder.block.0.layer.1.EncDecAttention.v")).toBeDefined();
    expect(mod(inv.modules, "qa_outputs")).toMatchObject({ inFeatures: 512, outFeatures: 2 });
    expect(totalParams(inv.modules)).toBe(60_507_650);
  });

  test("TOKEN_CLS is encoder-only (T5EncoderModel under `transformer.`) + classifier", () => {
    const inv = build(T5_SMALL, "TOKEN_CLS", 2);
    expect(inv.modelClass).toBe("T5ForTokenClassification");
    expect(names(inv.modules, /decoder/)).toEqual([]);
    expect(mod(inv.modules, "transformer.shared")?.aliases).toEqual(["transformer.encoder.embed_tokens"]);
    expect(totalParams(inv.modules)).toBe(35_331_842);
  });

  test("there is no CAUSAL_LM class for t5", () => {
    expect(configError(T5_SMALL, "CAUSAL_LM").code).toBe("UNSUPPORTED_TASK");
  });

  test("mt5 builds MT5* classes", () => {
    expect(build({ ...FLAN_T5_BASE, model_type: "mt5" }).modelClass).toBe("MT5ForConditionalGeneration");
    expect(build({ ...FLAN_T5_BASE, model_type: "mt5" }, "TOKEN_CLS").modelClass).toBe("MT5ForTokenClassification");
  });
});

describe("t5 config defaults and aliases", () => {
  test("T5Config defaults are t5-small; MT5Config defaults are mt5-small (untied, gated)", () => {
    expect(total({ model_type: "t5" })).toBe(60_506_624);
    expect(total({ model_type: "mt5" })).toBe(300_176_768);
  });

  test("num_decoder_layers defaults to num_layers", () => {
    const inv = build({ ...T5_SMALL, num_layers: 2 });
    expect(names(inv.modules, /^decoder\.block\.\d+\.layer\.0\.SelfAttention\.q$/)).toHaveLength(2);
    expect(build({ ...T5_SMALL, num_layers: 2, num_decoder_layers: 3 }).dims.numDecoderLayers).toBe(3);
  });

  test("num_hidden_layers sets the encoder only (the decoder count is resolved before the alias)", () => {
    const { dims } = build({ model_type: "t5", num_hidden_layers: 3 });
    expect(dims.numHiddenLayers).toBe(3);
    expect(dims.numDecoderLayers).toBe(6);
  });

  test("a saved is_gated_act wins over feed_forward_proj", () => {
    const inv = build({ ...T5_SMALL, feed_forward_proj: "gelu", is_gated_act: true });
    expect(mod(inv.modules, "encoder.block.0.layer.1.DenseReluDense.wi_0")).toBeDefined();
  });
});

describe("t5 config errors name the field", () => {
  test.each(["gated-gelu-new", "fast-gelu", "gated", ""])("feed_forward_proj %j", (v) => {
    const e = configError({ ...T5_SMALL, feed_forward_proj: v });
    expect(e.code).toBe("INVALID_CONFIG");
    expect(e.message).toContain("feed_forward_proj");
  });

  test("wrong types and impossible sizes", () => {
    expect(configError({ ...T5_SMALL, d_model: "512" }).message).toContain('"d_model"');
    expect(configError({ ...T5_SMALL, num_heads: 0 }).message).toContain('"num_heads"');
    expect(configError({ ...T5_SMALL, tie_word_embeddings: "yes" }).message).toContain('"tie_word_embeddings"');
  });
});

describe("transformers 5", () => {
  const tied = (m: ParamModule | undefined) => m?.params.map((p) => p.tiedTo);

  test("each stack owns an embed_tokens Embedding tied to `shared` (no aliases)", () => {
    const inv = build5(T5_SMALL);
    expect(inv.modules.map((m) => m.name).filter((n) => /embed_tokens|shared/.test(n))).toEqual(["shared", "encoder.embed_tokens", "decoder.embed_tokens"]);
    expect(mod(inv.modules, "shared")?.aliases).toBeUndefined();
    expect(mod(inv.modules, "decoder.embed_tokens")).toMatchObject({ kind: "embedding", numEmbeddings: 32128, embeddingDim: 512 });
    expect(tied(mod(inv.modules, "encoder.embed_tokens"))).toEqual(["shared.weight"]);
    expect(inv.inputEmbeddings).toBe("shared");
    expect(totalParams(inv.modules)).toBe(60_506_624);
  });

  test("flan-t5 / mT5 heads are tied too: T5Config / MT5Config force tie_word_embeddings", () => {
    // oracle inventory, transformers 5.18.0: flan-t5-base 222,903,552; mT5Config() 172,119,424
    const flan = build5(FLAN_T5_BASE);
    expect(tied(mod(flan.modules, "lm_head"))).toEqual(["shared.weight"]);
    expect([flan.dims.tieWordEmbeddings, totalParams(flan.modules)]).toEqual([true, 222_903_552]);
    expect(totalParams(build5({ model_type: "mt5" }).modules)).toBe(172_119_424);
    // a saved is_gated_act still wins (oracle: 185,154,816)
    expect(totalParams(build5({ ...FLAN_T5_BASE, is_gated_act: false }).modules)).toBe(185_154_816);
  });

  test("heads under `transformer.` get their stacks' embed_tokens too", () => {
    const seq = build5(T5_SMALL, "SEQ_CLS", 3);
    expect(tied(mod(seq.modules, "transformer.decoder.embed_tokens"))).toEqual(["transformer.shared.weight"]);
    const tok = build5(T5_SMALL, "TOKEN_CLS", 2);
    expect(names(tok.modules, /embed_tokens$/)).toEqual(["transformer.encoder.embed_tokens"]);
    expect(totalParams(tok.modules)).toBe(35_331_842);
  });

  // oracle count (peft 0.21.0 + transformers 5.18.0, --shim-seq2seq), LoRA r=4: what PEFT sees of the new modules
  test.each([
    ["t5-small", T5_SMALL, { target_modules: ["embed_tokens", "q"] }, 334_848, 60_841_472],
    ["t5-small", T5_SMALL, { target_modules: ["q"], modules_to_save: ["embed_tokens"] }, 32_972_800, 93_479_424],
    ["flan-t5-base", FLAN_T5_BASE, { target_modules: ["q"], modules_to_save: ["lm_head"] }, 24_895_488, 247_799_040],
  ] as const)("%s, LoRA %j: %d trainable, %d all", (_id, cfg, options, trainable, all) => {
    const ctx = { peft: [0, 21, 0], transformers: [5, 18, 0] } as const;
    const { breakdown } = evaluate(formulaForPeftType("LORA")!, build5(cfg), { peft_type: "LORA", task_type: "SEQ_2_SEQ_LM", r: 4, ...options }, ctx);
    expect([breakdown.trainable, breakdown.allParams]).toEqual([trainable, all]);
  });

  test("a non-boolean tie_word_embeddings is still refused", () => {
    expect(() => build5({ ...T5_SMALL, tie_word_embeddings: "yes" })).toThrow(/"tie_word_embeddings"/);
  });
});
