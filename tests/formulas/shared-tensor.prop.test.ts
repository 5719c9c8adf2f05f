/**
 * Property tests of the shared-tensor family (VeRA, PVeRA, VB-LoRA, RandLoRA, TinyLoRA, Uni-LoRA, Lily, FRoD)
 * on random small models (tests/model/arbitraries.ts): exact safe integers, Σ parts = trainable, buffers never
 * counted (all − base = trainable), shared tensors counted once (union of disjoint targets), each method's size
 * knob, and targets that match nothing are an error, never 0. Invariants only: no formula is recomputed here.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { frod } from "../../formulas/peft/frod.js";
import { lily } from "../../formulas/peft/lily.js";
import { pvera } from "../../formulas/peft/pvera.js";
import { randlora } from "../../formulas/peft/randlora.js";
import { tinylora } from "../../formulas/peft/tinylora.js";
import { unilora } from "../../formulas/peft/unilora.js";
import { vblora } from "../../formulas/peft/vblora.js";
import { vera } from "../../formulas/peft/vera.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { ModuleKind } from "../../src/model/types.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { moduleTree } from "../../src/peft/modules.js";
import { targetableNames } from "../../src/peft/targets.js";
import { anyConfig } from "../model/arbitraries.js";

const RUNS = { numRuns: 60 };
const count = (f: Formula, inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(f, inv, raw).breakdown;

/** Each method with the module kinds it wraps and a random setting of its own knobs (vector_length 1 divides every size). */
const METHODS: readonly { f: Formula; kinds: readonly ModuleKind[]; knobs: fc.Arbitrary<Record<string, unknown>> }[] = [
  { f: vera, kinds: ["linear", "conv1d"], knobs: fc.record({ r: fc.integer({ min: 1, max: 16 }) }) },
  { f: pvera, kinds: ["linear", "conv1d"], knobs: fc.record({ r: fc.integer({ min: 1, max: 16 }) }) },
  { f: vblora, kinds: ["linear", "conv1d"], knobs: fc.record({ r: fc.integer({ min: 1, max: 4 }), num_vectors: fc.integer({ min: 1, max: 8 }), vector_length: fc.constant(1) }) },
  { f: randlora, kinds: ["linear", "conv1d"], knobs: fc.record({ r: fc.integer({ min: 1, max: 16 }) }) },
  { f: tinylora, kinds: ["linear", "conv1d", "embedding"], knobs: fc.record({ u: fc.integer({ min: 1, max: 16 }), weight_tying: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { f: unilora, kinds: ["linear", "conv1d"], knobs: fc.record({ theta_d_length: fc.integer({ min: 1, max: 512 }) }) },
  { f: lily, kinds: ["linear"], knobs: fc.record({ r: fc.integer({ min: 1, max: 8 }), stride_A: fc.integer({ min: 1, max: 4 }), num_B: fc.integer({ min: 2, max: 4 }) }) },
  { f: frod, kinds: ["linear", "conv1d"], knobs: fc.record({ sparse_rate: fc.double({ min: 0, max: 1, noNaN: true }) }) },
];

/** A method, a model, targets it can wrap there (last names of leaves of its kinds) and its knobs. */
const cases = fc
  .record({ m: fc.constantFrom(...METHODS), cfg: anyConfig })
  .map(({ m, cfg }) => {
    const inv = buildInventory(cfg);
    return { m, inv, names: targetableNames(moduleTree(inv.modules), m.kinds) };
  })
  .filter((c) => c.names.length > 0)
  .chain((c) => fc.record({ c: fc.constant(c), targets: fc.subarray(c.names, { minLength: 1 }), knobs: c.m.knobs }));

describe("the shared-tensor family on random models", () => {
  test.prop([cases], RUNS)("safe integers, Σ parts = trainable, buffers never counted: all − base = trainable", ({ c, targets, knobs }) => {
    const b = count(c.m.f, c.inv, { ...knobs, target_modules: targets });
    for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
    expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
    expect(b.trainable).toBeGreaterThan(0);
    expect(b.allParams - totalParams(c.inv.modules)).toBe(b.trainable);
    // the echoed options count the same
    const echoed = JSON.parse(JSON.stringify(evaluate(c.m.f, c.inv, { ...knobs, target_modules: targets }).options)) as Record<string, unknown>;
    expect(count(c.m.f, c.inv, echoed)).toEqual(b);
  });

  test.prop([cases], RUNS)("targets that match nothing are an error, never 0", ({ c, knobs }) => {
    for (const target_modules of [["no_such_module"], ".*no_such_module"]) {
      const e = (() => {
        try {
          count(c.m.f, c.inv, { ...knobs, target_modules });
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(InputError);
    }
  });

  test.prop([cases], RUNS)("shared tensors are counted once: disjoint targets add up, less what they share", ({ c, targets, knobs }) => {
    if (targets.length < 2) return;
    const [a, b] = [targets.slice(0, 1), targets.slice(1)];
    const at = (t: string[]) => count(c.m.f, c.inv, { ...knobs, target_modules: t }).trainable;
    const once = c.m.f === vblora ? (knobs["num_vectors"] as number) : c.m.f === unilora ? (knobs["theta_d_length"] as number) : 0;
    if (c.m.f === tinylora) {
      // the group count is a rounding of the layer count: only its ends are additive
      const ends = { ...knobs, weight_tying: 0 };
      expect(count(tinylora, c.inv, { ...ends, target_modules: targets }).trainable).toBe(count(tinylora, c.inv, { ...ends, target_modules: a }).trainable + count(tinylora, c.inv, { ...ends, target_modules: b }).trainable);
      expect(count(tinylora, c.inv, { ...knobs, weight_tying: 1, target_modules: targets }).trainable).toBe(knobs["u"]);
      return;
    }
    expect(at(targets)).toBe(at(a) + at(b) - once);
  });
});

describe("size knobs", () => {
  const on = (f: Formula) => cases.filter(({ c }) => c.m.f === f);

  test.prop([on(vera)], RUNS)("VeRA / PVeRA: affine in r, one lambda_d (r or 2r) per wrapped layer", ({ c, targets }) => {
    for (const [f, per] of [[vera, 1], [pvera, 2]] as const) {
      const at = (r: number) => count(f, c.inv, { r, target_modules: targets });
      const n = at(1).parts.filter((p) => p.name.endsWith("lambda_d")).reduce((s, p) => s + p.modules, 0);
      expect(at(5).trainable - at(2).trainable).toBe(3 * per * n);
    }
  });

  test.prop([on(vblora)], RUNS)("VB-LoRA: linear in num_vectors (bank and logits alike)", ({ c, targets, knobs }) => {
    const at = (num_vectors: number) => count(vblora, c.inv, { ...knobs, num_vectors, target_modules: targets }).trainable;
    expect(at(6)).toBe(3 * at(2));
  });

  test.prop([on(randlora)], RUNS)("RandLoRA: one basis per layer once r ≥ its size; enough bases for full rank at any r", ({ c, targets, knobs }) => {
    const parts = (r: number, suffix: string) =>
      count(randlora, c.inv, { r, target_modules: targets })
        .parts.filter((p) => p.name.endsWith(suffix))
        .reduce((s, p) => s + p.count, 0);
    const layers = count(vera, c.inv, { r: 1, target_modules: targets }).parts.filter((p) => p.name.endsWith("lambda_d")).reduce((s, p) => s + p.modules, 0);
    // sizes here stay far below 1000: a single basis, so lambda is r per layer and gamma Σ min(d_in, d_out)
    expect(parts(1001, "randlora_lambda") - parts(1000, "randlora_lambda")).toBe(layers);
    const sumMin = parts(1000, "randlora_gamma");
    expect(parts(knobs["r"] as number, "randlora_lambda")).toBeGreaterThanOrEqual(sumMin);
  });

  test.prop([on(tinylora), fc.double({ min: 0, max: 1, noNaN: true })], RUNS)("TinyLoRA: linear in u, never more with more weight_tying", ({ c, targets, knobs }, other) => {
    const at = (o: Record<string, unknown>) => count(tinylora, c.inv, { ...knobs, ...o, target_modules: targets }).trainable;
    expect(at({ u: 6 })).toBe(3 * at({ u: 2 }));
    const [lo, hi] = [Math.min(other, knobs["weight_tying"] as number), Math.max(other, knobs["weight_tying"] as number)];
    expect(at({ weight_tying: hi })).toBeLessThanOrEqual(at({ weight_tying: lo }));
  });

  test.prop([on(unilora), fc.integer({ min: 1, max: 32 })], RUNS)("Uni-LoRA: theta_d_length, whatever r and the targets", ({ c, targets, knobs }, r) => {
    expect(count(unilora, c.inv, { ...knobs, r, target_modules: targets }).trainable).toBe(knobs["theta_d_length"]);
  });

  test.prop([on(lily)], RUNS)("Lily: linear in r, more with num_B, never more with a longer stride_A", ({ c, targets, knobs }) => {
    const at = (o: Record<string, unknown>) => count(lily, c.inv, { ...knobs, ...o, target_modules: targets }).trainable;
    expect(at({ r: 6 })).toBe(3 * at({ r: 2 }));
    expect(at({ num_B: (knobs["num_B"] as number) + 1 })).toBeGreaterThan(at({}));
    expect(at({ stride_A: (knobs["stride_A"] as number) + 1 })).toBeLessThanOrEqual(at({}));
  });

  test.prop([on(frod), fc.double({ min: 0, max: 1, noNaN: true })], RUNS)("FRoD: never fewer with a higher sparse_rate; d_in per layer at rate 0", ({ c, targets, knobs }, other) => {
    const at = (sparse_rate: number) => count(frod, c.inv, { sparse_rate, target_modules: targets });
    const [lo, hi] = [Math.min(other, knobs["sparse_rate"] as number), Math.max(other, knobs["sparse_rate"] as number)];
    expect(at(hi).trainable).toBeGreaterThanOrEqual(at(lo).trainable);
    const zero = at(0);
    expect(zero.parts.filter((p) => p.name.endsWith("frod_lambda_s_values")).every((p) => p.count === 0)).toBe(true);
  });
});
