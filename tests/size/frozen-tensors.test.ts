/**
 * Adapter files with frozen projections, bases and index buffers, and mixed dtypes, against real files.
 * Golden numbers: peft 0.21.0 + transformers 5.18.0 + torch 2.13 (the oracle's venv): the tiny LLaMA below built
 * with `AutoModelForCausalLM.from_config(config, dtype=<dtype>)`, `get_peft_model(model, config,
 * autocast_adapter_dtype=<autocast>)`, `save_pretrained`, then the file's size and its header (8 + the u64 at the
 * start; names, dtypes and shapes from the JSON). `sample` lists a few of the saved tensors with [dtype, shape].
 */
import { describe, expect, test } from "vitest";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { buildRow } from "../../src/report/build.js";
import { typedTensors } from "../../src/size/adapter-size.js";
import { rowAdapterSize } from "../../src/size/row-size.js";
import type { Dtype } from "../../src/size/safetensors-header.js";
import { savedTensors } from "../../src/size/saved-tensors.js";
import { GOLDEN, TINY } from "./frozen-golden.js";

const inv = buildInventory(TINY, { task: "CAUSAL_LM" });
/** methods whose saved names peftcount infers (headerExact: false): their data bytes and dtypes are checked */
const HEADER_INFERRED = new Set(["adamss"]);

describe("adapter_model.safetensors with frozen tensors and mixed dtypes, as PEFT 0.21.0 writes it", () => {
  test.each(GOLDEN.map((g) => [`${g.method} ${JSON.stringify(g.options)} ${g.dtype}${g.autocast ? "" : " no-autocast"}`, g] as const))("%s", (_, g) => {
    const formula = findFormula(g.method)!;
    const row = buildRow(inv, { formula, options: g.options });
    const size = rowAdapterSize(inv, formula, row, g.dtype, undefined, { autocastAdapterDtype: g.autocast });
    const typed = new Map(typedTensors(savedTensors({ inv, peftType: formula.peftType }, row), g.dtype, { autocastAdapterDtype: g.autocast }).map((t) => [t.name, [t.dtype, t.shape]]));
    if (HEADER_INFERRED.has(g.method)) {
      expect(size).toMatchObject({ dataBytes: g.fileBytes - g.headerBytes, headerExact: false, complete: true });
      for (const [name, expected] of Object.entries(g.sample)) if (typed.has(name)) expect(typed.get(name), name).toEqual(expected);
      return;
    }
    expect(size).toMatchObject({ tensors: g.tensors, headerBytes: g.headerBytes, bytes: g.fileBytes, headerExact: true, complete: true });
    for (const [name, expected] of Object.entries(g.sample)) expect(typed.get(name), name).toEqual(expected);
  });

  test("on llama-3.2-1b loaded in bf16, each method with PEFT's defaults (RandLoRA's file: 571 MB for 2.27M trainable)", () => {
    // source: peft 0.21.0 + transformers 5.18.0 + torch 2.13, shared/reference/configs/llama-3.2-1b.json built with
    // from_config(dtype=torch.bfloat16), get_peft_model(model, <Method>Config()) (autocast_adapter_dtype=True), save_pretrained
    const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });
    const real = { randlora: [571_393_240, 17_624, 130], pvera: [6_529_160, 8_328, 66], tinylora: [907_840, 14_912, 128], frod: [23_759_488, 9_216, 70] } as const;
    for (const [method, [bytes, headerBytes, tensors]] of Object.entries(real)) {
      const formula = findFormula(method)!;
      expect(rowAdapterSize(llama, formula, buildRow(llama, { formula, options: {} }), "bf16"), method).toMatchObject({ bytes, headerBytes, tensors, headerExact: true, complete: true });
    }
  });

  test("on a tiny GPT-2 (Conv1D layers, an embedding target, biases in the load dtype)", () => {
    // source: peft 0.21.0 + transformers 5.18.0 + torch 2.13, {model_type: gpt2, n_embd: 64, n_layer: 2, n_head: 4,
    // vocab_size: 256, n_positions: 64}, from_config(dtype=...), get_peft_model (autocast_adapter_dtype=True), save_pretrained
    const gpt2 = buildInventory({ model_type: "gpt2", n_embd: 64, n_layer: 2, n_head: 4, vocab_size: 256, n_positions: 64 }, { task: "CAUSAL_LM" });
    const real: [string, Record<string, unknown>, Dtype, number, number, number][] = [
      ["randlora", { r: 8, target_modules: ["c_attn", "c_fc"] }, "fp32", 349_288, 2152, 18],
      ["pvera", { r: 8, target_modules: ["c_attn", "mlp.c_proj"] }, "bf16", 25_976, 1144, 10],
      ["frod", { target_modules: ["c_attn"] }, "fp32", 18_680, 808, 7],
      ["frod", { target_modules: ["c_attn"] }, "bf16", 10_480, 800, 7],
      ["tinylora", { target_modules: ["c_attn", "wte"] }, "bf16", 11_800, 1304, 12],
      ["lora", { r: 4, target_modules: ["c_attn"], bias: "all" }, "fp32", 15_992, 1912, 17],
      ["lora", { r: 4, target_modules: ["c_attn"], bias: "all" }, "bf16", 13_064, 1928, 17],
    ];
    for (const [method, options, dtype, bytes, headerBytes, tensors] of real) {
      const formula = findFormula(method)!;
      expect(rowAdapterSize(gpt2, formula, buildRow(gpt2, { formula, options }), dtype), `${method} ${dtype}`).toMatchObject({ bytes, headerBytes, tensors, headerExact: true, complete: true });
    }
  });

  test("the adapter dtype: fp32 under autocast whatever the load dtype, else the load dtype", () => {
    const formula = findFormula("lora")!;
    const row = buildRow(inv, { formula, options: { r: 4 } });
    expect(rowAdapterSize(inv, formula, row, "bf16")).toMatchObject({ dtype: "bf16", adapterDtype: "fp32", autocastAdapterDtype: true });
    expect(rowAdapterSize(inv, formula, row, "fp16", undefined, { autocastAdapterDtype: false })).toMatchObject({ dtype: "fp16", adapterDtype: "fp16", autocastAdapterDtype: false });
  });

  test("AdaMSS's frozen adamss_newB is saved (its A / B split depends on the weights: names inferred)", () => {
    const formula = findFormula("adamss")!;
    const tensors = savedTensors({ inv, peftType: formula.peftType }, buildRow(inv, { formula, options: {} }));
    expect(tensors.filter((t) => t.name.endsWith(".adamss_newB")).map((t) => t.shape)).toEqual([[64, 64], [64, 64], [32, 64], [32, 64]]);
  });
});
