/**
 * `budget` answers checked against `count` itself (formulas/types.ts `evaluate`, not our search): for random
 * limits, the chosen knob value k fits and k + 1 does not (or PEFT refuses it) — for LoRA, LoHa, LoKr, VeRA,
 * FourierFT and prompt tuning on random small models and on a real one; the value closest to a share of the
 * model is no farther than its neighbours; the largest adapter file that fits is exact to the byte; a count
 * that falls as the knob grows is refused, not answered.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { findFormula } from "../../formulas/index.js";
import { evaluate, type Formula } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { solveBudget, type BudgetTarget } from "../../src/budget/budget.js";
import { SIZE_KNOBS } from "../../src/budget/knobs.js";
import { searchLargest } from "../../src/budget/search.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Inventory } from "../../src/model/types.js";
import { buildRow } from "../../src/report/build.js";
import { rowAdapterSize } from "../../src/size/row-size.js";
import { LLAMA_LIKE_TYPES, llamaLikeConfig } from "../model/arbitraries.js";

const LLAMA = buildInventory(findPreset("llama-3.2-1b")!.config);
const METHODS: readonly [string, Record<string, unknown>][] = [
  ["lora", { target_modules: "all-linear" }],
  ["loha", { target_modules: ["q_proj", "v_proj"] }],
  ["lokr", { target_modules: ["q_proj", "v_proj"] }],
  ["vera", { target_modules: ["q_proj", "v_proj"] }],
  ["fourierft", { target_modules: ["q_proj", "v_proj"] }],
  ["prompt-tuning", {}],
];

/** The count at knob value v, or undefined when PEFT refuses it. */
function countAt(f: Formula, inv: Inventory, options: Record<string, unknown>, key: string, v: number): { trainable: number; all: number } | undefined {
  try {
    const b = evaluate(f, inv, { ...options, [key]: v }).breakdown;
    return { trainable: b.trainable, all: b.allParams };
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

describe.each(METHODS)("%s: the largest value that fits, against count at k and k+1", (id, options) => {
  const f = findFormula(id)! as Formula;
  const knob = SIZE_KNOBS[id]!;
  const lo = countAt(f, LLAMA, options, knob.key, 1)!.trainable;
  const hi = countAt(f, LLAMA, options, knob.key, 300)!.trainable;

  test.prop([fc.integer({ min: lo, max: hi })], { numRuns: 25 })("llama-3.2-1b", (max) => {
    let answer;
    try {
      answer = solveBudget({ inv: LLAMA, formula: f, options, knob, target: { kind: "trainable", max } });
    } catch (e) {
      // LoKr stops decomposing w2 once r is large (lokr/layer.py `update_layer`: r < max(shape) / 2), so its count
      // can fall as r grows: budget must refuse, and the values it names must really fall
      if (!(e instanceof InputError && e.code === "NOT_MONOTONE")) throw e;
      const m = /\((\w+)=(\d+): (\d+), \w+=(\d+): (\d+)\)/.exec(e.message);
      expect(m, e.message).not.toBeNull();
      expect(countAt(f, LLAMA, options, knob.key, Number(m![2]))!.trainable).toBe(Number(m![3]));
      expect(countAt(f, LLAMA, options, knob.key, Number(m![4]))!.trainable).toBe(Number(m![5]));
      expect(Number(m![5])).toBeLessThan(Number(m![3]));
      expect(id).toBe("lokr");
      return;
    }
    const { chosen, next } = answer;
    expect(chosen).toBeDefined();
    const k = chosen!.value;
    expect(chosen!.row.trainableParams).toBe(countAt(f, LLAMA, options, knob.key, k)!.trainable);
    expect(chosen!.row.trainableParams).toBeLessThanOrEqual(max);
    expect(chosen!.row.options[knob.key]).toBe(k);
    if (answer.capped) {
      // the count stops growing (LoKr past r = 32 here: a limit on that plateau fits every r): the search stops
      // at its cap, with no next value, and says whether the count still grew on the way there
      expect(next).toBeUndefined();
      expect(answer.plateau).toBe(countAt(f, LLAMA, options, knob.key, Math.floor(k / 2))!.trainable === chosen!.row.trainableParams);
      return;
    }
    const after = countAt(f, LLAMA, options, knob.key, k + 1);
    if (after) expect(after.trainable).toBeGreaterThan(max);
    expect(next?.value).toBe(k + 1);
  });

  test("a limit at the top of the range (the count at r = 300) is answered without error", () => {
    const answer = solveBudget({ inv: LLAMA, formula: f, options, knob, target: { kind: "trainable", max: hi } });
    expect(answer.chosen!.row.trainableParams).toBeLessThanOrEqual(hi);
  });

  test("below the smallest value's count nothing fits, and the smallest is named", () => {
    const r = solveBudget({ inv: LLAMA, formula: f, options, knob, target: { kind: "trainable", max: lo - 1 } });
    expect(r.chosen).toBeUndefined();
    expect(r.next?.value).toBe(knob.min);
  });
});

describe("random llama-like models", () => {
  const lora = findFormula("lora")! as Formula;
  test.prop([fc.oneof(...LLAMA_LIKE_TYPES.map(llamaLikeConfig)), fc.integer({ min: 1, max: 64 }), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 40 })("LoRA all-linear", (cfg, rMax, share) => {
    const inv = buildInventory(cfg);
    const options = { target_modules: "all-linear" };
    const top = countAt(lora, inv, options, "r", rMax)!.trainable;
    const max = Math.floor(top * share);
    const { chosen } = solveBudget({ inv, formula: lora, options, knob: SIZE_KNOBS["lora"]!, target: { kind: "trainable", max } });
    if (countAt(lora, inv, options, "r", 1)!.trainable > max) expect(chosen).toBeUndefined();
    else {
      const k = chosen!.value;
      expect(countAt(lora, inv, options, "r", k)!.trainable).toBeLessThanOrEqual(max);
      expect(countAt(lora, inv, options, "r", k + 1)!.trainable).toBeGreaterThan(max);
    }
  });
});

describe("--percent: the value closest to a share of the model (PEFT's trainable%)", () => {
  const lora = findFormula("lora")! as Formula;
  const pct = (c: { trainable: number; all: number }) => (100 * c.trainable) / c.all;
  test.prop([fc.integer({ min: 1, max: 300 }).map((n) => n / 100)], { numRuns: 25 })("LoRA q,v on llama-3.2-1b", (p) => {
    const options = { target_modules: ["q_proj", "v_proj"] };
    const target: BudgetTarget = { kind: "percent", percent: { num: BigInt(Math.round(p * 100)), den: 100n } };
    const { chosen } = solveBudget({ inv: LLAMA, formula: lora, options, knob: SIZE_KNOBS["lora"]!, target });
    const k = chosen!.value;
    const d = (v: number) => Math.abs(pct(countAt(lora, LLAMA, options, "r", v)!) - p);
    expect(d(k)).toBeLessThanOrEqual(d(k + 1) + 1e-12);
    if (k > 1) expect(d(k)).toBeLessThanOrEqual(d(k - 1) + 1e-12);
  });
});

describe("--max-adapter-size: exact to the byte", () => {
  const lora = findFormula("lora")! as Formula;
  const bytesAt = (r: number) => {
    const row = buildRow(LLAMA, { formula: lora, options: { target_modules: "all-linear", r } });
    return rowAdapterSize(LLAMA, lora, row, "bf16").bytes;
  };
  test.prop([fc.integer({ min: bytesAt(1), max: bytesAt(200) })], { numRuns: 20 })("LoRA all-linear, bf16", (maxBytes) => {
    const { chosen } = solveBudget({ inv: LLAMA, formula: lora, options: { target_modules: "all-linear" }, knob: SIZE_KNOBS["lora"]!, target: { kind: "adapter-size", maxBytes }, dtype: "bf16" });
    const k = chosen!.value;
    expect(chosen!.size!.bytes).toBe(bytesAt(k));
    expect(bytesAt(k)).toBeLessThanOrEqual(maxBytes);
    expect(bytesAt(k + 1)).toBeGreaterThan(maxBytes);
  });
});

describe("monotonicity is verified, not assumed", () => {
  test("a count that falls as the knob grows is refused", () => {
    // grows to r=4, then falls (as LoKr's count does once r stops decomposing w2)
    const metric = (v: number) => (v <= 4 ? 100 * v : 400 - v);
    const measure = (v: number) => ({ result: metric(v), metric: metric(v) });
    expect(() => searchLargest({ knob: "r", min: 1, max: 64, measure, fits: (x) => x <= 450 })).toThrow("the count falls as r grows (r=4: 400, r=8: 392)");
  });
  test("a value that fits after one that does not is refused", () => {
    const counts = [0, 10, 20, 30, 5, 50, 60, 70, 80];
    const measure = (v: number) => ({ result: counts[v] ?? 1000, metric: counts[v] ?? 1000 });
    expect(() => searchLargest({ knob: "r", min: 1, max: 8, measure, fits: (x) => x <= 25 })).toThrow(InputError);
  });
  test("the search stops at max when everything fits", () => {
    const r = searchLargest({ knob: "r", min: 1, max: 100, measure: (v) => ({ result: v, metric: v }), fits: () => true });
    expect(r).toMatchObject({ capped: true, plateau: false, next: undefined });
    expect(r.best?.value).toBe(100);
  });
});

describe("searchLargest when nothing fits at the minimum", () => {
  test.prop([fc.integer({ min: 1, max: 50 }), fc.integer({ min: 2, max: 1000 })])("a metric falling right after the minimum is NOT_MONOTONE, a growing one is 'nothing fits'", (min, limit) => {
    const falling = { knob: "k", min, max: 10_000, measure: (v: number) => ({ result: v, metric: (limit + 1) * 1000 - v }), fits: (v: number) => (limit + 1) * 1000 - v <= limit };
    expect(() => searchLargest(falling)).toThrow(/the count falls as k grows/);
    const growing = { ...falling, measure: (v: number) => ({ result: v, metric: limit + v }), fits: (v: number) => limit + v <= limit };
    const r = searchLargest(growing);
    expect(r.best).toBeUndefined();
    expect(r.next).toMatchObject({ value: min });
  });
});
