/**
 * The named configs of the LoRA / (IA)^3 / prefix / prompt / ReFT methods resolved through AdapterHub's entry
 * point (countAdapterHub): config strings as users write them and saved files. Numbers: AdapterHub vectors
 * (adapters 1.2.0 main 88f18eb + transformers 4.57.6), FEATURE_EXTRACTION / CAUSAL_LM models.
 */
import { describe, expect, test } from "vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { presetInventory, V12 } from "./method-helpers.js";

const count = (preset: string, config: unknown) => countAdapterHub(presetInventory(preset), config, V12);

describe("named configs of the LoRA family, prefix, prompt and ReFT", () => {
  test.each([
    ["lora", 294912], // adapters12-lora-roberta-base
    ["ia3", 55296], // adapters12-ia3-bert-base-uncased
    ["dora", 313344], // adapters12-mat-dora-bert-base-uncased
    ["prefix_tuning", 9872384], // adapters12-prefix-tuning-bert-base-uncased
    ["prefix_tuning[bottleneck_size=800]", 15402272], // adapters12-prefix-tuning-bs800-bert-base-uncased
    ["prompt_tuning", 7680], // adapters12-prompt-tuning-bert-base-uncased
    ["loreft", 36888], // adapters12-loreft-bert-base-uncased
    ["direft", 36888], // adapters12-direft-bert-base-uncased
  ])("%s on bert-base-uncased", (config, expected) => {
    expect(count("bert-base-uncased", config).trainable).toBe(expected);
  });
  test("vera: the shared A / B are parameters of the model but frozen", () => {
    const b = count("bert-base-uncased", "vera"); // adapters12-vera-bert-base-uncased
    expect([b.trainable, b.allParams]).toEqual([14157312, 123651840]);
  });
  test("a string with kwargs on Llama", () => {
    expect(count("llama-3.2-1b", "lora[r=8,alpha=16,attn_matrices=['q','k','v']]").trainable).toBe(1179648); // adapters12-str-lora-r8-alpha16-llama-3.2-1b
  });
  test("a saved ReFT config with output_reft false intervenes nowhere", () => {
    const saved = { config: { architecture: "reft", layers: "all", prefix_positions: 3, suffix_positions: 0, r: 1, orthogonality: true, output_reft: false }, name: "x", version: "adapters.1.2.0" };
    expect(count("roberta-base", saved).trainable).toBe(0);
  });
  test("prompt tuning combined with LoRA (a union of two architectures)", () => {
    expect(count("roberta-base", "lora[r=16,alpha=16]|prompt_tuning").trainable).toBe(16 * 2 * 1536 * 12 + 7680);
  });
});

describe("mtl_lora through the entry point", () => {
  test("the named config and a saved one", () => {
    expect(count("bert-base-uncased", "mtl_lora[n_up_projection=2]").trainable).toBe(24 * (8 * 768 + 2 * 768 * 8 + 8 + 2));
    const saved = { config: { architecture: "mtl_lora", r: 4, n_up_projection: 1, task_specific_matrix_type: "singular_values", weights_sharpness: 0.05 }, name: "t", version: "adapters.1.2.0" };
    expect(count("bert-base-uncased", saved).trainable).toBe(24 * (4 * 768 + 768 * 4 + 4 + 1));
  });
});
