/**
 * Presets of the GPT-style decoder families (GPT-2, OPT, BLOOM, Falcon, Pythia, Phi): each preset's
 * config must instantiate exactly its published parameter count, and each must be findable by its
 * Hugging Face repo id.
 */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { BLOOM_PRESETS } from "../../src/model/presets/bloom.js";
import { FALCON_PRESETS } from "../../src/model/presets/falcon.js";
import { GPT_NEOX_PRESETS } from "../../src/model/presets/gpt-neox.js";
import { GPT2_PRESETS } from "../../src/model/presets/gpt2.js";
import { findPreset } from "../../src/model/presets/index.js";
import { OPT_PRESETS } from "../../src/model/presets/opt.js";
import { PHI_PRESETS } from "../../src/model/presets/phi.js";
import { totalParams } from "../../src/model/types.js";

const PRESETS = [...GPT2_PRESETS, ...OPT_PRESETS, ...BLOOM_PRESETS, ...FALCON_PRESETS, ...GPT_NEOX_PRESETS, ...PHI_PRESETS];

describe("GPT-style decoder presets", () => {
  test("the requested ids are all there", () => {
    expect(PRESETS.map((p) => p.id).sort()).toEqual(
      [
        "gpt2",
        "gpt2-medium",
        "gpt2-large",
        "gpt2-xl",
        "opt-125m",
        "opt-350m",
        "opt-1.3b",
        "opt-6.7b",
        "bloom-560m",
        "bloomz-7b1",
        "falcon-7b",
        "pythia-160m",
        "pythia-1.4b",
        "phi-2",
      ].sort(),
    );
  });

  test.each(PRESETS.map((p) => [p.id, p] as const))("%s instantiates its published count", (_id, p) => {
    expect(totalParams(buildInventory(p.config).modules)).toBe(p.publishedParams);
    expect(p.source.length).toBeGreaterThan(10);
    expect(p.configSource.length).toBeGreaterThan(10);
  });

  test.each(PRESETS.flatMap((p) => p.aliases.map((a) => [a, p.id] as const)))("alias %s finds %s", (alias, id) => {
    expect(findPreset(alias)?.id).toBe(id);
  });

  test("published counts are the exact figures, not headline roundings", () => {
    const count = (id: string) => PRESETS.find((p) => p.id === id)!.publishedParams;
    expect(count("gpt2-large")).toBe(774_030_080);
    expect(count("gpt2-xl")).toBe(1_557_611_200);
    // Keras Hub's 1,315,753,984 + the two offset position rows (2 × 2048) transformers adds
    expect(count("opt-1.3b")).toBe(1_315_753_984 + 2 * 2048);
    expect(count("bloomz-7b1")).toBe(7_069_016_064);
  });
});
