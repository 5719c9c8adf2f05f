/**
 * Property tests of the LoRA family's relatives (AdaLoRA, LoHa, LoKr, DeLoRA, GraLoRA, HiRA, GLoRA) on random
 * small models (tests/model/arbitraries.ts): exact safe integers, Σ parts = trainable, allParams bookkeeping,
 * monotone (or linear) in the size knob, monotone in target_modules, linear in the layer count, targets that
 * match nothing are errors, idempotent option echoing, and how each relates to LoRA on the same targets.
 * Invariants only: no formula is recomputed here.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { adalora } from "../../formulas/peft/adalora.js";
import { delora } from "../../formulas/peft/delora.js";
import { glora } from "../../formulas/peft/glora.js";
import { gralora } from "../../formulas/peft/gralora.js";
import { hira } from "../../formulas/peft/hira.js";
import { loha } from "../../formulas/peft/loha.js";
import { lokr } from "../../formulas/peft/lokr.js";
import { lora } from "../../formulas/peft/lora.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams, type Inventory, type ParamModule } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { anyConfig, PER_LAYER_TARGETS, withLayers } from "../model/arbitraries.js";

const RUNS = { numRuns: 60 };
const last = (name: string) => name.split(".").pop()!;
const rank = fc.integer({ min: 1, max: 12 });

/** What each method can wrap, and the option that sets its size. */
const METHODS = [
  { f: adalora, knob: "init_r", wraps: (m: ParamModule) => m.kind === "linear" || m.kind === "conv1d", extra: { total_step: 100 } },
  { f: loha, knob: "r", wraps: (m: ParamModule) => m.kind === "linear", extra: {} },
  { f: lokr, knob: "r", wraps: (m: ParamModule) => m.kind === "linear", extra: {} },
  { f: delora, knob: "r", wraps: (m: ParamModule) => m.kind === "linear", extra: {} },
  { f: gralora, knob: "r", wraps: (m: ParamModule) => m.kind === "linear" || m.kind === "conv1d", extra: { gralora_k: 1 } },
  { f: hira, knob: "r", wraps: (m: ParamModule) => m.kind === "linear" || m.kind === "conv1d" || m.kind === "embedding", extra: {} },
  { f: glora, knob: "r", wraps: (m: ParamModule) => m.kind === "linear" && m.className === "Linear", extra: {} },
] as const;
type Method = (typeof METHODS)[number];

/** Last names every module of which the method can wrap (a name shared with another kind is left out). */
function wrappableNames(inv: Inventory, method: Method): string[] {
  const ok = new Map<string, boolean>();
  for (const m of inv.modules) ok.set(last(m.name), (ok.get(last(m.name)) ?? true) && method.wraps(m));
  return [...ok].filter(([, v]) => v).map(([k]) => k);
}

