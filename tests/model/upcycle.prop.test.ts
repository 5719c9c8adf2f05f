/** --upcycle counts exactly for any experts / top_k / shared / granularity, in both layouts. */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { activeParams } from "../../src/model/active.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { upcycle } from "../../src/model/upcycle.js";
import { layerKinds } from "../../src/report/inspect-layers.js";

const h = 64;
const I = 96;
const L = 3;
const dense = buildInventory({ model_type: "qwen3_moe", hidden_size: h, intermediate_size: I, num_hidden_layers: L, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 128, num_experts: 0 });
const base = totalParams(dense.modules);
const F = 3 * h * I;

test.prop([fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(1, 2, 3, 4, 6, 8, 12), fc.boolean()])(
  "total = base + L·((E + S)·F/G − F + h·E); active = the same with K routed experts",
  (e, k0, s, g, fused) => {
    const k = Math.min(k0, e);
    const up = upcycle(dense, { experts: e, topK: k, shared: s, granularity: g }, fused);
    expect(totalParams(up.modules)).toBe(base + L * (((e + s) * F) / g - F + h * e));
    expect(activeParams(up)).toBe(base + L * (((k + s) * F) / g - F + h * e));
    const kinds = layerKinds(up)!;
    expect(kinds.outside).toBe(0);
    expect(kinds.kinds.every((r) => r.other === 0 && r.dense === 0)).toBe(true);
  },
);
