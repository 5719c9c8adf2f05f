/**
 * Property tests of LoRA's variants and target_parameters on random small Llama-like / Mixtral models
 * (tests/model/arbitraries.ts): safe integers, Σ parts = trainable, what each variant adds next to plain LoRA on
 * the same targets, linearity in r, and a bare 2-D weight counting as its Linear. Invariants only.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { lora } from "../../formulas/peft/lora.js";
import { evaluate, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { llamaLikeConfig } from "../model/arbitraries.js";

const RUNS = { numRuns: 80 };
const count = (inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(lora, inv, raw).breakdown;
const PROJ = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] as const;

const llama = fc
  .record({ cfg: fc.constantFrom("llama", "mistral", "qwen2").chain((t) => llamaLikeConfig(t as "llama")), targets: fc.subarray([...PROJ], { minLength: 1 }), r: fc.integer({ min: 1, max: 8 }) })
  .map((x) => ({ ...x, inv: buildInventory(x.cfg) }));
const wrappedOf = (inv: Inventory, targets: readonly string[]) => inv.modules.filter((m) => targets.includes(m.name.split(".").pop()!));

function sane(b: ParamBreakdown): void {
  for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
  expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
}

describe("variants next to plain LoRA on the same targets", () => {
  test.prop([llama], RUNS)("KaSA adds r per wrapped Linear (or is refused when r ≥ min(in, out))", ({ inv, targets, r }) => {
    const plain = count(inv, { r, target_modules: targets });
    const wrapped = wrappedOf(inv, targets);
    if (wrapped.some((m) => r >= Math.min(featuresOf(m).inFeatures, featuresOf(m).outFeatures))) {
      expect(() => count(inv, { r, target_modules: targets, kasa_config: {} })).toThrow(InputError);
      return;
    }
    const kasa = count(inv, { r, target_modules: targets, kasa_config: {} });
    sane(kasa);
    expect(kasa.trainable - plain.trainable).toBe(r * wrapped.length);
    expect(kasa.allParams - plain.allParams).toBe(r * wrapped.length);
  });

  test.prop([llama, fc.integer({ min: 1, max: 16 })], RUNS)("MonteCLoRA adds r + num_samples per wrapped module", ({ inv, targets, r }, n) => {
    const plain = count(inv, { r, target_modules: targets });
    const mc = count(inv, { r, target_modules: targets, monteclora_config: { num_samples: n } });
    sane(mc);
    expect(mc.trainable - plain.trainable).toBe((r + n) * wrappedOf(inv, targets).length);
  });

  test.prop([llama], RUNS)("BD-LoRA with one block is plain LoRA; with blocks it never trains more", ({ inv, targets, r }) => {
    const plain = count(inv, { r, target_modules: targets });
    const [a, b] = [targets.filter((_, i) => i % 2 === 0), targets.filter((_, i) => i % 2 === 1)];
    const bd = (nblocks: number) => count(inv, { r, target_modules: targets, use_bdlora: { target_modules_bd_a: a, target_modules_bd_b: b, nblocks } });
    expect(bd(1)).toEqual(plain);
    try {
      const two = bd(2);
      sane(two);
      expect(two.trainable).toBeLessThanOrEqual(plain.trainable);
    } catch (e) {
      // a blocked dimension (r or a feature size) that 2 does not divide: PEFT's ValueError
      expect(e).toBeInstanceOf(InputError);
      expect(r % 2 === 1 || wrappedOf(inv, targets).some((m) => featuresOf(m).inFeatures % 2 === 1 || featuresOf(m).outFeatures % 2 === 1)).toBe(true);
    }
  });

  test.prop([llama], RUNS)("MiCA: the same tensors exist, lora_B does not train; aLoRA and VeLoRA change nothing", ({ inv, targets, r }) => {
    const plain = count(inv, { r, target_modules: targets });
    const mica = count(inv, { r, target_modules: targets, init_lora_weights: "mica" });
    sane(mica);
    expect(mica.allParams).toBe(plain.allParams);
    const loraB = plain.parts.filter((p) => p.name.endsWith(".lora_B")).reduce((s, p) => s + p.count, 0);
    expect(mica.trainable).toBe(plain.trainable - loraB);
    expect(count(inv, { r, target_modules: targets, alora_invocation_tokens: [1, 2] })).toEqual(plain);
    expect(count(inv, { r, target_modules: targets, velora_config: {} })).toEqual(plain);
  });
});

describe("target_parameters", () => {
  test.prop([llama], RUNS)("a bare 2-D weight counts as LoRA on its Linear", ({ inv, targets, r }) => {
    const viaModules = count(inv, { r, target_modules: targets });
    const viaParams = count(inv, { r, target_modules: [], target_parameters: targets.map((t) => `${t}.weight`) });
    sane(viaParams);
    expect(viaParams.trainable).toBe(viaModules.trainable);
    expect(viaParams.allParams).toBe(viaModules.allParams);
  });

  const mixtral = fc
    .record({ cfg: llamaLikeConfig("mixtral"), experts: fc.integer({ min: 1, max: 4 }), r: fc.integer({ min: 1, max: 8 }), names: fc.subarray(["gate_up_proj", "down_proj", "gate.weight"], { minLength: 1 }) })
    .map((x) => ({ ...x, inv: buildInventory({ ...x.cfg, num_local_experts: x.experts, num_experts_per_tok: 1 }) }));

  test.prop([mixtral], RUNS)("fused experts: linear in r, and E·r·(d1 + d2) grows with every parameter added", ({ inv, r, names }) => {
    const one = count(inv, { r, target_modules: [], target_parameters: names });
    const two = count(inv, { r: 2 * r, target_modules: [], target_parameters: names });
    sane(one);
    expect(two.trainable).toBe(2 * one.trainable);
    expect(one.allParams - two.allParams).toBe(-one.trainable);
    const all = count(inv, { r, target_modules: [], target_parameters: ["gate_up_proj", "down_proj", "gate.weight"] });
    expect(all.trainable).toBeGreaterThanOrEqual(one.trainable);
  });

  test.prop([mixtral], RUNS)("the transformers-4 names (w1, w3, w2, gate) are the fused parameters, gate_up_proj at rank 2r", ({ inv, r }) => {
    const old = count(inv, { r, target_modules: ["gate", "w1", "w3", "w2"] });
    const fused = count(inv, { r, target_modules: [], target_parameters: ["gate.weight", "gate_up_proj", "down_proj"], rank_pattern: { gate_up_proj: 2 * r } });
    expect(old.trainable).toBe(fused.trainable);
  });
});
