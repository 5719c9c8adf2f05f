/**
 * The allocation rules one by one, with numbers from the libraries' sources (cited per test) and, for the torch /
 * transformers optimizers, measured: torch 2.13.0+cpu and transformers 5.18.0 in the oracle's venv, one step on
 * parameters of shapes (16, 4096), (1024, 16), (4096,), (3, 5, 7), summing numel × element_size of every tensor
 * in optimizer.state (CPU step scalars included).
 */
import { describe, expect, test } from "vitest";
import { findFormula } from "../../formulas/index.js";
import { eightBitBytes, fourBitBytes } from "../../src/memory/bnb.js";
import { estimateMemory } from "../../src/memory/estimate.js";
import { formatBytes, parseSize } from "../../src/memory/gpus.js";
import { optimizerBytes } from "../../src/memory/optimizers.js";
import type { TensorGroup } from "../../src/memory/tensors.js";
import { SINGLE_GPU, type Dtype, type MemorySetup } from "../../src/memory/types.js";
import { defaultSkipKeys, quantizedModules } from "../../src/memory/weights.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { buildRow } from "../../src/report/build.js";

const group = (shape: number[], dtype: Dtype, embedding = false): TensorGroup => ({ name: shape.join("x"), tensors: 1n, numelEach: BigInt(shape.reduce((a, b) => a * b, 1)), shape, dtype, embedding, inPlace: false, trainable: true });
const SHAPES = [[16, 4096], [1024, 16], [4096], [3, 5, 7]];
const groups = (dtype: Dtype) => SHAPES.map((s) => group(s, dtype));
const both = (o: { states: bigint; cpu: bigint }) => o.states + o.cpu;

describe("torch / transformers optimizers (measured)", () => {
  test("AdamW: 2 states in the parameter's dtype + a CPU float32 step per tensor", () => {
    expect(both(optimizerBytes("adamw", groups("bf16"), false))).toBe(344_500n);
    expect(both(optimizerBytes("adamw", groups("fp32"), false))).toBe(688_984n);
    expect(optimizerBytes("adamw", groups("bf16"), false).cpu).toBe(16n);
  });
  test("SGD: nothing without momentum, one buffer in the parameter's dtype with", () => {
    expect(both(optimizerBytes("sgd", groups("bf16"), false))).toBe(0n);
    expect(both(optimizerBytes("sgd-momentum", groups("bf16"), false))).toBe(172_242n);
  });
  test("Adafactor: fp32 row + column factors for 2+ dims, a full vector for 1 dim, a 0-d RMS per tensor", () => {
    expect(both(optimizerBytes("adafactor", groups("bf16"), false))).toBe(37_152n);
  });
  test("master weights put torch states in fp32", () => {
    expect(optimizerBytes("adamw", groups("bf16"), true).states).toBe(688_968n);
  });
});

describe("bitsandbytes optimizers (bitsandbytes/optim/optimizer.py init_state)", () => {
  test("8-bit AdamW: uint8 states + fp32 absmax per 256-block; small tensors (< 4096 elements) fp32; 2 shared qmaps", () => {
    // 65,536: 2 × (65,536 + 4 × 256) = 133,120; 16,384: 2 × (16,384 + 4 × 64) = 33,280; 4,096: 2 × (4,096 + 4 × 16) = 8,320
    // 105 < 4,096: 2 × 105 × 4 = 840; dynamic + udynamic maps: 2 × 256 × 4 = 2,048
    expect(optimizerBytes("adamw-8bit", groups("bf16"), false).states).toBe(133_120n + 33_280n + 8_320n + 840n + 2_048n);
  });
  test("the Trainer's 32-bit override for nn.Embedding weights", () => {
    expect(optimizerBytes("adamw-8bit", [group([32_000, 4_096], "bf16", true)], false).states).toBe(32_000n * 4_096n * 8n);
  });
  test("8-bit Lion: one state, one qmap; 32-bit Lion: one fp32 state", () => {
    expect(optimizerBytes("lion-8bit", [group([16, 4096], "bf16")], false).states).toBe(65_536n + 1_024n + 1_024n);
    expect(optimizerBytes("lion", [group([16, 4096], "bf16")], false).states).toBe(65_536n * 4n);
  });
});

