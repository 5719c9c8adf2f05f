/**
 * Built-in Llama-like presets: every published total is what our inventory builds from the preset's
 * config, ids and aliases resolve, and the multimodal Gemma 3 config is read through text_config with
 * Gemma3TextConfig's defaults.
 */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { LLAMA_PRESETS } from "../../src/model/presets/llama.js";
import { MOE_PRESETS } from "../../src/model/presets/moe.js";
import { findPreset } from "../../src/model/presets/index.js";
import { embeddingOf, featuresOf, totalParams } from "../../src/model/types.js";

const byId = (id: string) => {
  const p = LLAMA_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
};

describe("Llama-like presets", () => {
  test("the ids are exactly the promised ones", () => {
    expect(LLAMA_PRESETS.map((p) => p.id)).toEqual([
      "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b", "llama-3-70b", "llama-3.1-8b", "llama-3.1-405b",
      "llama-3.2-1b", "llama-3.2-3b", "mistral-7b-v0.1", "qwen2.5-0.5b", "qwen2.5-7b", "qwen2.5-72b", "qwen3-8b",
      "gemma-2b", "gemma-2-9b", "phi-3-mini-4k", "gemma-3-1b", "gemma-3-27b",
    ]);
  });

  test.each(LLAMA_PRESETS.map((p) => [p.id, p] as const))("%s: published total = our inventory", (_id, p) => {
    const inv = buildInventory(p.config);
    expect(totalParams(inv.modules)).toBe(p.publishedParams);
    expect(Number.isSafeInteger(p.publishedParams)).toBe(true);
    expect(p.source.length).toBeGreaterThan(20);
    expect(p.configSource.length).toBeGreaterThan(20);
  });

  test("ids and aliases are unique across the Llama-like and MoE presets", () => {
    const names = [...LLAMA_PRESETS, ...MOE_PRESETS].flatMap((p) => [p.id, ...p.aliases].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });

  test.each([
    ["meta-llama/Llama-2-7b-hf", "llama-2-7b"],
    ["meta-llama/Meta-Llama-3-8B", "llama-3-8b"],
    ["meta-llama/Llama-3.1-8B", "llama-3.1-8b"],
    ["META-LLAMA/META-LLAMA-3.1-8B", "llama-3.1-8b"],
    ["mistralai/Mistral-7B-v0.1", "mistral-7b-v0.1"],
    ["Qwen/Qwen2.5-7B", "qwen2.5-7b"],
    ["google/gemma-2b", "gemma-2b"],
    ["microsoft/Phi-3-mini-4k-instruct", "phi-3-mini-4k"],
    ["llama-3.1-405b", "llama-3.1-405b"],
  ])("%s resolves to %s", (name, id) => {
    expect(findPreset(name)?.id).toBe(id);
  });

  test("Llama-3.1-8B and Meta-Llama-3-8B have the same count but different configs", () => {
    expect(byId("llama-3.1-8b").publishedParams).toBe(byId("llama-3-8b").publishedParams);
    expect(byId("llama-3.1-8b").config["rope_scaling"]).toBeDefined();
  });

  test("tied presets count the LM head once", () => {
    for (const id of ["llama-3.2-1b", "qwen2.5-0.5b", "gemma-2b", "gemma-2-9b", "gemma-3-1b"]) {
      const inv = buildInventory(byId(id).config);
      const head = inv.modules.find((m) => m.name === "lm_head")!;
      expect(head.params[0]!.tiedTo, id).toBe("model.embed_tokens.weight");
    }
    // Llama-3.2-1B: 128256 x 2048 embedding shared with lm_head
    const untied = buildInventory({ ...byId("llama-3.2-1b").config, tie_word_embeddings: false });
    expect(totalParams(untied.modules) - byId("llama-3.2-1b").publishedParams).toBe(128256 * 2048);
  });
});

describe("Gemma 3", () => {
  const g27 = byId("gemma-3-27b");

  test("the multimodal config counts the language model through text_config, with Gemma3TextConfig defaults", () => {
    const inv = buildInventory(g27.config);
    expect(inv.modelType).toBe("gemma3_text");
    expect(inv.modelClass).toBe("Gemma3ForCausalLM");
    expect(inv.notes?.join(" ")).toMatch(/language model.*vision tower/);
    // vocab_size and tie_word_embeddings are not in text_config: 262208 and true are the defaults
    const embed = embeddingOf(inv.modules.find((m) => m.name === "model.embed_tokens")!);
    expect([embed.numEmbeddings, embed.embeddingDim]).toEqual([262208, 5376]);
    expect(inv.modules.find((m) => m.name === "lm_head")!.params[0]!.tiedTo).toBe("model.embed_tokens.weight");
    expect(inv.dims.headDim).toBe(128);
    expect(inv.dims.numKeyValueHeads).toBe(16);
  });

  test("27B: published safetensors total minus SigLIP tower and projector is what we count", () => {
    const vision = 3 * 14 * 14 * 1152 + 1152 + 64 * 64 * 1152 + 27 * (4 * 1152 + 4 * (1152 * 1152 + 1152) + 2 * 4304 * 1152 + 4304 + 1152) + 2 * 1152;
    const projector = 1152 * 5376 + 1152;
    expect(vision).toBe(416_866_032);
    expect(27_432_406_640 - vision - projector).toBe(g27.publishedParams);
  });

  test("Gemma3TextModel: scaled embedding class, q/k norms of head_dim, sandwich norms", () => {
    const inv = buildInventory(byId("gemma-3-1b").config);
    const names = new Map(inv.modules.map((m) => [m.name, m]));
    expect(names.get("model.embed_tokens")!.className).toBe("Gemma3TextScaledWordEmbedding");
    expect(names.get("model.embed_tokens")!.kind).toBe("embedding");
    expect(names.get("model.layers.0.self_attn.q_norm")!.params[0]!.shape).toEqual([256]);
    expect(names.get("model.layers.25.self_attn.k_norm")!.className).toBe("Gemma3RMSNorm");
    for (const n of ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"])
      expect(names.get(`model.layers.3.${n}`)!.params[0]!.shape).toEqual([1152]);
    // q: 4 heads x 256 = 1024 wide on a 1152 model; k/v: 1 head
    expect([featuresOf(names.get("model.layers.0.self_attn.q_proj")!).outFeatures, featuresOf(names.get("model.layers.0.self_attn.k_proj")!).outFeatures]).toEqual([1024, 256]);
  });

  test("text-only heads are Gemma3TextModel and Gemma3TextForSequenceClassification; no token/QA heads", () => {
    const cfg = byId("gemma-3-1b").config;
    const base = buildInventory(cfg, { task: "FEATURE_EXTRACTION" });
    expect(base.modelClass).toBe("Gemma3TextModel");
    expect(base.inputEmbeddings).toBe("embed_tokens");
    const cls = buildInventory(cfg, { task: "SEQ_CLS", numLabels: 3 });
    expect(cls.modelClass).toBe("Gemma3TextForSequenceClassification");
    expect(cls.modules.find((m) => m.name === "score")!.params.map((p) => p.shape)).toEqual([[3, 1152]]);
    expect(() => buildInventory(cfg, { task: "TOKEN_CLS" })).toThrow(/no TOKEN_CLS head for model_type "gemma3_text"/);
    expect(() => buildInventory(cfg, { task: "QUESTION_ANS" })).toThrow(/no QUESTION_ANS head/);
  });

  test("a bare gemma3_text config takes Gemma3TextConfig's defaults", () => {
    // vocab 262208, hidden 2304, 26 layers, 8 heads / 4 kv of 256, intermediate 9216, tied
    const h = 2304, L = 26, hd = 256;
    const layer = h * 8 * hd + 2 * h * 4 * hd + 8 * hd * h + 2 * hd + 3 * h * 9216 + 4 * h;
    expect(totalParams(buildInventory({ model_type: "gemma3_text" }).modules)).toBe(262208 * h + L * layer + h);
  });

  test("wrong types inside text_config name the field and where it sits", () => {
    const bad = { ...g27.config, text_config: { ...(g27.config["text_config"] as object), num_hidden_layers: "62" } };
    expect(() => buildInventory(bad)).toThrow(/config\.json text_config: "num_hidden_layers" must be an integer/);
  });
});
