/**
 * PEFT shortens target lists of ≥ 20 names to suffixes before matching (_find_minimal_target_modules), which
 * makes layers_to_transform apply to names that would otherwise be exact matches.
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { lora } from "../../formulas/peft/lora.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { minimalTargetModules, optimizeTargets } from "../../src/peft/minimal-targets.js";

describe("minimalTargetModules", () => {
  test("PEFT's docstring example: q_proj / v_proj of 100 decoder layers vs encoder k_proj", () => {
    const targets = new Set([...Array.from({ length: 100 }, (_, i) => `model.decoder.layers.${i}.self_attn.q_proj`), ...Array.from({ length: 100 }, (_, i) => `model.decoder.layers.${i}.self_attn.v_proj`)]);
    const others = Array.from({ length: 100 }, (_, i) => `model.encoder.layers.${i}.self_attn.k_proj`);
    expect([...minimalTargetModules(targets, others)].sort()).toEqual(["q_proj", "v_proj"]);
  });

  test("a suffix shared with a non-target is not used: the next longer one is", () => {
    const targets = new Set(Array.from({ length: 20 }, (_, i) => `dec.${i}.attn.q`));
    expect([...minimalTargetModules(targets, ["enc.0.q"])]).toEqual(["attn.q"]);
  });

  test("fewer than 20 names are kept as they are", () => {
    const list = ["a.q", "b.q"];
    expect(optimizeTargets(["a", "a.q", "b", "b.q"], list)).toBe(list);
  });
});

describe("LoRA with ≥ 20 target names and layers_to_transform", () => {
  test("exact full names become suffixes, so layers_to_transform applies to them too (oracle: 352,256)", () => {
    // oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b config, LoRA r=8, the 7 linear names plus
    // model.layers.0..12.self_attn.q_proj (20 entries), layers_to_transform=[0] → 352,256 trainable: layer 0 only
    const inv = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });
    const names = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", ...Array.from({ length: 13 }, (_, i) => `model.layers.${i}.self_attn.q_proj`)];
    const { breakdown } = evaluate(lora, inv, { r: 8, target_modules: names, layers_to_transform: [0] });
    expect(breakdown.trainable).toBe(352_256);
  });
});
