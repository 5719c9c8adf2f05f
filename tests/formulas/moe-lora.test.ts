/**
 * MoE of LoRA experts (LoRAMoE / MixLoRA): not in PEFT, so the numbers are by hand from the formula, anchored on
 * LoRA's oracle-checked count (llama-3.2-1b, r=8, default q_proj + v_proj: 16 · 8 · (4096 + 2560) = 851,968).
 */
import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { lora } from "../../formulas/peft/lora.js";
import { moeLora } from "../../formulas/peft/moe-lora.js";
import { DEFAULT_CONTEXT, evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config);
const run = (o: Record<string, unknown>, inv = llama) => evaluate(moeLora, inv, o, DEFAULT_CONTEXT).breakdown;

describe("moe-lora", () => {
  test("N = 1, k = 1 is LoRA plus one router per module", () => {
    expect(evaluate(lora, llama, {}, DEFAULT_CONTEXT).breakdown.trainable).toBe(851_968);
    const r = run({ num_experts: 1, top_k: 1 });
    expect(r.trainable).toBe(851_968 + 16 * 2 * 2048);
    expect(r.activeTrainable).toBe(r.trainable);
  });

  test("LoRAMoE-style per-module routers: 4 experts, top 2", () => {
    const r = run({ r: 8, num_experts: 4, top_k: 2 });
    expect(r.trainable).toBe(16 * (4 * 8 * 4096 + 4 * 8 * 2560 + 2 * 2048 * 4)); // 3,670,016
    expect(r.activeTrainable).toBe(16 * (2 * 8 * 4096 + 2 * 8 * 2560 + 2 * 2048 * 4)); // 1,966,080
    expect(r.allParams).toBe(1_235_814_400 + r.trainable);
  });

  test("MixLoRA-style: one router per layer on the FFN; top_k null = all experts active", () => {
    const r = run({ r: 8, num_experts: 8, top_k: null, router: "per-layer", target_modules: ["gate_proj", "up_proj", "down_proj"] });
    const perLayer = 8 * 8 * 3 * (2048 + 8192) + 2048 * 8;
    expect(r.trainable).toBe(16 * perLayer);
    expect(r.activeTrainable).toBe(r.trainable);
    expect(r.parts.some((p) => p.name.startsWith("moe_lora_router (16 layers"))).toBe(true);
  });

  test("refusals: top_k > num_experts, per-layer routers on the head, bad options", () => {
    expect(() => run({ num_experts: 2, top_k: 3 })).toThrow(InputError);
    expect(() => run({ router: "per-layer", target_modules: ["q_proj", "lm_head"] })).toThrow(/layer stack/);
    expect(() => run({ num_experts: 0 })).toThrow(OptionsError);
    expect(() => run({ router: "global" })).toThrow(OptionsError);
    expect(() => run({ target_modules: ["nothing_here"] })).toThrow(InputError);
  });

  prop.prop([fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 })])("exact, monotone in r and N, active ≤ total, parts sum", (r, n, k0) => {
    const k = Math.min(k0, n);
    const a = run({ r, num_experts: n, top_k: k });
    const b = run({ r: r + 1, num_experts: n, top_k: k });
    const c = run({ r, num_experts: n + 1, top_k: k });
    expect(Number.isSafeInteger(a.trainable) && Number.isSafeInteger(a.activeTrainable!)).toBe(true);
    expect(b.trainable).toBeGreaterThan(a.trainable);
    expect(c.trainable).toBeGreaterThan(a.trainable);
    expect(a.activeTrainable!).toBeLessThanOrEqual(a.trainable);
    expect(a.parts.reduce((s, p) => s + p.count, 0)).toBe(a.trainable);
  });
});
