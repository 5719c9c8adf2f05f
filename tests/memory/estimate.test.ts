/**
 * Model-state bytes of real setups, each number derived by hand from the libraries' allocation rules (sources
 * cited per case) and checked here against src/memory.
 */
import { describe, expect, test } from "vitest";
import { findFormula } from "../../formulas/index.js";
import { estimateMemory } from "../../src/memory/estimate.js";
import { SINGLE_GPU, type MemorySetup } from "../../src/memory/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { buildRow } from "../../src/report/build.js";

const inv = (id: string) => buildInventory(findPreset(id)!.config, {});
const row = (i: ReturnType<typeof inv>, method: string, options: Record<string, unknown> = {}) => buildRow(i, { formula: findFormula(method)!, options });
const setup = (o: Partial<MemorySetup> = {}): MemorySetup => ({ dtype: "bf16", quantization: null, kbitUpcast: false, autocastAdapterDtype: true, optimizer: "adamw", masterWeights: false, sharding: SINGLE_GPU, ...o });
const QLORA = { bits: 4, quantType: "nf4", doubleQuant: true, skipModules: null } as const;

describe("QLoRA on Llama-3-8B (issue 10's reference numbers)", () => {
  const llama = inv("llama-3-8b");
  const e = estimateMemory(llama, row(llama, "lora", { r: 16, target_modules: "all-linear" }), setup({ quantization: QLORA }));
  test("quantized linears: 224 NF4 tensors, double quantization", () => {
    // source: bitsandbytes functional.py quantize_4bit + _ops.py fake kernels. Per layer the 7 linears hold
    // 218,103,808 weights; 32 layers = 6,979,321,856. Packed: n/2 = 3,489,660,928 B. Per tensor: ceil(n/64) uint8
    // quantized absmax, ceil(n/64/256) fp32 nested absmax, a 4-byte offset, the 256-entry dynamic map (1,024 B,
    // copied per tensor) and the 16-entry NF4 code (64 B): 109,051,904 + 1,703,936 + 224 × 1,092 = 111,000,448 B.
    expect(e.weights.quantizedModules).toBe(224);
    expect(e.weights.quantizedData).toBe(3_489_660_928n);
    expect(e.weights.quantizedData + e.weights.quantizedState).toBe(3_600_661_376n);
  });
  test("bf16 rest: embed_tokens, lm_head (never quantized), 65 RMSNorms", () => {
    // (128,256 × 4,096 × 2 + 65 × 4,096) × 2 B
    expect(e.weights.unquantized).toBe(2_101_878_784n);
  });
  test("LoRA r=16 all-linear: 41,943,040 fp32 parameters × (4 weight + 4 grad + 8 AdamW) B", () => {
    // autocast_adapter_dtype keeps the adapter fp32; torch AdamW's exp_avg / exp_avg_sq are zeros_like(p)
    expect(e.adapter.trainable + e.grads + e.optimizer.total).toBe(671_088_640n);
    expect(e.total).toBe(6_373_628_800n);
    expect(e.perGpu.total).toBe(6_373_628_800n);
    // torch AdamW keeps `step` on the CPU (not fused): 448 tensors × 4 B
    expect(e.cpuAlways).toBe(448n * 4n);
  });
});

describe("full fine-tuning", () => {
  const small = inv("llama-3.2-1b");
  const params = 1_235_814_400n; // llama-3.2-1b, tied embeddings counted once
  test("fp32 + AdamW: 16 B per parameter", () => {
    const e = estimateMemory(small, row(small, "full"), setup({ dtype: "fp32" }));
    expect(e.total).toBe(params * 16n);
  });
  test("bf16 + AdamW (Trainer, no master weights): 2 + 2 + 4 B per parameter", () => {
    const e = estimateMemory(small, row(small, "full"), setup());
    expect(e.total).toBe(params * 8n);
  });
  test("bf16 + master weights (ZeRO paper: 2 + 2 + 12 B per parameter)", () => {
    const e = estimateMemory(small, row(small, "full"), setup({ masterWeights: true }));
    expect(e.total).toBe(params * 16n);
  });
  test("fused AdamW keeps one 4-byte step per tensor on the device: 146 tensors", () => {
    const plain = estimateMemory(small, row(small, "full"), setup());
    const fused = estimateMemory(small, row(small, "full"), setup({ optimizer: "adamw-fused" }));
    expect(fused.total - plain.total).toBe(146n * 4n);
  });
  test("a quantized model cannot be fully fine-tuned", () => {
    expect(() => estimateMemory(small, row(small, "full"), setup({ quantization: QLORA }))).toThrow(/cannot train a 4-bit/);
  });
});