describe("bitsandbytes weights (functional.py quantize_4bit, _ops.py, nn/modules.py Int8Params)", () => {
  test("4-bit: (n + 1) // 2 packed bytes, fp32 absmax per 64 + the 16-entry code", () => {
    expect(fourBitBytes(4096n * 4096n, false)).toEqual({ data: 8_388_608n, state: 262_144n * 4n + 64n });
    // an odd count rounds the packed bytes up, the blocks up
    expect(fourBitBytes(65n, false)).toEqual({ data: 33n, state: 2n * 4n + 64n });
  });
  test("4-bit with double quantization: uint8 absmax, fp32 offset, nested fp32 absmax per 256 blocks, 256-entry map, code", () => {
    // 4,096 × 4,096: 262,144 blocks → 262,144 + 4 + 1,024 × 4 + 1,024 + 64
    expect(fourBitBytes(4096n * 4096n, true)).toEqual({ data: 8_388_608n, state: 262_144n + 4n + 4_096n + 1_024n + 64n });
  });
  test("8-bit: int8 weight + one fp32 scale per output row", () => {
    expect(eightBitBytes(1024n, 4096n)).toEqual({ data: 4_194_304n, state: 4_096n });
  });
  test("which modules stay unquantized: lm_head and tied weights by default; llm_int8_skip_modules replaces the default", () => {
    const inv = buildInventory(findPreset("llama-3.2-1b")!.config, {});
    expect(defaultSkipKeys(inv).sort()).toEqual(["lm_head", "model.embed_tokens", "model.norm"]);
    const q = { bits: 4, quantType: "nf4", doubleQuant: false, skipModules: null } as const;
    expect(quantizedModules(inv, q).size).toBe(16 * 7);
    // should_convert_module matches a key at the start of the name or at its end: "mlp" neither starts nor ends
    // "model.layers.0.mlp.gate_proj", so it skips nothing, and lm_head (no longer a default skip) is quantized
    expect(quantizedModules(inv, { ...q, skipModules: ["mlp"] }).size).toBe(16 * 7 + 1);
    expect(quantizedModules(inv, { ...q, skipModules: ["gate_proj", "lm_head"] }).size).toBe(16 * 6);
  });
});

