/**
 * T5 / flan-t5 / mT5 presets reproduce their published totals (the natural SEQ_2_SEQ_LM class),
 * are found by their Hugging Face repo ids, and where transformers' own instantiation is recorded
 * (tests/golden/inventories.json) carry exactly that config.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { T5_PRESETS } from "../../src/model/presets/t5.js";
import { totalParams } from "../../src/model/types.js";

const PRESETS = T5_PRESETS;
const inventories = JSON.parse(readFileSync(new URL("../golden/inventories.json", import.meta.url), "utf8")) as Record<
  string,
  { model: Record<string, unknown>; total_params: number }
>;

describe("t5 presets", () => {
  test("the expected ids are all there", () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      "t5-small",
      "t5-base",
      "t5-large",
      "flan-t5-base",
      "flan-t5-large",
      "flan-t5-xl",
      "mt5-base",
    ]);
  });

  test.each(PRESETS.map((p) => [p.id, p] as const))("%s: SEQ_2_SEQ_LM total = publishedParams (transformers 4.43)", (_id, p) => {
    const inv = buildInventory(p.config, { transformers: [4, 43, 3] });
    expect(inv.task).toBe("SEQ_2_SEQ_LM");
    expect(totalParams(inv.modules)).toBe(p.publishedParams);
  });

  // oracle inventory, transformers 5.18.0 (tests/golden/inventories-5.json; flan-t5-xl: oracle inventory of this preset's config)
  test.each([
    ["t5-small", 60_506_624],
    ["t5-base", 222_903_552],
    ["flan-t5-base", 222_903_552],
    ["flan-t5-large", 750_251_008],
    ["flan-t5-xl", 2_783_959_040],
    ["mt5-base", 390_315_264],
  ] as const)("%s: transformers 5 ties the LM head: %d", (id, n) => {
    const p = findPreset(id)!;
    const inv = buildInventory(p.config, { transformers: [5, 18, 0] });
    expect(totalParams(inv.modules)).toBe(n);
    if (p.publishedParams !== n) expect(p.note).toContain(n.toLocaleString("en-US"));
  });

  test.each(["t5-small", "t5-base", "flan-t5-base", "flan-t5-large"])("%s: config and total are transformers' recorded ones", (id) => {
    const p = findPreset(id)!;
    expect(p.config).toEqual(inventories[id]!.model);
    expect(Object.keys(p.config)).toEqual(Object.keys(inventories[id]!.model));
    expect(p.publishedParams).toBe(inventories[id]!.total_params);
  });

  test.each([
    ["google-t5/t5-small", "t5-small"],
    ["google-t5/t5-base", "t5-base"],
    ["google-t5/t5-large", "t5-large"],
    ["google/flan-t5-base", "flan-t5-base"],
    ["Google/Flan-T5-Large", "flan-t5-large"],
    ["google/flan-t5-xl", "flan-t5-xl"],
    ["google/mt5-base", "mt5-base"],
  ])("alias %s finds %s", (alias, id) => {
    expect(findPreset(alias)?.id).toBe(id);
  });

  test("tied v1.0 vs untied flan-t5 / mT5 heads (transformers 4.43); all tied in transformers 5", () => {
    const tied = (id: string, transformers: readonly [number, number, number]) => buildInventory(findPreset(id)!.config, { transformers }).dims.tieWordEmbeddings;
    expect(["t5-small", "t5-base", "t5-large"].map((id) => tied(id, [4, 43, 3]))).toEqual([true, true, true]);
    expect(["flan-t5-base", "flan-t5-large", "flan-t5-xl", "mt5-base"].map((id) => tied(id, [4, 43, 3]))).toEqual([false, false, false, false]);
    expect(PRESETS.map((p) => tied(p.id, [5, 18, 0]))).toEqual(PRESETS.map(() => true));
  });
});
