/**
 * Property tests of adapter file sizes on random LLaMA-like models (tests/model/arbitraries.ts): bytes = header +
 * data, the header 8-aligned, data = Σ elements × their dtype's width, sizes growing with the size knob, the
 * frozen projections adding bytes only with save_projection, and autocast never making a file smaller.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { buildRow } from "../../src/report/build.js";
import { typedTensors } from "../../src/size/adapter-size.js";
import { rowAdapterSize } from "../../src/size/row-size.js";
import { TAG_BYTES, type Dtype } from "../../src/size/safetensors-header.js";
import { savedTensors } from "../../src/size/saved-tensors.js";
import { llamaLikeConfig } from "../model/arbitraries.js";

const RUNS = { numRuns: 40 };
const model = llamaLikeConfig("llama").map((cfg) => buildInventory(cfg, { task: "CAUSAL_LM" }));
const dtype = fc.constantFrom<Dtype>("fp32", "fp16", "bf16");
const METHODS = ["lora", "vera", "pvera", "randlora", "tinylora", "loha"] as const;

function size(inv: ReturnType<typeof buildInventory>, method: string, options: Record<string, unknown>, d: Dtype, autocast = true) {
  const formula = findFormula(method)!;
  const row = buildRow(inv, { formula, options: { target_modules: ["q_proj", "v_proj"], ...options } });
  return { formula, row, size: rowAdapterSize(inv, formula, row, d, undefined, { autocastAdapterDtype: autocast }) };
}

describe("adapter file sizes", () => {
  test.prop([model, fc.constantFrom(...METHODS), fc.integer({ min: 1, max: 16 }), dtype, fc.boolean()], RUNS)("bytes = 8-aligned header + Σ elements × width, safe integers", (inv, method, r, d, autocast) => {
    const { formula, row, size: s } = size(inv, method, method === "tinylora" ? { u: r } : { r }, d, autocast);
    expect(Number.isSafeInteger(s.bytes)).toBe(true);
    expect(s.bytes).toBe(s.headerBytes + s.dataBytes);
    expect(s.headerBytes % 8).toBe(0);
    const typed = typedTensors(savedTensors({ inv, peftType: formula.peftType }, row), d, { autocastAdapterDtype: autocast });
    expect(typed.length).toBe(s.tensors);
    expect(typed.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1) * TAG_BYTES[t.dtype], 0)).toBe(s.dataBytes);
    expect(s).toMatchObject({ complete: true, headerExact: true });
  });

  // (not RandLoRA: its per-layer tensors shrink as r grows, n = ⌈min / r⌉ bases)
  test.prop([model, fc.constantFrom("lora", "loha", "vera", "pvera"), fc.integer({ min: 1, max: 15 }), dtype], RUNS)("the file grows with r", (inv, method, r, d) => {
    expect(size(inv, method, { r: r + 1 }, d).size.bytes).toBeGreaterThan(size(inv, method, { r }, d).size.bytes);
  });

  test.prop([model, fc.constantFrom("vera", "pvera", "randlora", "tinylora", "frod"), dtype], RUNS)("save_projection=false saves less, never more", (inv, method, d) => {
    const options = method === "frod" ? {} : { r: 4 };
    const kept = size(inv, method, options, d).size.bytes;
    const dropped = size(inv, method, { ...options, save_projection: false }, d).size.bytes;
    expect(dropped).toBeLessThan(kept);
  });

  test.prop([model, fc.constantFrom(...METHODS), fc.constantFrom<Dtype>("fp16", "bf16")], RUNS)("autocast (fp32 adapter weights) never makes a 16-bit model's file smaller", (inv, method, d) => {
    const on = size(inv, method, { r: 4 }, d, true).size.dataBytes;
    const off = size(inv, method, { r: 4 }, d, false).size.dataBytes;
    expect(on).toBeGreaterThanOrEqual(off);
    expect(on).toBeLessThanOrEqual(2 * off);
  });
});
