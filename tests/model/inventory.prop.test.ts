/**
 * Property tests of the model inventory: random valid configs (llama, mistral, qwen2, gemma, phi3, gpt2,
 * bert, t5; any head the family has; GQA; 1..8 layers) build without throwing, every parameter's shape
 * agrees with the module's declared features, ties point at a real tensor of the same shape, and the
 * total is exact, equals full fine-tuning and grows by the same amount with every added layer.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { countFullParams } from "../../formulas/full.js";
import { tasksOf } from "../../src/model/family.js";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { moduleParams, numel, totalParams, type Inventory } from "../../src/model/types.js";
import { anyConfig, withLayers, type RawCfg } from "./arbitraries.js";

const RUNS = { numRuns: 100 };

/** A config together with one of the heads its family declares. */
const configAndTask = anyConfig.chain((cfg) => fc.record({ cfg: fc.constant(cfg), task: fc.constantFrom(...tasksOf(familyOf(cfg.model_type)!, cfg.model_type)) }));

const build = (cfg: RawCfg, task?: Task): Inventory => buildInventory(cfg, { task });

describe("random valid configs", () => {
  test.prop([configAndTask], RUNS)("build for every head of the family, with exact safe totals", ({ cfg, task }) => {
    const inv = build(cfg, task);
    expect(inv.task).toBe(task);
    expect(inv.modelType).toBe(cfg.model_type);
    const total = totalParams(inv.modules);
    expect(Number.isSafeInteger(total) && total > 0).toBe(true);
    // total = Σ own parameters of every module minus the tensors that are another's (tied ones)
    let sum = 0;
    let tied = 0;
    for (const m of inv.modules) {
      sum += moduleParams(m);
      for (const p of m.params) if (p.tiedTo !== undefined) tied += numel(p.shape);
    }
    expect(total).toBe(sum - tied);
    // full fine-tuning counts the same model independently, by module kind
    const full = countFullParams(inv);
    expect(full.trainable).toBe(total);
    expect(full.parts.reduce((s, p) => s + p.count, 0)).toBe(total);
  });

  test.prop([configAndTask], RUNS)("module names are unique and shapes match the declared features", ({ cfg, task }) => {
    const inv = build(cfg, task);
    const names = inv.modules.flatMap((m) => [m.name, ...(m.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const m of inv.modules) {
      const w = m.params.find((p) => p.name === "weight");
      const b = m.params.find((p) => p.name === "bias");
      if (m.kind === "linear") {
        expect(w?.shape).toEqual([m.outFeatures, m.inFeatures]);
        if (b) expect(b.shape).toEqual([m.outFeatures]);
      } else if (m.kind === "conv1d") {
        expect(w?.shape).toEqual([m.inFeatures, m.outFeatures]);
        expect(b?.shape).toEqual([m.outFeatures]);
      } else if (m.kind === "embedding") {
        expect(w?.shape).toEqual([m.numEmbeddings, m.embeddingDim]);
      }
      for (const p of m.params) for (const d of p.shape) expect(Number.isSafeInteger(d) && d > 0).toBe(true);
    }
  });

  test.prop([configAndTask], RUNS)("a tied parameter is another, untied parameter of the same shape", ({ cfg, task }) => {
    const inv = build(cfg, task);
    const owners = new Map<string, readonly number[]>(inv.modules.flatMap((m) => m.params.filter((p) => p.tiedTo === undefined).map((p) => [`${m.name}.${p.name}`, p.shape])));
    for (const m of inv.modules)
      for (const p of m.params) if (p.tiedTo !== undefined) expect(owners.get(p.tiedTo), `${m.name}.${p.name} → ${p.tiedTo}`).toEqual(p.shape);
  });

  test.prop([configAndTask], RUNS)("input / output embeddings name real modules of the inventory", ({ cfg, task }) => {
    const inv = build(cfg, task);
    const byName = new Map(inv.modules.flatMap((m) => [m.name, ...(m.aliases ?? [])].map((n) => [n, m] as const)));
    expect(byName.get(inv.inputEmbeddings)?.kind).toBe("embedding");
    if (inv.outputEmbeddings !== undefined) expect(byName.get(inv.outputEmbeddings)?.kind).toBe("linear");
    if (inv.layersPath !== undefined) expect(inv.modules.some((m) => m.name.startsWith(`${inv.layersPath}.0.`))).toBe(true);
  });
});

describe("layers", () => {
  test.prop([configAndTask, fc.integer({ min: 1, max: 8 })], RUNS)("the total is affine in the layer count (each layer adds the same)", ({ cfg, task }, n) => {
    const total = (l: number) => totalParams(build(withLayers(cfg, l), task).modules);
    const t1 = total(1);
    const perLayer = total(2) - t1;
    expect(perLayer).toBeGreaterThan(0);
    expect(total(n)).toBe(t1 + (n - 1) * perLayer);
  });

  test.prop([configAndTask], RUNS)("dims echo the config's layer count", ({ cfg, task }) => {
    const inv = build(cfg, task);
    const layers = (cfg["num_hidden_layers"] ?? cfg["n_layer"] ?? cfg["num_layers"]) as number;
    expect(inv.dims.numHiddenLayers).toBe(layers);
  });
});
