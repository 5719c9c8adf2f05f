/**
 * Counting by module classes (src/peft/plan.ts) against counting module by module: for random small models,
 * targets, modules_to_save, biases and per-module functions (shape-only, name-dependent, with frozen
 * tensors, refusing some shapes), settle gives the same breakdown — parts in the same order with the same
 * counts, module numbers and kinds, the same allParams and active counts — and the same first refusal.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { EmbeddingModule, LinearModule, ParamModule } from "../../src/model/types.js";
import { settle, type AddedParam } from "../../src/peft/apply.js";
import { moduleTree } from "../../src/peft/modules.js";
import { groupedTensors, moduleClasses, type AddTensor } from "../../src/peft/plan.js";
import { findTargets } from "../../src/peft/targets.js";
import { anyConfig, llamaLikeConfig } from "../model/arbitraries.js";

type PerModule = (m: ParamModule, add: AddTensor) => void;
const lin = (m: ParamModule): LinearModule | undefined => (m.kind === "linear" || m.kind === "conv1d" ? m : undefined);
const emb = (m: ParamModule): EmbeddingModule | undefined => (m.kind === "embedding" ? m : undefined);
const PER_MODULE: Record<string, (r: number) => PerModule> = {
  shapes: (r) => (m, add) => {
    add("A", r * (lin(m)?.inFeatures ?? emb(m)?.numEmbeddings ?? 1));
    add("B", r * (lin(m)?.outFeatures ?? emb(m)?.embeddingDim ?? 1));
    if (m.kind === "linear" && m.params.some((p) => p.name === "bias")) add("bias_B", m.outFeatures);
  },
  named: (r) => (m, add) => {
    add("A", (/\.0\./.test(m.name) ? 2 * r : r) * (lin(m)?.inFeatures ?? 1));
    if (m.name.endsWith("proj")) add("P", r);
  },
  frozen: (r) => (m, add) => {
    add("ranknum", 1, false);
    add("E", r);
    add("B", r * (lin(m)?.outFeatures ?? 1));
  },
  refusing: (r) => (m, add) => {
    if ((lin(m)?.outFeatures ?? 0) % (r + 1) === 0) throw new InputError("OPTION_OUT_OF_RANGE", `width ${lin(m)?.outFeatures} of ${m.name}`, "");
    add("A", r);
  },
};

const model = fc.oneof(anyConfig, llamaLikeConfig("mixtral")).map((cfg) => {
  const inv = buildInventory(cfg);
  return { inv, names: [...new Set(inv.modules.map((m) => m.name.split(".").pop()!))] };
});
const scenario = model.chain((m) =>
  fc.record({
    m: fc.constant(m),
    targets: fc.oneof(fc.constant("all-linear" as const), fc.subarray(m.names, { minLength: 1, maxLength: 4 })),
    saved: fc.option(fc.subarray([...m.names, "norm"], { minLength: 1, maxLength: 2 }), { nil: null }),
    bias: fc.constantFrom("none", "all", "lora_only"),
    kind: fc.constantFrom(...Object.keys(PER_MODULE)),
    r: fc.integer({ min: 1, max: 5 }),
  }),
);

function run(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    if (e instanceof InputError) return { err: `${e.code}: ${e.message}` };
    throw e;
  }
}

describe("counting by module classes", () => {
  test.prop([scenario], { numRuns: 150 })("equals counting module by module", ({ m, targets, saved, bias, kind, r }) => {
    const { inv } = m;
    const tree = moduleTree(inv.modules);
    const cfg = { target_modules: targets, exclude_modules: null, layers_to_transform: null, layers_pattern: null, modules_to_save: saved, task_type: null };
    let wrapped: ParamModule[];
    try {
      wrapped = findTargets(inv, tree, cfg, "test", ["linear", "conv1d", "embedding"]);
    } catch {
      return;
    }
    const perModule = PER_MODULE[kind]!(r);
    const common = { inv, tree, wrapped, bias, modulesToSave: saved, trainableTokenIndices: null };
    const byModule = run(() => {
      const added: AddedParam[] = [];
      const frozenAdded: AddedParam[] = [];
      for (const w of wrapped) perModule(w, (param, count, trainable = true) => (trainable ? added : frozenAdded).push({ module: w.name, param, count }));
      return settle({ ...common, added, frozenAdded });
    });
    const byClass = run(() => settle({ ...common, added: [], grouped: groupedTensors(moduleClasses(inv, tree, wrapped), perModule) }));
    expect(byClass).toEqual(byModule);
  }, 120_000);
});
