/**
 * Adapter file sizes against real files. Golden numbers: peft 0.21.0 `get_peft_model_state_dict` on the model
 * built from the reference config (transformers 5.18.0, meta device, as the oracle builds it), every tensor
 * materialised as zeros in the dtype, written by safetensors 0.8.0 `save_file(..., metadata={"format": "pt"})`
 * as `save_pretrained` does; headerBytes = 8 + the u64 at the file's start, fileBytes = the file's size.
 * Every tensor in one dtype is what PEFT writes for a model loaded in it with `autocast_adapter_dtype=False`
 * (mixed dtypes under PEFT's default autocast: frozen-tensors.test.ts).
 * Also: our header builder writes a real .safetensors file that parses back, byte-identical to what the
 * safetensors library wrote for the same tensors.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { buildRow } from "../../src/report/build.js";
import { embeddingWarning } from "../../src/size/adapter-size.js";
import { rowAdapterSize } from "../../src/size/row-size.js";
import { headerBytes, headerJson, paddedHeaderLength, type Dtype, type TensorEntry } from "../../src/size/safetensors-header.js";
import { savedTensors } from "../../src/size/saved-tensors.js";

interface Golden {
  readonly model: string;
  readonly method: string;
  readonly options: Record<string, unknown>;
  readonly dtype: Dtype;
  readonly tensors: number;
  readonly headerBytes: number;
  readonly fileBytes: number;
  /** a few saved keys with their shapes, from the same state dict */
  readonly sample: Record<string, number[]>;
}

