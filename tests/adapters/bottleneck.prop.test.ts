/**
 * Property tests of AdapterHub bottleneck adapters on random small models (tests/model/arbitraries.ts; model
 * types AdapterHub supports): exact safe integers, Σ parts = trainable, allParams = base + what the adapter
 * adds, monotone in reduction_factor and in leave_out, Houlsby = twice Pfeiffer without cross-attention, and
 * the placement read from the anatomy: one adapter per position of every layer AdapterHub numbers.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { adapterHubLayers, hiddenSizeOf } from "../../src/adapters/positions.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { bertConfig, gpt2Config, llamaLikeConfig, t5Config } from "../model/arbitraries.js";
import { HUB12, seqBn } from "./helpers.js";

const RUNS = { numRuns: 60 };
const model = fc.oneof(llamaLikeConfig("llama"), llamaLikeConfig("mistral"), gpt2Config, bertConfig, t5Config).map((cfg) => buildInventory(cfg, { task: "FEATURE_EXTRACTION", transformers: HUB12.transformers }));
const rf = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.double({ min: 0.25, max: 64, noNaN: true }));
const extras = fc.record({ ln_before: fc.boolean(), ln_after: fc.boolean(), use_gating: fc.boolean(), scaling: fc.constantFrom(1, "learned", "channel"), mh_adapter: fc.boolean(), cross_adapter: fc.boolean() });
const run = (inv: Inventory, cfg: Record<string, unknown>) => countAdapterHub(inv, cfg, HUB12);

describe("bottleneck adapters", () => {
  test.prop([model, rf, extras], RUNS)("exact, parts sum to trainable, allParams = base + added", (inv, r, x) => {
    const b = run(inv, seqBn({ reduction_factor: r, ...x }));
    expect(Number.isSafeInteger(b.trainable)).toBe(true);
    expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
    expect(b.allParams).toBe(totalParams(inv.modules) + b.adapterParams);
    expect(b.adapterParams).toBe(b.trainable);
  });
  test.prop([model, rf, rf, extras], RUNS)("a larger reduction factor never adds parameters", (inv, a, b, x) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    expect(run(inv, seqBn({ reduction_factor: hi, ...x })).trainable).toBeLessThanOrEqual(run(inv, seqBn({ reduction_factor: lo, ...x })).trainable);
  });
  test.prop([model, fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]), fc.subarray([0, 1, 2, 3, 4, 5, 6, 7])], RUNS)("leaving out more layers never adds parameters", (inv, a, b) => {
    const both = [...new Set([...a, ...b])];
    expect(run(inv, seqBn({ leave_out: both })).trainable).toBeLessThanOrEqual(run(inv, seqBn({ leave_out: a })).trainable);
  });
  test.prop([model, fc.integer({ min: 1, max: 64 })], RUNS)("one adapter 2·H·d + d + H per FFN of every layer; Houlsby adds one per attention block", (inv, r) => {
    const H = hiddenSizeOf(inv);
    const d = Math.max(1, Math.floor(H / r));
    const layers = adapterHubLayers(inv);
    const per = 2 * H * d + d + H;
    expect(run(inv, seqBn({ reduction_factor: r })).trainable).toBe(layers.filter((l) => l.feedForward).length * per);
    expect(run(inv, seqBn({ reduction_factor: r, mh_adapter: true })).trainable).toBe((layers.filter((l) => l.feedForward).length + layers.filter((l) => l.selfAttention).length) * per);
  });
});
