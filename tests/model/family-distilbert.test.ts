/** DistilBERT: heads, attribute_map aliases, defaults and config errors. */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type ParamModule } from "../../src/model/types.js";

const BASE = { model_type: "distilbert", dim: 768, hidden_dim: 3072, n_heads: 12, n_layers: 6, vocab_size: 30522, max_position_embeddings: 512 };

const build = (cfg: Record<string, unknown>, task: Task, numLabels?: number) => buildInventory(cfg, { task, numLabels });
const total = (cfg: Record<string, unknown>, task: Task = "FEATURE_EXTRACTION", numLabels?: number) => totalParams(build(cfg, task, numLabels).modules);
const mod = (mods: readonly ParamModule[], name: string) => mods.find((m) => m.name === name);

describe("distilbert", () => {
  test("bare DistilBertModel", () => {
    const inv = build(BASE, "FEATURE_EXTRACTION");
    expect(inv.modelClass).toBe("DistilBertModel");
    expect(inv.layersPath).toBe("transformer.layer");
    expect(mod(inv.modules, "transformer.layer.5.attention.q_lin")).toMatchObject({ inFeatures: 768, outFeatures: 768 });
    expect(mod(inv.modules, "transformer.layer.5.ffn.lin1")).toMatchObject({ inFeatures: 768, outFeatures: 3072 });
    expect(totalParams(inv.modules)).toBe(66_362_880);
  });

  test("SEQ_CLS adds pre_classifier and classifier; the natural default", () => {
    const inv = buildInventory(BASE);
    expect(inv.modelClass).toBe("DistilBertForSequenceClassification");
    expect(inv.inputEmbeddings).toBe("distilbert.embeddings.word_embeddings");
    expect(mod(inv.modules, "pre_classifier")).toMatchObject({ inFeatures: 768, outFeatures: 768 });
    expect(totalParams(inv.modules)).toBe(66_955_010);
  });

  test("TOKEN_CLS and QUESTION_ANS", () => {
    expect(total(BASE, "TOKEN_CLS", 9)).toBe(66_369_801);
    expect(total(BASE, "QUESTION_ANS")).toBe(66_364_418);
    expect(() => build(BASE, "QUESTION_ANS", 3)).toThrow(/num_labels = 2/);
  });

  test("defaults are distilbert-base-uncased; hidden_size etc. override dim / n_heads like attribute_map", () => {
    expect(total({ model_type: "distilbert" })).toBe(66_362_880);
    expect(total({ ...BASE, hidden_size: 512, n_heads: 8 })).toBe(41_102_336);
    expect(total({ ...BASE, num_hidden_layers: 3 })).toBe(total({ ...BASE, n_layers: 3 }));
  });

  test("errors name the field", () => {
    expect(() => build({ ...BASE, dim: 770 }, "SEQ_CLS")).toThrow(/"dim" \(770\) is not divisible by "n_heads" \(12\)/);
    expect(() => build({ ...BASE, hidden_size: 770 }, "SEQ_CLS")).toThrow(/"hidden_size" \(770\) is not divisible by "n_heads" \(12\)/);
    expect(() => build({ ...BASE, num_attention_heads: 7 }, "SEQ_CLS")).toThrow(/"dim" \(768\) is not divisible by "num_attention_heads" \(7\)/);
    expect(() => build({ ...BASE, n_layers: 2.5 }, "SEQ_CLS")).toThrow(/"n_layers" must be an integer/);
    expect(() => build(BASE, "CAUSAL_LM")).toThrow(/no CAUSAL_LM head/);
  });
});
