/**
 * LoRA's rank_pattern counted per (module class × first matching key) (formulas/peft/lora.ts rankLabels) against
 * the rule applied module by module: each targeted Linear gets the value of the first key that matches its full
 * name as PEFT's `re.match(rf"(.*\.)?({key})$", name)`, else r, and trains r_m · (d_in + d_out). Dense and MoE
 * (per-expert) models; plain keys, index regexes and keys that match nothing.
 */
import { expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { lora } from "../../formulas/peft/lora.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { featuresOf } from "../../src/model/types.js";
import { llamaLikeConfig } from "../model/arbitraries.js";

const LINEAR = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "w1", "w2", "w3"];
const KEYS = ["q_proj", "down_proj", "w2", ".*\\.0\\..*", "layers\\.1\\..*_proj", "experts\\.1\\.w1", "nothing"];

const scenario = fc.record({
  cfg: fc.oneof(llamaLikeConfig("llama"), llamaLikeConfig("mixtral")),
  targets: fc.subarray(LINEAR, { minLength: 1 }),
  pattern: fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: 1, max: 9 }), { maxKeys: 3 }),
  r: fc.integer({ min: 1, max: 9 }),
});

test.prop([scenario], { numRuns: 150 })("rank_pattern by label equals the rule module by module", ({ cfg, targets, pattern, r }) => {
  const inv = buildInventory(cfg, { expertLayout: "per-expert" });
  const wrapped = inv.modules.filter((m) => targets.includes(m.name.split(".").pop()!));
  if (wrapped.length === 0) return;
  const rankOf = (name: string) => {
    for (const [key, v] of Object.entries(pattern)) if (new RegExp(`^(?:(.*\\.)?(${key})$)`).test(name)) return v;
    return r;
  };
  const expected = wrapped.reduce((s, m) => s + rankOf(m.name) * (featuresOf(m).inFeatures + featuresOf(m).outFeatures), 0);
  const b = evaluate(lora, inv, { r, target_modules: targets, rank_pattern: pattern }).breakdown;
  expect(b.trainable).toBe(expected);
  expect(b.parts.reduce((s, p) => s + p.modules, 0)).toBe(2 * wrapped.length);
});
