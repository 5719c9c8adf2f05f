/**
 * Invariants of the memory engine on random small models (tests/model/arbitraries.ts) and random setups: bytes
 * are exact BigInts and sum to the total, sharding divides exactly what it claims (and sums back), 4-bit bytes
 * grow with the tensor, and LoRA's memory grows with its rank.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { findFormula } from "../../formulas/index.js";
import { fourBitBytes } from "../../src/memory/bnb.js";
import { estimateMemory } from "../../src/memory/estimate.js";
import { partitions, perGpu, worldSize } from "../../src/memory/sharding.js";
import { OPTIMIZERS, STRATEGIES, type MemorySetup, type Sharding } from "../../src/memory/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { buildRow } from "../../src/report/build.js";
import { anyConfig } from "../model/arbitraries.js";

const RUNS = { numRuns: 60 };
const big = fc.bigInt({ min: 0n, max: 2n ** 70n });

const sharding: fc.Arbitrary<Sharding> = fc
  .record({ strategy: fc.constantFrom(...STRATEGIES), gpusPerNode: fc.integer({ min: 1, max: 16 }), nodes: fc.integer({ min: 1, max: 8 }) })
  .map(({ strategy, gpusPerNode, nodes }) => ({ strategy: strategy === "single" ? "ddp" : strategy, gpusPerNode, nodes, offloadOptimizer: false, offloadParams: false }));

const setup: fc.Arbitrary<MemorySetup> = fc.record({
  dtype: fc.constantFrom("fp32", "bf16", "fp16"),
  quantization: fc.option(fc.record({ bits: fc.constantFrom(4, 8), quantType: fc.constantFrom("nf4", "fp4"), doubleQuant: fc.boolean(), skipModules: fc.constant(null) }), { nil: null }),
  kbitUpcast: fc.boolean(),
  autocastAdapterDtype: fc.boolean(),
  optimizer: fc.constantFrom(...OPTIMIZERS.filter((o) => o !== "adafactor" && o !== "muon" && o !== "normuon" && o !== "galore-adamw")),
  masterWeights: fc.boolean(),
  sharding,
}) as fc.Arbitrary<MemorySetup>;

describe("sharding", () => {
  test.prop([big, big, big, big, big, sharding], RUNS)("each kind is divided by its partition count (ceil) and sums back", (weights, added, grads, optimizer, buffers, s) => {
    const g = perGpu({ weights, added, grads, optimizer, buffers }, s);
    const k = partitions(s);
    for (const [part, total, n] of [[g.weights, weights, k.params], [g.grads, grads, k.grads], [g.optimizer, optimizer, k.optimizer]] as const) {
      expect(part * n >= total).toBe(true);
      expect(part * n - total < n).toBe(true);
    }
    expect(g.total).toBe(g.weights + g.added + g.grads + g.optimizer + g.buffers + g.ddpBuckets);
    expect(g.ddpBuckets).toBe(s.strategy === "ddp" && worldSize(s) > 1n ? grads : 0n);
  });
  test.prop([big, big, big, big, fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4 })], RUNS)("ZeRO-3 never keeps more per GPU than ZeRO-2, nor ZeRO-2 than ZeRO-1", (weights, added, grads, optimizer, gpusPerNode, nodes) => {
    const at = (strategy: Sharding["strategy"]) => perGpu({ weights, added, grads, optimizer, buffers: 0n }, { strategy, gpusPerNode, nodes, offloadOptimizer: false, offloadParams: false }).total;
    expect(at("zero3") <= at("zero2")).toBe(true);
    expect(at("zero2") <= at("zero1")).toBe(true);
  });
});

describe("bitsandbytes 4-bit", () => {
  test.prop([fc.bigInt({ min: 1n, max: 2n ** 40n }), fc.bigInt({ min: 0n, max: 2n ** 20n }), fc.boolean()], RUNS)("bytes grow with the element count", (n, more, dq) => {
    const a = fourBitBytes(n, dq);
    const b = fourBitBytes(n + more, dq);
    expect(b.data + b.state >= a.data + a.state).toBe(true);
    expect(a.data * 2n >= n).toBe(true);
  });
});

describe("estimates on random models", () => {
  const model = anyConfig.map((cfg) => buildInventory(cfg));
  test.prop([model, setup, fc.integer({ min: 1, max: 16 })], RUNS)("parts sum to the total, all exact BigInts; LoRA memory grows with r", (inv, s, r) => {
    const lora = findFormula("lora")!;
    const at = (rank: number) => estimateMemory(inv, buildRow(inv, { formula: lora, options: { r: rank, target_modules: "all-linear" } }), s);
    const e = at(r);
    expect(e.total).toBe(e.weights.total + e.adapter.total + e.grads + e.optimizer.total);
    expect(e.weights.total).toBe(e.weights.quantizedData + e.weights.quantizedState + e.weights.unquantized);
    for (const v of [e.total, e.perGpu.total, e.grads, e.optimizer.states]) expect(typeof v).toBe("bigint");
    const e2 = at(r + 1);
    expect(e2.total > e.total).toBe(true);
    expect(e2.perGpu.total >= e.perGpu.total).toBe(true);
  });
});
