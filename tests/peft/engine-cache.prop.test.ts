/**
 * The engine keeps per inventory what every evaluation needs (module tree, prefix index, group and part
 * names, totals: src/peft/modules.ts), targeting plans per set of targeting keys (src/peft/targets.ts) and
 * modules_to_save paths (src/peft/apply.ts). Property: caching never changes an answer. For random small
 * models, methods and options, an evaluation on a warm inventory (after other evaluations warmed its
 * caches, the same options twice) gives exactly the breakdown — parts, order, warnings — or the refusal of
 * an evaluation on a fresh inventory built from the same config, and cached results are frozen.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { findFormula } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Inventory } from "../../src/model/types.js";
import { moduleTree } from "../../src/peft/modules.js";
import { findTargets } from "../../src/peft/targets.js";
import { anyConfig } from "../model/arbitraries.js";

const METHODS = ["lora", "loha", "lokr", "vera", "ia3", "oft", "adalora", "ln-tuning", "fourierft", "boft"] as const;

type Outcome = { ok: unknown } | { err: string };
function outcome(inv: Inventory, method: string, raw: Record<string, unknown>): Outcome {
  try {
    return { ok: evaluate(findFormula(method as never)!, inv, raw).breakdown };
  } catch (e) {
    if (e instanceof InputError) return { err: `${e.code}: ${e.message}` };
    throw e;
  }
}

const last = (name: string) => name.split(".").pop()!;
const model = anyConfig.map((cfg) => {
  const inv = buildInventory(cfg);
  return { cfg, names: [...new Set(inv.modules.map((m) => last(m.name)))] };
});
const options = (names: string[]) =>
  fc.record({
    r: fc.integer({ min: 1, max: 8 }),
    target_modules: fc.oneof(fc.constant(null), fc.constant("all-linear"), fc.constant(".*\\.(q|v)_proj"), fc.subarray(names, { minLength: 1, maxLength: 3 })),
    exclude_modules: fc.option(fc.subarray(names, { minLength: 1, maxLength: 1 }), { nil: null }),
    modules_to_save: fc.option(fc.subarray([...names, "norm"], { minLength: 1, maxLength: 2 }), { nil: null }),
    layers_to_transform: fc.option(fc.subarray([0, 1, 2], { minLength: 1 }), { nil: null }),
    bias: fc.constantFrom("none", "all"),
    task_type: fc.constantFrom(null, "CAUSAL_LM", "SEQ_CLS"),
  });
const scenario = model.chain((m) => fc.record({ m: fc.constant(m), method: fc.constantFrom(...METHODS), first: options(m.names), second: options(m.names) }));

describe("engine caches", () => {
  test.prop([scenario], { numRuns: 80 })("warm and cold inventories give identical breakdowns and refusals", ({ m, method, first, second }) => {
    const warm = buildInventory(m.cfg);
    const a1 = outcome(warm, method, first);
    const b1 = outcome(warm, method, second);
    const a2 = outcome(warm, method, first);
    const b2 = outcome(warm, method, { ...second, r: first.r });
    expect(a2).toEqual(a1);
    expect(outcome(buildInventory(m.cfg), method, first)).toEqual(a1);
    expect(outcome(buildInventory(m.cfg), method, second)).toEqual(b1);
    expect(outcome(buildInventory(m.cfg), method, { ...second, r: first.r })).toEqual(b2);
  }, 120_000);

  test.prop([model], { numRuns: 50 })("one tree per inventory, frozen; plans frozen and replayed with their warnings", ({ cfg }) => {
    const inv = buildInventory(cfg);
    const tree = moduleTree(inv.modules);
    expect(moduleTree(inv.modules)).toBe(tree);
    expect(Object.isFrozen(tree) && Object.isFrozen(tree.names)).toBe(true);
    const cfgT = { target_modules: "all-linear", exclude_modules: ["nothing_here"], layers_to_transform: null, layers_pattern: null, modules_to_save: null, task_type: null } as const;
    const w1: string[] = [];
    const w2: string[] = [];
    let first;
    try {
      first = findTargets(inv, tree, cfgT, "lora", ["linear", "conv1d"], w1);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return;
    }
    const again = findTargets(inv, tree, cfgT, "lora", ["linear", "conv1d"], w2);
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(w2).toEqual(w1);
    expect(w1.length).toBeGreaterThan(0);
  }, 60_000);
});
