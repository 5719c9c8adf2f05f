/** BERT / RoBERTa / XLM-RoBERTa: heads, causal-LM tying, positional variants, defaults and config errors. */
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type ParamModule } from "../../src/model/types.js";

const BERT_BASE = { model_type: "bert", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, vocab_size: 30522, max_position_embeddings: 512, type_vocab_size: 2 };
const ROBERTA_BASE = { ...BERT_BASE, model_type: "roberta", vocab_size: 50265, max_position_embeddings: 514, type_vocab_size: 1 };

const build = (cfg: Record<string, unknown>, task: Task, numLabels?: number) => buildInventory(cfg, { task, numLabels });
const total = (cfg: Record<string, unknown>, task: Task, numLabels?: number) => totalParams(build(cfg, task, numLabels).modules);
const mod = (mods: readonly ParamModule[], name: string) => mods.find((m) => m.name === name);

describe("bert heads", () => {
  test("SEQ_CLS keeps the pooler and adds `classifier` (num_labels from id2label)", () => {
    const inv = build({ ...BERT_BASE, id2label: { 0: "a", 1: "b", 2: "c" } }, "SEQ_CLS");
    expect(inv.modelClass).toBe("BertForSequenceClassification");
    expect(mod(inv.modules, "bert.pooler.dense")).toBeDefined();
    expect(mod(inv.modules, "classifier")).toMatchObject({ inFeatures: 768, outFeatures: 3 });
    expect(totalParams(inv.modules)).toBe(109_484_547);
  });

  test("TOKEN_CLS and QUESTION_ANS drop the pooler", () => {
    expect(total(BERT_BASE, "TOKEN_CLS", 9)).toBe(108_898_569);
    const qa = build(BERT_BASE, "QUESTION_ANS");
    expect(qa.modelClass).toBe("BertForQuestionAnswering");
    expect(mod(qa.modules, "bert.pooler.dense")).toBeUndefined();
    expect(mod(qa.modules, "qa_outputs")).toMatchObject({ inFeatures: 768, outFeatures: 2 });
    expect(totalParams(qa.modules)).toBe(108_893_186);
  });

  test("FEATURE_EXTRACTION is the bare BertModel, no prefix, pooler included", () => {
    const inv = build(BERT_BASE, "FEATURE_EXTRACTION");
    expect(inv.modelClass).toBe("BertModel");
    expect(inv.inputEmbeddings).toBe("embeddings.word_embeddings");
    expect(inv.layersPath).toBe("encoder.layer");
    expect(inv.outputEmbeddings).toBeUndefined();
    expect(mod(inv.modules, "pooler.dense")).toBeDefined();
  });

  test("the natural default task is SEQ_CLS", () => {
    expect(buildInventory(BERT_BASE).modelClass).toBe("BertForSequenceClassification");
    expect(buildInventory(ROBERTA_BASE).modelClass).toBe("RobertaForSequenceClassification");
  });

  test("CAUSAL_LM is BertLMHeadModel: decoder tied to the embeddings, its bias is cls.predictions.bias", () => {
    const inv = build(BERT_BASE, "CAUSAL_LM");
    expect(inv.modelClass).toBe("BertLMHeadModel");
    expect(inv.outputEmbeddings).toBe("cls.predictions.decoder");
    const decoder = mod(inv.modules, "cls.predictions.decoder")!;
    expect(decoder.params.map((p) => p.tiedTo)).toEqual(["bert.embeddings.word_embeddings.weight", "cls.predictions.bias"]);
    expect(mod(inv.modules, "cls.predictions")!.params).toEqual([{ name: "bias", shape: [30522] }]);
    expect(mod(inv.modules, "bert.pooler.dense")).toBeUndefined();
    expect(totalParams(inv.modules)).toBe(109_514_298);
    expect(total({ ...BERT_BASE, tie_word_embeddings: false }, "CAUSAL_LM")).toBe(132_955_194);
  });

  test("cross-attention (decoder) adds a second attention block per layer", () => {
    const cfg = { ...BERT_BASE, is_decoder: true, add_cross_attention: true };
    const inv = build(cfg, "CAUSAL_LM");
    expect(mod(inv.modules, "bert.encoder.layer.11.crossattention.self.value")).toMatchObject({ inFeatures: 768, outFeatures: 768 });
    expect(totalParams(inv.modules)).toBe(137_881_146);
    expect(() => build({ ...BERT_BASE, add_cross_attention: true }, "CAUSAL_LM")).toThrow(/"is_decoder"/);
  });

  test("relative_key positions add a distance_embedding of 2·max_pos−1 rows × head size per layer", () => {
    const inv = build({ ...BERT_BASE, position_embedding_type: "relative_key_query" }, "FEATURE_EXTRACTION");
    expect(mod(inv.modules, "encoder.layer.0.attention.self.distance_embedding")).toMatchObject({ numEmbeddings: 1023, embeddingDim: 64 });
    expect(totalParams(inv.modules)).toBe(110_267_904);
  });
});