const count = (method: Method, inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(method.f as Formula, inv, { ...method.extra, ...raw }).breakdown;

const caseOf = fc
  .record({ cfg: anyConfig, method: fc.constantFrom(...METHODS) })
  .map(({ cfg, method }) => {
    const inv = buildInventory(cfg);
    return { inv, method, names: wrappableNames(inv, method) };
  })
  .filter((c) => c.names.length > 0)
  .chain((c) => fc.record({ c: fc.constant(c), targets: fc.subarray(c.names, { minLength: 1 }), extra: fc.constantFrom(...c.names), r: rank }));

describe("every method on random models", () => {
  test.prop([caseOf], RUNS)("safe integers, Σ parts = trainable, allParams = base + everything added, echoed options count the same", ({ c, targets, r }) => {
    const raw = { [c.method.knob]: r, target_modules: targets };
    const b = count(c.method, c.inv, raw);
    const base = totalParams(c.inv.modules);
    for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
    expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
    // no modules_to_save, no bias: everything the adapter adds exists as a parameter, and only that trains
    expect(b.allParams).toBeGreaterThanOrEqual(base + b.trainable);
    const echoed = evaluate(c.method.f as Formula, c.inv, { ...c.method.extra, ...raw }).options as Record<string, unknown>;
    expect(c.method.f.schema.parse(echoed)).toEqual(echoed);
    expect(count(c.method, c.inv, JSON.parse(JSON.stringify(echoed)) as Record<string, unknown>)).toEqual(b);
  });

  test.prop([caseOf], RUNS)("adding a target module never decreases the count", ({ c, targets, extra, r }) => {
    const one = count(c.method, c.inv, { [c.method.knob]: r, target_modules: targets });
    const more = count(c.method, c.inv, { [c.method.knob]: r, target_modules: [...new Set([...targets, extra])] });
    expect(more.trainable).toBeGreaterThanOrEqual(one.trainable);
    expect(more.allParams).toBeGreaterThanOrEqual(one.allParams);
  });

  test.prop([caseOf], RUNS)("the size knob: monotone for all but LoKr; LoKr stops growing once every factor is full", ({ c, targets, r }) => {
    const at = (k: number) => count(c.method, c.inv, { [c.method.knob]: k, target_modules: targets }).trainable;
    if (c.method.f !== lokr) {
      expect(at(r + 1)).toBeGreaterThanOrEqual(at(r));
      return;
    }
    // r ≥ max(b, d)/2 for every module: both Kronecker factors are full matrices, independent of r
    const widest = Math.max(...c.inv.modules.flatMap((m) => (m.kind === "linear" || m.kind === "conv1d" ? [m.inFeatures, m.outFeatures] : [0, 0])));
    expect(at(widest + r)).toBe(at(widest));
  });

  test.prop([caseOf], RUNS)("a target that matches nothing is an error, never 0", ({ c, r }) => {
    for (const target_modules of [["no_such_module_xyz"], "^no_such_module_xyz$"]) {
      const e = (() => {
        try {
          count(c.method, c.inv, { [c.method.knob]: r, target_modules });
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(InputError);
    }
  });
});

describe("against LoRA on the same targets (r the same, Linear / Conv1D / Embedding as each allows)", () => {
  const loraOf = (inv: Inventory, r: number, targets: readonly string[]) => evaluate(lora, inv, { r, target_modules: targets }).breakdown;
  const modulesOf = (inv: Inventory, targets: readonly string[]) => inv.modules.filter((m) => targets.includes(last(m.name))).length;

  test.prop([caseOf], RUNS)("HiRA = LoRA; GraLoRA (k = 1) = LoRA; LoHa = 2·LoRA; DeLoRA = LoRA + one λ per module; AdaLoRA = LoRA + (r + 1) per module (peft 0.21)", ({ c, targets, r }) => {
    const base = loraOf(c.inv, r, targets).trainable;
    const mine = count(c.method, c.inv, { [c.method.knob]: r, target_modules: targets }).trainable;
    const n = modulesOf(c.inv, targets);
    if (c.method.f === hira || c.method.f === gralora) expect(mine).toBe(base);
    if (c.method.f === loha) expect(mine).toBe(2 * base);
    if (c.method.f === delora) expect(mine).toBe(base + n);
    if (c.method.f === adalora) expect(mine).toBe(base + (r + 1) * n);
  });

  test.prop([caseOf.filter(({ c }) => c.method.f === adalora)], RUNS)("AdaLoRA's ranknum: trainable from peft 0.21 only; allParams the same in both", ({ c, targets, r }) => {
    const raw = { init_r: r, total_step: 100, target_modules: targets };
    const v = (peft: string) => ({ peft: parseVersion(peft, "peft"), transformers: parseVersion("5.18.0", "transformers") });
    const old = evaluate(adalora, c.inv, raw, v("0.20.0")).breakdown;
    const now = evaluate(adalora, c.inv, raw, v("0.21.0")).breakdown;
    expect(now.trainable - old.trainable).toBe(modulesOf(c.inv, targets));
    expect(now.allParams).toBe(old.allParams);
  });
});

describe("layers", () => {
  const perLayer = fc
    .record({ cfg: anyConfig, method: fc.constantFrom(...METHODS), r: rank, layers: fc.integer({ min: 1, max: 8 }) })
    .map((x) => ({ ...x, names: PER_LAYER_TARGETS[x.cfg.model_type]!.filter((n) => wrappableNames(buildInventory(x.cfg), x.method).includes(n)) }))
    .filter((x) => x.names.length > 0)
    .chain((x) => fc.record({ x: fc.constant(x), targets: fc.subarray(x.names, { minLength: 1 }) }));

  test.prop([perLayer], RUNS)("on per-layer targets every method is linear in num_hidden_layers", ({ x, targets }) => {
    const at = (n: number) => count(x.method, buildInventory(withLayers(x.cfg, n)), { [x.method.knob]: x.r, target_modules: targets }).trainable;
    const one = at(1);
    expect(one).toBeGreaterThan(0);
    expect(at(x.layers)).toBe(x.layers * one);
  });
});
