/** Literature methods: safe integers, monotone in their size knob, exact sums of parts. */
import { expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { evaluate } from "../../formulas/types.js";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";

const llama = (layers: number, hidden: number, heads: number, kv: number) =>
  buildInventory({ model_type: "llama", hidden_size: hidden * heads, intermediate_size: 3 * hidden * heads, num_hidden_layers: layers, num_attention_heads: heads, num_key_value_heads: kv, vocab_size: 1000 });
const shape = fc.record({ layers: fc.integer({ min: 1, max: 6 }), dim: fc.constantFrom(8, 16, 32), heads: fc.constantFrom(2, 4, 8), group: fc.constantFrom(1, 2) });
const sum = (b: { parts: readonly { count: number }[] }) => b.parts.reduce((s, p) => s + p.count, 0);

test.prop([shape, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 10 })])("llama-adapter-v2 is monotone in adapter_len and adapter_layer", (s, len, layer) => {
  const inv = llama(s.layers, s.dim, s.heads, s.heads / s.group);
  const a = evaluate(findFormula("llama-adapter-v2")!, inv, { adapter_len: len, adapter_layer: layer }).breakdown;
  const b = evaluate(findFormula("llama-adapter-v2")!, inv, { adapter_len: len + 1, adapter_layer: layer + 1 }).breakdown;
  expect(Number.isSafeInteger(a.trainable) && a.trainable === sum(a)).toBe(true);
  expect(b.trainable).toBeGreaterThan(a.trainable);
});

test.prop([shape, fc.integer({ min: 2, max: 16 }), fc.integer({ min: 1, max: 64 })])("parscale grows with P and with prefix tokens", (s, P, T) => {
  const inv = llama(s.layers, s.dim, s.heads, s.heads / s.group);
  const at = (p: number, t: number) => evaluate(findFormula("parscale")!, inv, { parscale_n: p, parscale_n_tokens: t }).breakdown;
  const a = at(P, T);
  expect(a.trainable).toBe(sum(a));
  expect(at(P + 1, T).trainable).toBeGreaterThan(a.trainable);
  expect(at(P, T + 1).trainable).toBeGreaterThan(a.trainable);
});

test.prop([shape, fc.integer({ min: 1, max: 32 })])("triadaptlora is monotone in r, and r·(in+out)+r² above LoRA", (s, r) => {
  const inv = llama(s.layers, s.dim, s.heads, s.heads / s.group);
  const at = (rank: number) => evaluate(findFormula("triadaptlora")!, inv, { r: rank, target_modules: ["q_proj", "v_proj"] }).breakdown.trainable;
  const lora = evaluate(findFormula("lora")!, inv, { r, target_modules: ["q_proj", "v_proj"] }).breakdown.trainable;
  expect(at(r + 1)).toBeGreaterThan(at(r));
  expect(at(r) - lora).toBe(2 * s.layers * r * r);
});

test.prop([shape, fc.integer({ min: 2, max: 16 }), fc.integer({ min: 1, max: 16 })])("moe-upcycle: active ≤ total, both grow with E", (s, E, k) => {
  fc.pre(k <= E);
  const inv = llama(s.layers, s.dim, s.heads, s.heads / s.group);
  const at = (e: number) => evaluate(findFormula("moe-upcycle")!, inv, { num_experts: e, num_experts_per_tok: k }).breakdown;
  const a = at(E);
  expect(a.activeTrainable!).toBeLessThanOrEqual(a.trainable);
  expect(at(E + 1).trainable).toBeGreaterThan(a.trainable);
});