describe("roberta / xlm-roberta heads", () => {
  test("SEQ_CLS has no pooler and a two-layer classifier", () => {
    const inv = build(ROBERTA_BASE, "SEQ_CLS", 2);
    expect(mod(inv.modules, "roberta.pooler.dense")).toBeUndefined();
    expect(mod(inv.modules, "classifier.dense")).toMatchObject({ inFeatures: 768, outFeatures: 768 });
    expect(mod(inv.modules, "classifier.out_proj")).toMatchObject({ inFeatures: 768, outFeatures: 2 });
    expect(totalParams(inv.modules)).toBe(124_647_170);
  });

  test("CAUSAL_LM: lm_head.{dense,layer_norm,decoder} with the bias owned by lm_head", () => {
    const inv = build(ROBERTA_BASE, "CAUSAL_LM");
    expect(inv.modelClass).toBe("RobertaForCausalLM");
    expect(inv.outputEmbeddings).toBe("lm_head.decoder");
    expect(mod(inv.modules, "lm_head.layer_norm")).toBeDefined();
    expect(mod(inv.modules, "lm_head.decoder")!.params.map((p) => p.tiedTo)).toEqual(["roberta.embeddings.word_embeddings.weight", "lm_head.bias"]);
    expect(totalParams(inv.modules)).toBe(124_697_433);
  });

  test("xlm-roberta is the RoBERTa tree with XLMRoberta class names", () => {
    const cfg = { ...ROBERTA_BASE, model_type: "xlm-roberta", vocab_size: 250002 };
    expect(build(cfg, "SEQ_CLS", 2).modelClass).toBe("XLMRobertaForSequenceClassification");
    expect(build(cfg, "TOKEN_CLS", 2).modules.some((m) => m.name === "roberta.embeddings.word_embeddings")).toBe(true);
    expect(mod(build(cfg, "CAUSAL_LM").modules, "lm_head")!.className).toBe("XLMRobertaLMHead");
    expect(total(cfg, "FEATURE_EXTRACTION")).toBe(278_043_648);
  });
});

describe("defaults and errors", () => {
  test("missing fields take the config class defaults", () => {
    // BertConfig() is bert-base-uncased; RobertaConfig() only changes vocab_size (50265)
    expect(total({ model_type: "bert" }, "FEATURE_EXTRACTION")).toBe(109_482_240);
    expect(total({ model_type: "roberta" }, "FEATURE_EXTRACTION")).toBe(124_644_864);
    // XLMRobertaConfig keeps BertConfig's vocab_size of 30522
    expect(total({ model_type: "xlm-roberta" }, "FEATURE_EXTRACTION")).toBe(109_482_240);
  });

  test("a width the heads cannot split is refused, unless embedding_size is declared", () => {
    expect(() => build({ ...BERT_BASE, hidden_size: 770 }, "SEQ_CLS")).toThrow(/"hidden_size" \(770\) is not divisible by "num_attention_heads" \(12\)/);
    const inv = build({ ...BERT_BASE, hidden_size: 770, embedding_size: 128 }, "FEATURE_EXTRACTION");
    expect(mod(inv.modules, "encoder.layer.0.attention.self.query")).toMatchObject({ inFeatures: 770, outFeatures: 768 });
  });

  test("more heads than width is refused even with embedding_size", () => {
    expect(() => build({ ...BERT_BASE, hidden_size: 8, embedding_size: 8 }, "SEQ_CLS")).toThrow(/"hidden_size" \(8\) is not divisible/);
  });

  test("wrong types name the field", () => {
    expect(() => build({ ...BERT_BASE, hidden_size: "768" }, "SEQ_CLS")).toThrow(InputError);
    expect(() => build({ ...BERT_BASE, hidden_size: "768" }, "SEQ_CLS")).toThrow(/"hidden_size" must be an integer/);
    expect(() => build({ ...BERT_BASE, num_hidden_layers: 0 }, "SEQ_CLS")).toThrow(/"num_hidden_layers" must be a positive integer/);
    expect(() => build({ ...BERT_BASE, is_decoder: "yes" }, "SEQ_CLS")).toThrow(/"is_decoder" must be true or false/);
  });

  test("SEQ_2_SEQ_LM is not a BERT head", () => {
    expect(() => build(BERT_BASE, "SEQ_2_SEQ_LM")).toThrow(/no SEQ_2_SEQ_LM head/);
  });
});
