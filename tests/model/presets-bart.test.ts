/** BART presets reproduce their published totals and are found by their Hugging Face repo ids. */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { BART_PRESETS } from "../../src/model/presets/bart.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";

describe("bart presets", () => {
  test("the expected ids are all there", () => {
    expect(BART_PRESETS.map((p) => p.id)).toEqual(["bart-base", "bart-large"]);
  });

  test.each(BART_PRESETS.map((p) => [p.id, p] as const))("%s: BartForConditionalGeneration and BartModel = publishedParams", (_id, p) => {
    const lm = buildInventory(p.config);
    expect(lm.modelClass).toBe("BartForConditionalGeneration");
    expect(totalParams(lm.modules)).toBe(p.publishedParams);
    // lm_head is tied and final_logits_bias is a buffer: the bare model has the same count
    expect(totalParams(buildInventory(p.config, { task: "FEATURE_EXTRACTION" }).modules)).toBe(p.publishedParams);
  });

  test.each([
    ["facebook/bart-base", "bart-base"],
    ["Facebook/BART-large", "bart-large"],
  ])("alias %s finds %s", (alias, id) => {
    expect(findPreset(alias)?.id).toBe(id);
  });

  test("the published configs classify into 3 labels (id2label)", () => {
    const inv = buildInventory(findPreset("bart-large")!.config, { task: "SEQ_CLS" });
    expect(totalParams(inv.modules)).toBe(406_291_456 + (1024 * 1024 + 1024) + (1024 * 3 + 3));
  });

  test("keras-hub's counts differ only by the 2 offset position rows per stack", () => {
    // bart_base_en 139,417,344 and bart_large_en 406,287,360 (1024 position rows, not 1026)
    expect(findPreset("bart-base")!.publishedParams - 139_417_344).toBe(2 * 2 * 768);
    expect(findPreset("bart-large")!.publishedParams - 406_287_360).toBe(2 * 2 * 1024);
  });
});
