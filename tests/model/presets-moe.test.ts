/**
 * Built-in MoE presets: totals as transformers builds them (both expert layouts where transformers had both),
 * active parameters per token in both conventions, and the publisher's figures reproduced within their stated
 * rounding. Totals of the transformers-5 families: oracle inventory (peft 0.21.0 + transformers 5.18.0, meta
 * device) on each preset's config, e.g. `oracle inventory --model olmoe.json` → total_params 6919161856.
 */
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { activeParams, activeParamsWithoutEmbedding } from "../../src/model/active.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { MOE_PRESETS } from "../../src/model/presets/moe.js";
import type { PublishedMoe } from "../../src/model/presets/types.js";
import { totalParams } from "../../src/model/types.js";

/** [active with the input embedding, without it] */
const ACTIVE: Record<string, readonly [number, number]> = {
  "mixtral-8x7b": [12_879_925_248, 12_748_853_248],
  "mixtral-8x22b": [39_152_031_744, 38_955_423_744],
  "qwen1.5-moe-a2.7b": [2_689_173_504, 2_378_008_576],
  "qwen3-30b-a3b": [3_353_032_704, 3_041_867_776],
  "qwen3-235b-a22b": [22_190_763_520, 21_568_433_664],
  "deepseek-v2-lite": [2_661_150_208, 2_451_435_008],
  "deepseek-v2": [21_375_800_320, 20_851_512_320],
  "deepseek-v3": [37_552_282_624, 36_625_603_584],
  "olmoe-1b-7b": [1_282_017_280, 1_178_994_688],
  "gpt-oss-20b": [4_187_440_704, 3_608_307_264],
  "gpt-oss-120b": [5_711_982_912, 5_132_849_472],
  "llama-4-scout": [17_172_894_720, 16_138_408_960],
  "llama-4-maverick": [17_184_691_200, 16_150_205_440],
  dbrx: [36_469_708_800, 35_853_146_112],
  "jamba-v0.1": [12_110_311_296, 11_841_875_840],
  "phi-3.5-moe": [6_640_999_744, 6_509_665_600],
  "granite-3.1-3b-a800m": [882_874_368, 882_874_368],
};

/** A published figure reproduces `ours` within its stated rounding. */
function withinRounding(published: number, ours: number, m: PublishedMoe, rounding = m.rounding): boolean {
  if (rounding === "nearest") return Math.abs(ours - published) <= m.unit / 2;
  return ours >= published && ours < published + m.unit;
}

function layouts(config: Record<string, unknown>) {
  const out = [buildInventory(config, { expertLayout: "fused" })];
  try {
    out.push(buildInventory(config, { expertLayout: "per-expert", transformers: [4, 57, 0] }));
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // families transformers only ever built fused
  }
  return out;
}

describe("MoE presets", () => {
  test("the ids are exactly the promised ones", () => {
    expect(MOE_PRESETS.map((p) => p.id)).toEqual(Object.keys(ACTIVE));
  });

  test.each(MOE_PRESETS.map((p) => [p.id, p] as const))("%s: total and active per token, in every layout transformers built", (id, p) => {
    for (const inv of layouts(p.config)) {
      expect(totalParams(inv.modules)).toBe(p.publishedParams);
      expect([activeParams(inv), activeParamsWithoutEmbedding(inv)]).toEqual(ACTIVE[id]);
    }
  });

  test.each(MOE_PRESETS.map((p) => [p.id, p] as const))("%s: the publisher's figures, within their rounding, in the stated convention", (id, p) => {
    const m = p.moe!;
    expect(m.url).toMatch(/^https:\/\//);
    if (m.total !== undefined) expect(withinRounding(m.total, p.publishedParams, m)).toBe(true);
    const [withEmb, withoutEmb] = ACTIVE[id]!;
    expect(withinRounding(m.active, m.activeConvention === "with-embedding" ? withEmb : withoutEmb, m, m.activeRounding ?? m.rounding)).toBe(true);
    // the note quotes the active count of the published convention
    expect(p.note).toContain((m.activeConvention === "with-embedding" ? withEmb : withoutEmb).toLocaleString("en-US"));
  });

  test.each([
    ["mistralai/Mixtral-8x7B-Instruct-v0.1", "mixtral-8x7b"],
    ["mistralai/mixtral-8x22b-v0.1", "mixtral-8x22b"],
    ["Qwen/Qwen1.5-MoE-A2.7B-Chat", "qwen1.5-moe-a2.7b"],
    ["Qwen/Qwen3-30B-A3B", "qwen3-30b-a3b"],
    ["Qwen/Qwen3-235B-A22B", "qwen3-235b-a22b"],
    ["deepseek-ai/DeepSeek-V2-Lite-Chat", "deepseek-v2-lite"],
    ["deepseek-ai/DeepSeek-V3", "deepseek-v3"],
    ["allenai/OLMoE-1B-7B-0924", "olmoe-1b-7b"],
    ["openai/gpt-oss-20b", "gpt-oss-20b"],
    ["meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama-4-scout"],
    ["meta-llama/Llama-4-Maverick-17B-128E", "llama-4-maverick"],
    ["databricks/dbrx-instruct", "dbrx"],
    ["ai21labs/Jamba-v0.1", "jamba-v0.1"],
    ["microsoft/Phi-3.5-MoE-instruct", "phi-3.5-moe"],
    ["ibm-granite/granite-3.1-3b-a800m-instruct", "granite-3.1-3b-a800m"],
  ])("%s resolves to %s", (name, id) => {
    expect(findPreset(name)?.id).toBe(id);
  });

  test("DeepSeek-V3's MTP module is reported in a note, never in the total (685B checkpoint = 671B + MTP)", () => {
    const inv = buildInventory(findPreset("deepseek-v3")!.config);
    expect(totalParams(inv.modules)).toBe(671_026_404_352);
    const note = inv.notes!.find((n) => n.startsWith("multi-token prediction"))!;
    expect(note).toContain("11,610,067,968 parameters, plus 1,853,358,080");
    expect(671_026_404_352 + 11_610_067_968 + 1_853_358_080).toBeLessThan(685.5e9);
    // e_score_correction_bias is a buffer: the router holds its weight only
    const gate = inv.modules.find((m) => m.name === "model.layers.3.mlp.gate")!;
    expect(gate.params.map((q) => q.name)).toEqual(["weight"]);
  });
});
