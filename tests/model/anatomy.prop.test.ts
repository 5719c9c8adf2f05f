/**
 * Property test of the declared anatomy: random valid configs (llama, mistral, qwen2, gemma, phi3, gpt2, bert,
 * t5; any head; GQA; 1..8 layers) in both transformers eras have an anatomy consistent with their inventory
 * (tests/model/anatomy-check.ts), inspect's category totals sum to the base parameters, and one more layer
 * adds one more LayerAnatomy to every stack.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { tasksOf } from "../../src/model/family.js";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { buildInspectReport } from "../../src/report/inspect.js";
import type { Version } from "../../src/versions.js";
import { anatomyProblems } from "./anatomy-check.js";
import { anyConfig, withLayers } from "./arbitraries.js";

const RUNS = { numRuns: 60 };
const era = fc.constantFrom<Version>([4, 43, 3], [5, 18, 0]);
const case_ = fc
  .tuple(anyConfig, era)
  .chain(([cfg, transformers]) => fc.record({ cfg: fc.constant(cfg), transformers: fc.constant(transformers), task: fc.constantFrom(...tasksOf(familyOf(cfg.model_type)!, cfg.model_type, transformers)) }));

describe("random valid configs declare a consistent anatomy", () => {
  test.prop([case_], RUNS)("paths, widths, layers, norms and categories agree with the inventory", ({ cfg, task, transformers }) => {
    const inv = buildInventory(cfg, { task, transformers });
    expect(anatomyProblems(inv)).toEqual([]);
    const r = buildInspectReport({ id: "random", source: "property" }, inv);
    expect(Object.values(r.categories).reduce((a, b) => a + b, 0)).toBe(totalParams(inv.modules));
    expect(r.categories.other).toBe(0);
  });

  test.prop([case_, fc.integer({ min: 1, max: 4 })], RUNS)("n layers → n LayerAnatomy entries per stack", ({ cfg, task, transformers }, n) => {
    const inv = buildInventory(withLayers(cfg, n), { task, transformers });
    for (const s of inv.anatomy!.stacks) expect(s.layers.length).toBe(n);
  });
});
