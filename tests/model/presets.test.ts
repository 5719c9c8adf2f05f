/**
 * Every preset reproduces its published parameter count (the checkpoint's tensors, i.e. what transformers
 * 4.43 instantiates), for the head that count refers to; transformers 5 builds the same total except for
 * the untied T5 v1.1 / mT5 checkpoints, whose LM head it ties (tests/model/presets-t5.test.ts).
 */
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { MODEL_PRESETS } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";

describe("presets", () => {
  test("there are at least 30, with unique ids and aliases", () => {
    expect(MODEL_PRESETS.length).toBeGreaterThanOrEqual(30);
    const names = MODEL_PRESETS.flatMap((p) => [p.id, ...p.aliases.map((a) => a.toLowerCase()).filter((a) => a !== p.id)]);
    expect(new Set(names).size).toBe(names.length);
  });

  // model types transformers 4.43 did not have (Mamba-2, the newer MoE families) are checked on transformers 5 only
  const in443 = MODEL_PRESETS.filter((p) => {
    try {
      buildInventory(p.config, { task: p.publishedTask, transformers: [4, 43, 3] });
      return true;
    } catch (e) {
      if (e instanceof InputError && e.code === "UNSUPPORTED_MODEL_TYPE") return false;
      throw e;
    }
  });
  test.each(in443.map((p) => [p.id, p] as const))("%s", (_id, p) => {
    const inv = buildInventory(p.config, { task: p.publishedTask, transformers: [4, 43, 3] });
    expect(totalParams(inv.modules)).toBe(p.publishedParams);
    expect(p.source.length).toBeGreaterThan(10);
  });

  const untiedByV5 = new Set(["flan-t5-base", "flan-t5-large", "flan-t5-xl", "mt5-base"]);
  test.each(MODEL_PRESETS.filter((p) => !untiedByV5.has(p.id)).map((p) => [p.id, p] as const))("%s: same total in transformers 5", (_id, p) => {
    const inv = buildInventory(p.config, { task: p.publishedTask, transformers: [5, 18, 0] });
    expect(totalParams(inv.modules)).toBe(p.publishedParams);
  });
});