// source: peft 0.21.0 + transformers 5.18.0 + safetensors 0.8.0, shared/reference/configs/<model>.json (see above)
const GOLDEN: readonly Golden[] = [
  { model: "llama-3.2-1b", method: "lora", options: { r: 4, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 64, headerBytes: 8352, fileBytes: 1712288,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": [4, 2048], "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight": [2048, 4] } },
  { model: "llama-3.2-1b", method: "lora", options: { r: 16, target_modules: "all-linear", use_dora: true, task_type: "CAUSAL_LM" }, dtype: "bf16", tensors: 336, headerBytes: 45192, fileBytes: 23343240,
    sample: { "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight": [16, 8192], "base_model.model.model.layers.0.mlp.down_proj.lora_magnitude_vector": [2048] } },
  { model: "gpt2", method: "lora", options: { r: 8, target_modules: ["c_attn"], bias: "all", modules_to_save: ["lm_head"], task_type: "CAUSAL_LM" }, dtype: "fp16", tensors: 98, headerBytes: 11712, fileBytes: 78000576,
    sample: { "base_model.model.lm_head.weight": [50257, 768], "base_model.model.transformer.h.0.attn.c_attn.base_layer.bias": [2304], "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight": [8, 768] } },
  { model: "qwen2.5-0.5b", method: "lora", options: { r: 8, target_modules: ["q_proj", "v_proj", "embed_tokens"], task_type: "CAUSAL_LM" }, dtype: "bf16", tensors: 99, headerBytes: 13432, fileBytes: 275809400,
    sample: { "base_model.model.model.embed_tokens.base_layer.weight": [151936, 896], "base_model.model.model.embed_tokens.lora_embedding_A": [8, 151936], "base_model.model.model.embed_tokens.lora_embedding_B": [896, 8] } },
  { model: "qwen2.5-0.5b", method: "lora", options: { r: 8, target_modules: ["q_proj"], trainable_token_indices: [1, 2, 3], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 49, headerBytes: 6368, fileBytes: 1393376,
    sample: { "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta": [3, 896] } },
  { model: "llama-3.2-1b", method: "vera", options: { r: 64, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 66, headerBytes: 8208, fileBytes: 1228816,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_b": [2048], "base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_d": [64] } },
  { model: "llama-3.2-1b", method: "fourierft", options: { n_frequency: 500, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 32, headerBytes: 4168, fileBytes: 68168,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.fourierft_spectrum": [500] } },
  { model: "llama-3.2-1b", method: "loha", options: { r: 8, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 128, headerBytes: 16272, fileBytes: 6832016,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.hada_w1_a": [2048, 8], "base_model.model.model.layers.0.self_attn.q_proj.hada_w1_b": [8, 2048] } },
  { model: "llama-3.2-1b", method: "ia3", options: { target_modules: ["k_proj", "v_proj", "down_proj"], feedforward_modules: ["down_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 48, headerBytes: 5776, fileBytes: 595600,
    sample: { "base_model.model.model.layers.0.mlp.down_proj.ia3_l": [1, 8192], "base_model.model.model.layers.0.self_attn.k_proj.ia3_l": [512, 1] } },
  // source: as above (peft 0.21.0 + transformers 5.18.0 + safetensors 0.8.0), llama-3.2-1b.json, target_modules q_proj, v_proj
  { model: "llama-3.2-1b", method: "lokr", options: { r: 8, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 96, headerBytes: 11760, fileBytes: 224752,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.lokr_w1": [32, 32], "base_model.model.model.layers.0.self_attn.q_proj.lokr_w2_a": [64, 8], "base_model.model.model.layers.0.self_attn.v_proj.lokr_w1": [16, 32], "base_model.model.model.layers.0.self_attn.v_proj.lokr_w2_b": [8, 64] } },
  { model: "llama-3.2-1b", method: "lokr", options: { r: 64, decompose_both: true, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 64, headerBytes: 7840, fileBytes: 499360,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.lokr_w2": [64, 64], "base_model.model.model.layers.0.self_attn.v_proj.lokr_w2": [32, 64] } },
  { model: "llama-3.2-1b", method: "adalora", options: { init_r: 12, target_r: 8, total_step: 1000, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 96, headerBytes: 11920, fileBytes: 5125264,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.lora_A": [12, 2048], "base_model.model.model.layers.0.self_attn.v_proj.lora_B": [512, 12], "base_model.model.model.layers.0.self_attn.q_proj.lora_E": [12, 1] } },
  { model: "llama-3.2-1b", method: "oft", options: { oft_block_size: 32, r: 0, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 32, headerBytes: 4192, fileBytes: 4067424,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.oft_R.weight": [64, 496] } },
  { model: "llama-3.2-1b", method: "hra", options: { r: 8, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 32, headerBytes: 3952, fileBytes: 2101104,
    sample: { "base_model.model.model.layers.0.self_attn.v_proj.hra_u": [2048, 8] } },
  { model: "llama-3.2-1b", method: "miss", options: { r: 64, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 32, headerBytes: 4160, fileBytes: 10489920,
    sample: { "base_model.model.model.layers.0.self_attn.v_proj.miss_block": [64, 512] } },
  { model: "llama-3.2-1b", method: "c3a", options: { block_size: 256, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 32, headerBytes: 4128, fileBytes: 1314848,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.c3a_kernel": [8, 8, 256], "base_model.model.model.layers.0.self_attn.v_proj.c3a_kernel": [2, 8, 256] } },
  { model: "llama-3.2-1b", method: "waveft", options: { n_frequency: 500, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 32, headerBytes: 4072, fileBytes: 68072,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.waveft_spectrum": [500] } },
  { model: "llama-3.2-1b", method: "delora", options: { r: 8, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 128, headerBytes: 16224, fileBytes: 3686368,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.delora_A": [8, 2048], "base_model.model.model.layers.0.self_attn.v_proj.delora_B": [512, 8], "base_model.model.model.layers.0.self_attn.q_proj.delora_lambda": [1], "base_model.model.model.layers.0.self_attn.q_proj.delora_w_norm": [2048] } },
  { model: "llama-3.2-1b", method: "boft", options: { boft_block_size: 4, target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" }, dtype: "fp32", tensors: 64, headerBytes: 7968, fileBytes: 1220384,
    sample: { "base_model.model.model.layers.0.self_attn.q_proj.boft_R": [1, 512, 4, 4], "base_model.model.model.layers.0.self_attn.v_proj.boft_s": [512, 1] } },
];

const NO_AUTOCAST = { autocastAdapterDtype: false } as const;

const inventories = new Map<string, ReturnType<typeof buildInventory>>();
const inventory = (id: string) => {
  let inv = inventories.get(id);
  if (!inv) inventories.set(id, (inv = buildInventory(findPreset(id)!.config, { task: "CAUSAL_LM" })));
  return inv;
};

describe("adapter_model.safetensors as PEFT writes it", () => {
  test.each(GOLDEN.map((g) => [`${g.model} ${g.method} ${JSON.stringify(g.options)} ${g.dtype}`, g] as const))("%s", (_, g) => {
    const inv = inventory(g.model);
    const formula = findFormula(g.method)!;
    const row = buildRow(inv, { formula, options: g.options });
    const size = rowAdapterSize(inv, formula, row, g.dtype, undefined, NO_AUTOCAST);
    expect(size).toMatchObject({ tensors: g.tensors, headerBytes: g.headerBytes, bytes: g.fileBytes, headerExact: true });
    const tensors = new Map(savedTensors({ inv, peftType: formula.peftType }, row).map((t) => [t.name, t.shape]));
    for (const [name, shape] of Object.entries(g.sample)) expect(tensors.get(name), name).toEqual(shape);
  });

  test("whole embedding copies dominating the file are warned about", () => {
    const inv = inventory("qwen2.5-0.5b");
    const formula = findFormula("lora")!;
    const big = rowAdapterSize(inv, formula, buildRow(inv, { formula, options: GOLDEN[3]!.options }), "bf16", undefined, NO_AUTOCAST);
    expect(embeddingWarning(big)).toMatch(/^embed_tokens \/ lm_head copies are 99% of the adapter file/);
    const small = rowAdapterSize(inv, formula, buildRow(inv, { formula, options: GOLDEN[4]!.options }), "bf16", undefined, NO_AUTOCAST);
    expect(embeddingWarning(small)).toBeUndefined();
  });

  test("prompt tuning saves one prompt_embeddings tensor (virtual tokens × hidden size)", () => {
    const inv = inventory("llama-3.2-1b");
    const formula = findFormula("prompt-tuning")!;
    const row = buildRow(inv, { formula, options: { num_virtual_tokens: 20 } });
    expect(savedTensors({ inv, peftType: formula.peftType }, row)).toEqual([{ name: "prompt_embeddings", shape: [20, 2048], kind: "prompt", exactShape: true, exactName: true, storage: "F32" }]);
  });
});

describe("the header builder", () => {
  const tensors: TensorEntry[] = [
    { name: "b.x", shape: [3, 5] },
    { name: "a.lora_B.weight", shape: [7] },
    { name: "a.lora_A.weight", shape: [2, 2] },
  ];

  test("is byte-identical to safetensors 0.8.0's (save_file of the same bf16 tensors, metadata {format: pt})", () => {
    // python: save_file({'b.x': zeros(3,5), 'a.lora_B.weight': zeros(7), 'a.lora_A.weight': zeros(2,2)} in bf16, metadata={'format':'pt'})
    const fromLibrary = '{"__metadata__":{"format":"pt"},"a.lora_A.weight":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,8]},"a.lora_B.weight":{"dtype":"BF16","shape":[7],"data_offsets":[8,22]},"b.x":{"dtype":"BF16","shape":[3,5],"data_offsets":[22,52]}} ';
    const json = headerJson(tensors, "bf16");
    expect(json.padEnd(paddedHeaderLength(json.length), " ")).toBe(fromLibrary);
    expect(headerBytes(tensors, "bf16")).toBe(8 + 232);
  });

  test("writes a real file that parses back: names, shapes, offsets, total size", () => {
    const dir = mkdtempSync(join(tmpdir(), "peftcount-st-"));
    try {
      for (const dtype of ["fp32", "fp16", "bf16"] as const) {
        const json = headerJson(tensors, dtype);
        const padded = Buffer.from(json.padEnd(paddedHeaderLength(Buffer.byteLength(json)), " "), "utf8");
        const per = dtype === "fp32" ? 4 : 2;
        const data = Buffer.alloc(per * (15 + 7 + 4));
        const len = Buffer.alloc(8);
        len.writeBigUInt64LE(BigInt(padded.length));
        const file = join(dir, `${dtype}.safetensors`);
        writeFileSync(file, Buffer.concat([len, padded, data]));
        // parse it back as a safetensors reader does
        const bytes = readFileSync(file);
        const n = Number(bytes.readBigUInt64LE(0));
        expect((8 + n) % 8).toBe(0);
        const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8")) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
        expect(header["__metadata__"]).toEqual({ format: "pt" });
        const entries = Object.entries(header).filter(([k]) => k !== "__metadata__");
        expect(entries.map(([k]) => k)).toEqual(["a.lora_A.weight", "a.lora_B.weight", "b.x"]);
        for (const [name, t] of entries) {
          expect(t.shape).toEqual(tensors.find((x) => x.name === name)!.shape);
          expect(t.data_offsets[1] - t.data_offsets[0]).toBe(per * t.shape.reduce((a, b) => a * b, 1));
        }
        expect(Math.max(...entries.map(([, t]) => t.data_offsets[1]))).toBe(data.length);
        expect(statSync(file).size).toBe(headerBytes(tensors, dtype) + data.length);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("every method's saved elements", () => {
  test("the file holds every trainable parameter, plus the method's frozen tensors (data bytes = saved elements × dtype)", async () => {
    const { panel } = await import("../../src/cli/commands/panel.js");
    const inv = inventory("llama-3.2-1b");
    for (const { formula, options } of panel(inv, "all")) {
      let row;
      try {
        row = buildRow(inv, { formula, options });
      } catch {
        continue; // methods that cannot apply to this model
      }
      const size = rowAdapterSize(inv, formula, row, "fp16", undefined, NO_AUTOCAST);
      const tensors = savedTensors({ inv, peftType: formula.peftType }, row);
      const elements = tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
      // int index buffers (SHiRA, Super-Tuning, FRoD, VBLoRA top-k) have their own widths
      if (tensors.every((t) => t.storage === undefined || t.storage === "adapter" || t.storage === "base" || t.storage === "F32")) {
        const fp32 = tensors.filter((t) => t.storage === "F32").reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
        expect(size.dataBytes, formula.id).toBe(2 * elements + 2 * fp32);
      }
      // AdaLoRA's ranknum trains (peft 0.21) but is not saved; P-tuning saves its encoder's output, not the encoder;
      // VBLoRA's top-k form replaces the logits
      const unsaved = formula.peftType === "ADALORA" ? row.parts.filter((p) => p.name.endsWith(".ranknum")).reduce((n, p) => n + p.count, 0) : 0;
      if (row.options["save_only_topk_weights"] !== true && formula.peftType !== "P_TUNING") expect(elements, formula.id).toBeGreaterThanOrEqual(row.trainableParams - unsaved);
    }
  });
});
