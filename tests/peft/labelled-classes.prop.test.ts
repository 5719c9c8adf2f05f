/**
 * A name-dependent choice made outside perModule (tuner.ts `classify`, plan.ts `labelledClasses`: IA3's
 * feed-forward test) against the same choice made inside perModule, which counts module by module: for
 * random models (dense and MoE per-expert), targets, feed-forward rules, modules_to_save and biases, the
 * breakdowns are identical — parts in the same order, counts, module numbers, kinds, allParams, active counts.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { featuresOf, type ParamModule } from "../../src/model/types.js";
import { LORA_DEFAULT_TARGETS } from "../../src/peft/defaults.js";
import { wrapModules, type TunerOptions } from "../../src/peft/tuner.js";
import { DEFAULT_VERSIONS } from "../../src/versions.js";
import { anyConfig, llamaLikeConfig } from "../model/arbitraries.js";

const model = fc.oneof(
  anyConfig.map((cfg) => buildInventory(cfg)),
  llamaLikeConfig("mixtral").map((cfg) => buildInventory(cfg, { expertLayout: "per-expert" })),
);
const scenario = model.chain((inv) => {
  const names = [...new Set(inv.modules.map((m) => m.name.split(".").pop()!))];
  return fc.record({
    inv: fc.constant(inv),
    targets: fc.oneof(fc.constant("all-linear"), fc.subarray(names, { minLength: 1, maxLength: 4 })),
    ff: fc.subarray([...names, "proj", "0.mlp.down_proj", "experts.1.w2"], { maxLength: 3 }),
    saved: fc.option(fc.subarray([...names, "norm"], { minLength: 1, maxLength: 2 }), { nil: null }),
    bias: fc.constantFrom("none", "all"),
  });
});

function run(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    if (e instanceof InputError) return { err: `${e.code}: ${e.message}` };
    throw e;
  }
}

describe("labelled module classes", () => {
  test.prop([scenario], { numRuns: 150 })("equal the same choice made per module", ({ inv, targets, ff, saved, bias }) => {
    const o: TunerOptions = { target_modules: targets, modules_to_save: saved, bias };
    const isFf = (name: string) => ff.some((f) => name.endsWith(f));
    const size = (m: ParamModule, yes: boolean) => (yes ? featuresOf(m).inFeatures : featuresOf(m).outFeatures);
    const common = { method: "test", defaults: LORA_DEFAULT_TARGETS, wrappable: ["linear", "conv1d"] as const };
    const labelled = run(() =>
      wrapModules(inv, o, { ...common, classify: () => ({ key: JSON.stringify(ff), of: (n) => (isFf(n) ? "ff" : "") }), perModule: (m, add, _o, l) => add("v", size(m, l === "ff")) }, DEFAULT_VERSIONS),
    );
    const perModule = run(() => wrapModules(inv, o, { ...common, perModule: (m, add) => add("v", size(m, isFf(m.name))) }, DEFAULT_VERSIONS));
    expect(labelled).toEqual(perModule);
    // and again, from the caches
    expect(run(() => wrapModules(inv, o, { ...common, classify: () => ({ key: JSON.stringify(ff), of: (n) => (isFf(n) ? "ff" : "") }), perModule: (m, add, _o, l) => add("v", size(m, l === "ff")) }, DEFAULT_VERSIONS))).toEqual(perModule);
  }, 120_000);
});