describe("the method's tensors", () => {
  const inv = buildInventory(findPreset("llama-3.2-1b")!.config, {});
  const setup = (o: Partial<MemorySetup> = {}): MemorySetup => ({ dtype: "bf16", quantization: null, kbitUpcast: false, autocastAdapterDtype: true, optimizer: "adamw", masterWeights: false, sharding: SINGLE_GPU, ...o });
  const est = (method: string, options: Record<string, unknown>, o: Partial<MemorySetup> = {}) => estimateMemory(inv, buildRow(inv, { formula: findFormula(method)!, options }), setup(o));
  test("modules_to_save: a bf16 copy of lm_head (untied from the embedding) besides the frozen original", () => {
    const e = est("lora", { r: 8, modules_to_save: ["lm_head"] });
    expect(e.adapter.copies).toBe(128_256n * 2_048n * 2n);
    // q_proj / v_proj LoRA: 16 × (8 × (2,048 + 2,048) + 8 × (2,048 + 512)) fp32 parameters
    expect(e.adapter.trainable).toBe(16n * 8n * (4_096n + 2_560n) * 4n);
  });
  test("autocast_adapter_dtype=False keeps adapter weights in the base dtype", () => {
    expect(est("lora", { r: 8 }, { autocastAdapterDtype: false }).adapter.trainable).toBe(16n * 8n * (4_096n + 2_560n) * 2n);
  });
  test("VeRA: the shared vera_A [r, max_in] and vera_B [max_out, r] buffers, fp32", () => {
    // default targets q_proj (2,048 → 2,048) and v_proj (2,048 → 512); r = 256
    expect(est("vera", {}).adapter.buffers).toBe((256n * 2_048n + 2_048n * 256n) * 4n);
  });
  test("Adafactor on LoRA: lora_A [r, in] and lora_B [out, r] factored from the shapes PEFT gives them", () => {
    // per layer: q lora_A [8, 2,048] → 8 + 2,048; lora_B [2,048, 8] → 2,048 + 8; v lora_A the same; v lora_B [512, 8]
    // → 512 + 8; 16 layers, fp32, plus one 0-d RMS tensor per parameter (64)
    expect(est("lora", { r: 8 }, { optimizer: "adafactor" }).optimizer.states).toBe(16n * (3n * 2_056n + 520n) * 4n + 64n * 4n);
  });
  test("Adafactor refuses tensors whose shape peftcount does not know", () => {
    expect(() => est("loha", { r: 8 }, { optimizer: "adafactor" })).toThrow(/adafactor: the shape of .* is not known/);
  });
  test("Muon: one momentum buffer for hidden matrices, AdamW's two states for embeddings, head and norms", () => {
    // llama-3.2-1b full fine-tuning, bf16: 16 layers × 60,817,408 matrix parameters = 973,078,528; the rest
    // (tied embedding 262,668,288 + 33 norms × 2,048) = 262,735,872
    const muon = est("full", {}, { optimizer: "muon" }).optimizer.states;
    expect(muon).toBe(973_078_528n * 2n + 262_735_872n * 2n * 2n);
    // NorMuon: + one value per output neuron of each matrix (16 × 23,552)
    expect(est("full", {}, { optimizer: "normuon" }).optimizer.states - muon).toBe(16n * 23_552n * 2n);
  });
  test("GaLore all-linear rank 128: projector + projected Adam states for Linear weights, Adam for the rest", () => {
    // per layer, [out, in]: q / o [2,048, 2,048] → 128 × 2,048 + 2 × 2,048 × 128; k / v [512, 2,048] → 512 × 128 +
    // 2 × 128 × 2,048; gate / up [8,192, 2,048] → 128 × 2,048 + 2 × 8,192 × 128; down [2,048, 8,192] → 2,048 × 128 +
    // 2 × 128 × 8,192: 9,830,400 per layer; the tied embedding and the norms (262,735,872) keep two states; bf16
    const e = est("full", {}, { optimizer: "galore-adamw", galore: { targets: "all-linear", rank: 128 } });
    expect(e.optimizer.states).toBe((16n * 9_830_400n + 2n * 262_735_872n) * 2n);
    // a list matches by substring: only q_proj
    const q = est("full", {}, { optimizer: "galore-adamw", galore: { targets: ["q_proj"], rank: 128 } });
    expect(q.optimizer.states).toBe((16n * 786_432n + 2n * (1_235_814_400n - 16n * 4_194_304n)) * 2n);
  });
  test("GaLore with a PEFT method is refused", () => {
    expect(() => est("lora", { r: 8 }, { optimizer: "galore-adamw", galore: { targets: "all-linear", rank: 128 } })).toThrow(/GaLore trains full weights/);
  });
  test("LLM.int8(): int8 weights + one fp32 scale per output row for the 112 decoder linears", () => {
    const e = est("lora", { r: 8 }, { quantization: { bits: 8, quantType: "fp4", doubleQuant: false, skipModules: null } });
    expect(e.weights.quantizedData).toBe(973_078_528n);
    // rows per layer: q 2,048 + k 512 + v 512 + o 2,048 + gate 8,192 + up 8,192 + down 2,048
    expect(e.weights.quantizedState).toBe(16n * 23_552n * 4n);
  });
  test("ZeRO-3 with optimizer and parameter offload keeps nothing partitioned on the GPU", () => {
    const sharding = { strategy: "zero3", gpusPerNode: 8, nodes: 1, offloadOptimizer: true, offloadParams: true } as const;
    const e = est("full", {}, { sharding, masterWeights: true });
    expect(e.perGpu.total).toBe(0n);
    expect(e.perGpu.cpu).toBe((1_235_814_400n * 16n) / 8n);
  });
  test("prepare_model_for_kbit_training upcasts the unquantized parameters to fp32", () => {
    const q = { bits: 4, quantType: "nf4", doubleQuant: false, skipModules: null } as const;
    const plain = est("lora", { r: 8 }, { quantization: q });
    const upcast = est("lora", { r: 8 }, { quantization: q, kbitUpcast: true });
    expect(upcast.weights.unquantized).toBe(plain.weights.unquantized * 2n);
  });
});

describe("sizes", () => {
  test("GB is 10^9, GiB 2^30; fractions allowed", () => {
    expect(parseSize("80GiB")).toBe(80n * 2n ** 30n);
    expect(parseSize("24GB")).toBe(24_000_000_000n);
    expect(parseSize("79.5 GiB")).toBe(159n * 2n ** 29n);
    expect(parseSize("1024")).toBe(1024n);
  });
  test("human sizes are binary with two decimals", () => {
    expect(formatBytes(6_373_628_800n)).toBe("5.94 GiB");
    expect(formatBytes(1023n)).toBe("1023 B");
    expect(formatBytes(1536n)).toBe("1.50 KiB");
  });
});
