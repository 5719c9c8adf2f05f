/**
 * Property tests of the orthogonal family (OFT, BOFT, HRA, MiSS, Bone, RoAd, PSOFT, C3A) on random small
 * models whose targets are Linear layers (Llama-likes, BERT, T5; tests/model/arbitraries.ts): exact safe
 * integers, Σ parts = trainable, everything added trains, linearity in the layer count, each method's size
 * knob, targets matching nothing are an error, echoed options count the same. Invariants only.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { boft } from "../../formulas/peft/boft.js";
import { bone } from "../../formulas/peft/bone.js";
import { c3a } from "../../formulas/peft/c3a.js";
import { hra } from "../../formulas/peft/hra.js";
import { miss } from "../../formulas/peft/miss.js";
import { oft } from "../../formulas/peft/oft.js";
import { psoft } from "../../formulas/peft/psoft.js";
import { road } from "../../formulas/peft/road.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { featuresOf, totalParams, type Inventory } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { bertConfig, LLAMA_LIKE_TYPES, llamaLikeConfig, PER_LAYER_TARGETS, t5Config, withLayers, type RawCfg } from "../model/arbitraries.js";

const RUNS = { numRuns: 60 };
const at = (peft: string) => ({ peft: parseVersion(peft, "peft"), transformers: parseVersion("5.18.0", "transformers") });
const small = fc.integer({ min: 1, max: 8 });

/** Each method with options that are valid on any Linear layer (or refused by PEFT as OPTION_OUT_OF_RANGE), and a release that has it. */
const METHODS: readonly { f: Formula; peft: string; options: fc.Arbitrary<Record<string, unknown>> }[] = [
  { f: oft, peft: "0.21.0", options: fc.oneof(fc.record({ oft_block_size: small, block_share: fc.boolean(), coft: fc.boolean() }), fc.record({ r: small, oft_block_size: fc.constant(0) })) },
  { f: boft, peft: "0.21.0", options: fc.constantFrom({ boft_block_size: 1 }, { boft_block_size: 0, boft_block_num: 1 }, { boft_block_size: 2, boft_n_butterfly_factor: 2 }) },
  { f: hra, peft: "0.21.0", options: fc.record({ r: small, apply_GS: fc.boolean() }) },
  { f: miss, peft: "0.21.0", options: fc.oneof(fc.record({ r: small, init_weights: fc.constantFrom(true, false, "bat") }), fc.record({ r: small, mini_r: small, init_weights: fc.constant("mini") })) },
  { f: bone, peft: "0.18.0", options: fc.record({ r: small, init_weights: fc.constantFrom(true, false, "bat") }) },
  { f: road, peft: "0.21.0", options: fc.record({ variant: fc.constantFrom("road_1", "road_2", "road_4"), group_size: fc.constantFrom(2, 4) }) },
  { f: psoft, peft: "0.21.0", options: fc.record({ r: small, psoft_orth: fc.boolean(), psoft_mag_a: fc.boolean(), psoft_mag_b: fc.boolean() }) },
  { f: c3a, peft: "0.21.0", options: fc.record({ block_size: fc.integer({ min: 1, max: 4 }) }) },
];

/** Models whose per-layer targets are all Linear (GPT-2's Conv1D is refused by every method here). */
const linearConfig: fc.Arbitrary<RawCfg> = fc.oneof(...LLAMA_LIKE_TYPES.map(llamaLikeConfig), bertConfig, t5Config);
const targeted = linearConfig.chain((cfg) => fc.record({ cfg: fc.constant(cfg), targets: fc.subarray([...PER_LAYER_TARGETS[cfg.model_type]!], { minLength: 1 }) }));
const method = fc.constantFrom(...METHODS);
const anyCase = fc.tuple(targeted, method).chain(([t, m]) => fc.record({ t: fc.constant(t), m: fc.constant(m), options: m.options }));

/** Count, or undefined where PEFT refuses a size for this model (a block or group that does not divide a width, r too large). */
function tryCount(f: Formula, inv: Inventory, raw: Record<string, unknown>, peft: string): ParamBreakdown | undefined {
  try {
    return evaluate(f, inv, raw, at(peft)).breakdown;
  } catch (e) {
    if (e instanceof InputError && e.code === "OPTION_OUT_OF_RANGE") return undefined;
    throw e;
  }
}

