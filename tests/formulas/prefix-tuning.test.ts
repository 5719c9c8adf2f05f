/** Prefix tuning: the key/value width rule of each release, GQA, projection; oracle (peft 0.21.0 + transformers 5.18.0) and vectors. */
import { describe, expect, test } from "vitest";
import { prefixTuning } from "../../formulas/peft/prefix-tuning.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { at, NEW, OLD, partCounts, preset, run } from "./prompt-helpers.js";

const causal = (n: number, extra: Record<string, unknown> = {}) => ({ task_type: "CAUSAL_LM", num_virtual_tokens: n, ...extra });

describe("prefix width: num_layers · 2 · token_dim per virtual token", () => {
  test("multi-head attention keeps hidden_size (vector prefix-20-llama-2-7b: 20·32·2·4096)", () => {
    for (const ctx of [OLD, NEW]) expect(run(prefixTuning, preset("llama-2-7b"), causal(20), ctx)).toMatchObject({ trainable: 5_242_880, added: 5_242_880 });
  });

  test("GQA narrows token_dim to head_dim × kv heads (vector prefix-20-mistral-7b-v0.1: 20·32·2·1024)", () => {
    for (const ctx of [OLD, NEW]) expect(run(prefixTuning, preset("mistral-7b-v0.1"), causal(20), ctx).trainable).toBe(1_310_720);
  });

  test("peft 0.18 takes the config's head_dim: Gemma-3-1B 1 kv head × 256, where peft 0.17 used 1152/4", () => {
    const inv = preset("gemma-3-1b");
    // vector fam-prefix-20-gemma-3-1b and the oracle: 20·26·2·256
    expect(run(prefixTuning, inv, causal(20), NEW).trainable).toBe(266_240);
    expect(run(prefixTuning, inv, causal(20), at("0.18.0")).trainable).toBe(266_240);
    // peft 0.17.1 other.py: token_dim // num_attention_heads * num_key_value_heads = 1152 // 4 · 1
    expect(run(prefixTuning, inv, causal(20), at("0.17.1")).trainable).toBe(20 * 26 * 2 * 288);
  });

  test("Qwen3-MoE's head_dim (128) is not hidden/heads (64): the rule changes the count", () => {
    const inv = preset("qwen3-30b-a3b");
    expect(run(prefixTuning, inv, causal(20), NEW).trainable).toBe(983_040); // vector fam-prefix-20-qwen3-30b-a3b
    expect(run(prefixTuning, inv, causal(20), at("0.17.1")).trainable).toBe(20 * 48 * 2 * 256);
  });

  test("Falcon-7B's dict has no num_key_value_heads (its class says num_kv_heads): no narrowing", () => {
    // oracle: falcon-7b config, {"num_virtual_tokens": 20} → 20·32·2·4544
    expect(run(prefixTuning, preset("falcon-7b"), causal(20)).trainable).toBe(5_816_320);
  });

  test("a stray num_key_value_heads in a GPT-2 config.json is in the dict, so PEFT narrows", () => {
    // oracle: gpt2 config + "num_key_value_heads": 4 → token_dim 768/12·4 = 256, 20·12·2·256
    const inv = buildInventory({ ...findPreset("gpt2")!.config, num_key_value_heads: 4 });
    expect(run(prefixTuning, inv, causal(20)).trainable).toBe(122_880);
    expect(run(prefixTuning, preset("gpt2"), causal(20)).trainable).toBe(368_640); // vector prefix-20-gpt2
  });

  test("encoder-decoder: not doubled, T5's num_layers (vector prefix-20-t5-base: 20·12·2·768)", () => {
    for (const ctx of [OLD, NEW]) expect(run(prefixTuning, preset("t5-base", "SEQ_2_SEQ_LM", ctx), { task_type: "SEQ_2_SEQ_LM", num_virtual_tokens: 20 }, ctx)).toMatchObject({ trainable: 368_640, added: 368_640 });
  });

  test("a multimodal config counts its text_config (oracle: gemma-3-27b, 20·62·2·(128·16))", () => {
    expect(run(prefixTuning, preset("gemma-3-27b"), causal(20)).trainable).toBe(5_079_040);
  });

  test("num_layers and token_dim as given; with GQA peft ≥ 0.18 still overrides token_dim by head_dim × kv", () => {
    const inv = preset("llama-3.2-1b");
    expect(run(prefixTuning, inv, causal(20, { num_layers: 4 })).trainable).toBe(81_920); // oracle
    expect(run(prefixTuning, inv, causal(20, { token_dim: 4096 })).trainable).toBe(327_680); // oracle: token_dim 512
    expect(run(prefixTuning, inv, causal(20, { token_dim: 4096 }), OLD).trainable).toBe(20 * 16 * 2 * (4096 / 32) * 8);
  });
});

describe("prefix_projection", () => {
  test("Embedding(n, d) + Linear(d→h) + Linear(h→L·2·d), h defaulting to the narrowed d", () => {
    // oracle: llama-3.2-1b, {"num_virtual_tokens": 20, "prefix_projection": true}: d = h = 512, L·2·d = 16384
    const r = run(prefixTuning, preset("llama-3.2-1b"), causal(20, { prefix_projection: true }));
    expect({ trainable: r.trainable, added: r.added, parts: partCounts(r.parts) }).toEqual({
      trainable: 8_677_888,
      added: 8_677_888,
      parts: { "prompt_encoder.embedding": 10_240, "prompt_encoder.transform.0": 262_656, "prompt_encoder.transform.2": 8_404_992 },
    });
  });

  test("encoder_hidden_size as given (vector m5-prefix-20-proj512-bert-base-uncased, head copy included)", () => {
    const r = run(prefixTuning, preset("bert-base-uncased", "SEQ_CLS"), { task_type: "SEQ_CLS", num_virtual_tokens: 20, prefix_projection: true, encoder_hidden_size: 512 });
    expect(r).toMatchObject({ trainable: 9_866_242, added: 9_866_242 });
  });
});

test.each([{}, { num_virtual_tokens: -3 }, { num_virtual_tokens: 20, prefix_projection: "yes" }, { num_virtual_tokens: 20, encoder_hidden_size: 0 }, { num_virtual_tokens: 20, init_weights: "ones" }])(
  "bad options %j are an OptionsError",
  (raw) => {
    expect(() => evaluate(prefixTuning, preset("gpt2"), raw)).toThrow(OptionsError);
  },
);
