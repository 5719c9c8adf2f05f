/**
 * Property tests of the classic in-place methods (BitFit, selective fine-tuning) on random small models:
 * exact safe integers, Σ parts = trainable, nothing added (allParams = base), selecting every module is full
 * fine-tuning, monotone (and, on uniform decoders, linear) in last_layers.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { bitfit } from "../../formulas/classic/bitfit.js";
import { selective } from "../../formulas/classic/selective.js";
import { full } from "../../formulas/full.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { anyConfig, LLAMA_LIKE_TYPES, llamaLikeConfig } from "../model/arbitraries.js";

const RUNS = { numRuns: 100 };
const count = (f: Formula, inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(f, inv, raw).breakdown;

function sane(b: ParamBreakdown, inv: Inventory): void {
  for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
  expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
  expect(b.allParams).toBe(totalParams(inv.modules));
  expect(b.trainable).toBeLessThanOrEqual(b.allParams);
}

const layersOf = (inv: Inventory) => inv.dims.numHiddenLayers;

describe("bitfit", () => {
  test.prop([anyConfig, fc.boolean()], RUNS)("only parameters named bias, each tensor once; the head only adds", (cfg, trainHead) => {
    const inv = buildInventory(cfg);
    const b = count(bitfit, inv, { train_head: trainHead });
    sane(b, inv);
    const biases = new Map(inv.modules.flatMap((m) => m.params.filter((p) => p.name === "bias").map((p) => [p.tiedTo ?? `${m.name}.bias`, p.shape[0]!] as const)));
    if (!trainHead) expect(b.trainable).toBe([...biases.values()].reduce((s, n) => s + n, 0));
    expect(count(bitfit, inv, { train_head: true }).trainable).toBeGreaterThanOrEqual(count(bitfit, inv, { train_head: false }).trainable);
  });
});

describe("selective", () => {
  test.prop([anyConfig], RUNS)("every module by name is full fine-tuning", (cfg) => {
    const inv = buildInventory(cfg);
    const everything = [...new Set(inv.modules.map((m) => m.name.split(".")[0]!))];
    const b = count(selective, inv, { modules: everything });
    sane(b, inv);
    expect(b.trainable).toBe(count(full, inv, {}).trainable);
    expect(count(selective, inv, { modules: ".*" }).trainable).toBe(b.trainable);
  });

  test.prop([anyConfig.map((cfg) => buildInventory(cfg)).chain((inv) => fc.record({ inv: fc.constant(inv), k: fc.integer({ min: 1, max: layersOf(inv) }), norms: fc.boolean() }))], RUNS)(
    "monotone in last_layers; the union with norms is at least each part",
    ({ inv, k, norms }) => {
      const b = count(selective, inv, { last_layers: k, norms });
      sane(b, inv);
      if (k > 1) expect(b.trainable).toBeGreaterThan(count(selective, inv, { last_layers: k - 1, norms }).trainable);
      expect(b.trainable).toBeGreaterThanOrEqual(count(selective, inv, { last_layers: k }).trainable);
    },
  );

  test.prop([fc.constantFrom(...LLAMA_LIKE_TYPES).chain((t) => llamaLikeConfig(t))], RUNS)("on a uniform decoder, last_layers k = k × last_layers 1", (cfg) => {
    const inv = buildInventory(cfg);
    const L = layersOf(inv);
    expect(count(selective, inv, { last_layers: L }).trainable).toBe(L * count(selective, inv, { last_layers: 1 }).trainable);
  });
});