describe("every orthogonal method on random Linear targets", () => {
  test.prop([anyCase], RUNS)("safe integers, Σ parts = trainable, allParams = base + trainable; echoed options count the same", ({ t, m, options }) => {
    const inv = buildInventory(t.cfg);
    const raw = { ...options, target_modules: t.targets };
    const b = tryCount(m.f, inv, raw, m.peft);
    fc.pre(b !== undefined);
    for (const n of [b!.trainable, b!.allParams, ...b!.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
    expect(b!.parts.reduce((s, p) => s + p.count, 0)).toBe(b!.trainable);
    expect(b!.allParams).toBe(totalParams(inv.modules) + b!.trainable);
    const echoed = evaluate(m.f, inv, raw, at(m.peft)).options;
    expect(evaluate(m.f, inv, JSON.parse(JSON.stringify(echoed)) as Record<string, unknown>, at(m.peft)).breakdown).toEqual(b);
  });

  test.prop([anyCase, small], RUNS)("linear in num_hidden_layers on per-layer targets", ({ t, m, options }, layers) => {
    const count = (n: number) => tryCount(m.f, buildInventory(withLayers(t.cfg, n)), { ...options, target_modules: t.targets }, m.peft);
    const one = count(1);
    fc.pre(one !== undefined);
    expect(count(layers)!.trainable).toBe(layers * one!.trainable);
  });

  test.prop([anyCase], RUNS)("targets matching nothing are an error, not 0", ({ t, m, options }) => {
    const inv = buildInventory(t.cfg);
    expect(() => evaluate(m.f, inv, { ...options, target_modules: ["no_such_module"] }, at(m.peft))).toThrow(InputError);
  });
});

describe("size knobs", () => {
  const model = targeted.map(({ cfg, targets }) => ({ inv: buildInventory(cfg), targets }));
  const count = (f: Formula, inv: Inventory, raw: Record<string, unknown>, peft = "0.21.0") => evaluate(f, inv, raw, at(peft)).breakdown;
  const wrappedCount = (b: ParamBreakdown) => b.parts.reduce((s, p) => s + p.modules, 0);

  test.prop([model, small, small], RUNS)("OFT grows with oft_block_size and shrinks with r; block_share never costs more", ({ inv, targets }, x, y) => {
    const [lo, hi] = [Math.min(x, y), Math.max(x, y)];
    const byBlock = (b: number, share = false) => count(oft, inv, { oft_block_size: b, block_share: share, target_modules: targets }).trainable;
    const byR = (r: number) => count(oft, inv, { r, oft_block_size: 0, target_modules: targets }).trainable;
    expect(byBlock(hi)).toBeGreaterThanOrEqual(byBlock(lo));
    expect(byR(hi)).toBeLessThanOrEqual(byR(lo));
    expect(byBlock(hi, true)).toBeLessThanOrEqual(byBlock(hi));
  });

  test.prop([model, small], RUNS)("HRA and MiSS are linear in r; MiSS \"mini\" with mini_r 1 costs r per module; Bone counts as MiSS", ({ inv, targets }, r) => {
    expect(count(hra, inv, { r: 2 * r, target_modules: targets }).trainable).toBe(2 * count(hra, inv, { r, target_modules: targets }).trainable);
    const plain = (rr: number) => count(miss, inv, { r: rr, target_modules: targets }, "0.20.0").trainable;
    expect(plain(2 * r)).toBe(2 * plain(r));
    // "mini" with mini_r 1: one r × 1 block per wrapped module
    const mini = count(miss, inv, { r, mini_r: 1, init_weights: "mini", target_modules: targets }, "0.20.0");
    expect(mini.trainable).toBe(r * wrappedCount(mini));
    expect(count(bone, inv, { r, target_modules: targets }, "0.18.0").trainable).toBe(plain(r));
  });

  test.prop([model], RUNS)("RoAd: road_4 = 2 · road_2 = 4 · road_1 wherever group_size 2 fits", ({ inv, targets }) => {
    const v = (variant: string) => tryCount(road, inv, { variant, group_size: 2, target_modules: targets }, "0.21.0");
    const one = v("road_1");
    fc.pre(one !== undefined);
    expect(v("road_2")!.trainable).toBe(2 * one!.trainable);
    expect(v("road_4")!.trainable).toBe(4 * one!.trainable);
  });

  test.prop([model, small], RUNS)("PSOFT grows with r; each scale vector costs r per wrapped module", ({ inv, targets }, r) => {
    const p = (rr: number, extra: Record<string, unknown> = {}) => count(psoft, inv, { r: rr, target_modules: targets, ...extra }, "0.20.0");
    const full = p(r);
    expect(p(r + 1).trainable).toBeGreaterThan(full.trainable);
    const modules = inv.modules.filter((m) => targets.includes(m.name.split(".").pop()!)).length;
    expect(full.trainable - p(r, { psoft_mag_a: false }).trainable).toBe(r * modules);
    expect(p(r, { psoft_orth: false }).trainable).toBeGreaterThanOrEqual(full.trainable);
  });

  test.prop([model], RUNS)("C3A with block_size 1 trains as many parameters as the wrapped weights hold", ({ inv, targets }) => {
    const wrapped = inv.modules.filter((m) => targets.includes(m.name.split(".").pop()!));
    expect(count(c3a, inv, { block_size: 1, target_modules: targets }).trainable).toBe(wrapped.reduce((s, m) => s + featuresOf(m).inFeatures * featuresOf(m).outFeatures, 0));
  });

  test.prop([model, fc.constantFrom({ boft_block_size: 1 }, { boft_block_size: 0, boft_block_num: 1 })], RUNS)(
    "BOFT: boft_s is one scale per output whatever the blocks; one whole-width block is a full d_in × d_in rotation",
    ({ inv, targets }, blocks) => {
      const wrapped = inv.modules.filter((m) => targets.includes(m.name.split(".").pop()!));
      const b = count(boft, inv, { ...blocks, target_modules: targets });
      const sum = (suffix: string) => b.parts.filter((p) => p.name.endsWith(suffix)).reduce((s, p) => s + p.count, 0);
      expect(sum("boft_s")).toBe(wrapped.reduce((s, m) => s + featuresOf(m).outFeatures, 0));
      expect(sum("boft_R")).toBe(wrapped.reduce((s, m) => s + featuresOf(m).inFeatures * (blocks.boft_block_size === 1 ? 1 : featuresOf(m).inFeatures), 0));
    },
  );
});
