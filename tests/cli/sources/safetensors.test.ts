/**
 * safetensors checkpoints (issue 9): headers only, bounded; `verify` against the model built from config.json.
 * The Llama-3-8B checkpoint is generated from the preset's own inventory (291 tensors, 8,030,261,248 parameters,
 * Meta's published count for Meta-Llama-3-8B), its data area a sparse hole of 16 GB that is never read.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { findPreset } from "../../../src/model/presets/index.js";
import { quantSummary } from "../../../src/model/sources/quantized.js";
import { countByDtype, parseSafetensorsHeader, safetensorsHeaderLength } from "../../../src/model/sources/safetensors.js";
import { expectError, runCli } from "../fake-io.js";
import { runReal, tempDir } from "./real-io.js";
import { presetTensors, safetensorsHeader, writeSafetensors } from "./st-helpers.js";

vi.setConfig({ testTimeout: 30_000 });

const LLAMA3 = presetTensors("llama-3-8b");
const CONFIG = JSON.stringify(findPreset("llama-3-8b")!.config);
let dir: string;
beforeAll(() => {
  dir = tempDir("st");
  mkdirSync(join(dir, "single"));
  writeSafetensors(join(dir, "single", "model.safetensors"), LLAMA3);
  writeFileSync(join(dir, "single", "config.json"), CONFIG);
  mkdirSync(join(dir, "sharded"));
  const shards = [LLAMA3.slice(0, 100), LLAMA3.slice(100, 200), LLAMA3.slice(200)];
  const weightMap: Record<string, string> = {};
  shards.forEach((s, i) => {
    const file = `model-0000${i + 1}-of-00003.safetensors`;
    writeSafetensors(join(dir, "sharded", file), s);
    for (const t of s) weightMap[t.name] = file;
  });
  writeFileSync(join(dir, "sharded", "model.safetensors.index.json"), JSON.stringify({ metadata: { total_size: 16_060_522_496 }, weight_map: weightMap }));
  writeFileSync(join(dir, "sharded", "config.json"), CONFIG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("verify: a checkpoint generated from the preset's inventory", () => {
  test.each([["a single file", "single/model.safetensors"], ["its folder", "single"], ["a sharded index", "sharded/model.safetensors.index.json"], ["a sharded folder", "sharded"]])(
    "%s: no difference, exact counts, headers only",
    async (_what, path) => {
      expect(statSync(join(dir, "single", "model.safetensors")).size).toBeGreaterThan(16e9); // sparse: never read whole
      const r = await runReal(["verify", "--model", path, "--json"], { cwd: dir });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      const report = JSON.parse(r.stdout);
      expect(report.checkpoint).toMatchObject({ tensors: 291, params: 8_030_261_248, paramsByDtype: { BF16: 8_030_261_248 } });
      expect(report.model).toMatchObject({ modelClass: "LlamaForCausalLM", params: 8_030_261_248 });
      expect({ missing: report.missing, extra: report.extra, shapeMismatch: report.shapeMismatch, matched: report.matched }).toEqual({ missing: [], extra: [], shapeMismatch: [], matched: 291 });
    },
  );

  test("every planted difference is reported, exit 1", async () => {
    const planted = LLAMA3.filter((t) => t.name !== "model.layers.3.mlp.up_proj.weight").map((t) => (t.name === "model.norm.weight" ? { ...t, shape: [4095] } : t));
    planted.push({ name: "model.layers.32.eh_proj.weight", shape: [4096, 8192] }, { name: "model.layers.0.mlp.gate.e_score_correction_bias", shape: [256], dtype: "F32" });
    mkdirSync(join(dir, "planted"));
    writeSafetensors(join(dir, "planted", "model.safetensors"), planted);
    writeFileSync(join(dir, "planted", "config.json"), CONFIG);
    const r = await runReal(["verify", "--model", "planted"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("missing (in the model, not in the checkpoint): 1\n  model.layers.3.mlp.up_proj.weight [14336, 4096]\n");
    expect(r.stdout).toContain("extra (in the checkpoint, not a parameter of the model): 2\n  model.layers.32.eh_proj.weight [4096, 8192]\n  model.layers.0.mlp.gate.e_score_correction_bias [256]\n");
    expect(r.stdout).toContain("shape mismatch: 1\n  model.norm.weight: model [4096], checkpoint [4095]\n");
    expect(r.stderr).toBe("error: 4 differences between planted and the model built from its config\nhint: a checkpoint with extra layers or buffers, another task head, or a config.json from another model\n");
  });

  test("count --model on a checkpoint counts from the config.json beside it", async () => {
    const r = await runReal(["count", "--model", "single/model.safetensors", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBe(3_407_872); // LoRA r=8 q,v: 32 × (8·8192 + 8·5120)
  });

  test("a checkpoint without config.json: count says what to save; verify reports the checkpoint alone", async () => {
    mkdirSync(join(dir, "bare"));
    writeSafetensors(join(dir, "bare", "model.safetensors"), LLAMA3.slice(0, 3));
    const c = await runReal(["count", "--model", "bare/model.safetensors"], { cwd: dir });
    expectError(c, 1, "bare/model.safetensors is a safetensors checkpoint with no config.json beside it", /^hint: peftcount builds the model from config\.json/);
    const v = await runReal(["verify", "--model", "bare"], { cwd: dir });
    expect(v.code).toBe(0);
    // embed_tokens 128256·4096 + layer 0 q_proj 4096·4096 + k_proj 1024·4096
    expect(v.stdout).toBe("checkpoint  1 file, 3 tensors, 546,308,096 parameters\n  BF16           546,308,096\n");
    expect(v.stderr).toBe("note: no config.json beside bare: only the checkpoint's own counts are reported\n");
  });
});

describe("a checkpoint saved without config.json: the config inferred from its tensors", () => {
  test.each([
    ["llama-3-8b", "model_type llama from the tensor names, head_dim 128 (assumed: the shapes do not give the head split)"],
    ["qwen3-8b", "model_type qwen3 from the tensor names, head_dim 128 (q_norm's width)"],
    ["qwen2.5-0.5b", "model_type qwen2 from the tensor names, head_dim 128 (assumed: the shapes do not give the head split)"], // really 64 × 14 heads: the same module shapes
  ])("%s: the same counts as the preset, and a note", async (preset, assumed) => {
    const tensors = presetTensors(preset);
    const files = { "ckpt/model.safetensors": safetensorsHeader(tensors).bytes };
    const r = await runCli(["count", "--model", "ckpt", "--target-modules", "all-linear", "--json"], { files });
    expect(r.stderr).toBe(`note: no config.json beside ckpt: the config is inferred from its ${tensors.length} tensors (${assumed})\n`);
    const viaPreset = await runCli(["count", "--model", preset, "--target-modules", "all-linear", "--json"]);
    const rowOf = (out: string) => JSON.parse(out).rows[0];
    expect(rowOf(r.stdout).trainableParams).toBe(rowOf(viaPreset.stdout).trainableParams);
    expect(JSON.parse(r.stdout).model.baseParams).toBe(JSON.parse(viaPreset.stdout).model.baseParams);
  });
});

describe("bad safetensors input", () => {
  const st = (bytes: Uint8Array) => runCli(["verify", "--model", "m.safetensors"], { files: { "m.safetensors": bytes } });
  const len = (n: bigint, rest: Uint8Array = new Uint8Array()) => {
    const b = new Uint8Array(8 + rest.length);
    new DataView(b.buffer).setBigUint64(0, n, true);
    b.set(rest, 8);
    return b;
  };

  test("shorter than 8 bytes", async () => {
    expectError(await st(new Uint8Array([1, 2, 3])), 1, "/proj/m.safetensors is not a safetensors file: 3 bytes, shorter than the 8-byte header length");
  });
  test("a huge header length is refused before any allocation", async () => {
    expectError(await st(len(2n ** 40n)), 1, "/proj/m.safetensors: safetensors header length 1099511627776 is past the format's limit of 100000000 bytes (not a safetensors file, or corrupt)");
  });
  test("a truncated header", async () => {
    const { bytes } = safetensorsHeader(LLAMA3.slice(0, 2));
    expectError(await st(bytes.slice(0, 40)), 1, /^error: \/proj\/m\.safetensors: safetensors header length \d+ does not fit the file \(40 bytes\): truncated or not a safetensors file$/);
  });
  test("a header that is not JSON", async () => {
    expectError(await st(len(4n, new TextEncoder().encode("{oops"))), 1, "/proj/m.safetensors: the safetensors header is not valid UTF-8 JSON (truncated or corrupt)");
  });
  test("a tensor without a shape", async () => {
    expectError(await st(len(27n, new TextEncoder().encode('{"w":{"dtype":"F32"}}      '))), 1, '/proj/m.safetensors: tensor "w" has no valid dtype and shape in the header');
  });
  test("a device (/dev/zero) is never read as --model", async () => {
    const r = await runCli(["--model", "/dev/zero"], { devices: ["/dev/zero"] });
    expectError(r, 1, "/dev/zero is not a regular file (a device, pipe or socket)");
  });
  test("a shard index naming a tensor its shard lacks", async () => {
    const { bytes } = safetensorsHeader([{ name: "a", shape: [2] }]);
    const r = await runCli(["verify", "--model", "x/model.safetensors.index.json"], { files: { "x/model.safetensors.index.json": JSON.stringify({ weight_map: { a: "s1.safetensors", b: "s1.safetensors" } }), "x/s1.safetensors": bytes } });
    expectError(r, 1, '/proj/x/model.safetensors.index.json lists "b" in s1.safetensors, whose header does not hold it');
  });
});

describe("header parsing and quantized storage (pure)", () => {
  test("length, tensors, metadata, counts per dtype", () => {
    const { bytes } = safetensorsHeader([{ name: "a", shape: [2, 3] }, { name: "b", shape: [4], dtype: "F32" }], { format: "pt" });
    const n = safetensorsHeaderLength(bytes.slice(0, 8), "x", bytes.length);
    const h = parseSafetensorsHeader(bytes.slice(8, 8 + n), "x");
    expect(h.metadata).toEqual({ format: "pt" });
    expect(countByDtype(h.tensors)).toEqual({ byDtype: { BF16: 6, F32: 4 }, total: 10 });
  });

  test("bnb 4-bit, GPTQ, FP8 and MXFP4 storage against logical parameters", () => {
    // bnb nf4: a [4096, 4096] weight is stored as 8,388,608 uint8 (two values per byte) plus its quant state
    expect(quantSummary([{ name: "q.weight", dtype: "U8", shape: [8_388_608, 1] }, { name: "q.weight.absmax", dtype: "F32", shape: [262_144] }, { name: "q.weight.quant_map", dtype: "F32", shape: [16] }, { name: "q.weight.quant_state.bitsandbytes__nf4", dtype: "U8", shape: [100] }])).toMatchObject({ schemes: ["bnb-4bit"], logical: 16_777_216 });
    // GPTQ 4-bit, group 128: qweight [4096/8, 4096] int32, scales [32, 4096], qzeros [32, 512], g_idx [4096]
    expect(quantSummary([{ name: "q.qweight", dtype: "I32", shape: [512, 4096] }, { name: "q.scales", dtype: "F16", shape: [32, 4096] }, { name: "q.qzeros", dtype: "I32", shape: [32, 512] }, { name: "q.g_idx", dtype: "I32", shape: [4096] }])).toMatchObject({ schemes: ["gptq/awq"], logical: 16_777_216 });
    // FP8 with block scales (DeepSeek-V3): weight counted as is, weight_scale_inv is not a parameter
    expect(quantSummary([{ name: "q.weight", dtype: "F8_E4M3", shape: [4096, 4096] }, { name: "q.weight_scale_inv", dtype: "F32", shape: [32, 32] }])).toMatchObject({ schemes: ["fp8"], logical: 16_777_216 });
    // MXFP4 (gpt-oss): blocks [E, out, groups, 16] bytes hold 32 values per group
    expect(quantSummary([{ name: "e.gate_up_proj_blocks", dtype: "U8", shape: [32, 5760, 90, 16] }, { name: "e.gate_up_proj_scales", dtype: "U8", shape: [32, 5760, 90] }])).toMatchObject({ schemes: ["mxfp4"], logical: 32 * 5760 * 2880 });
  });
});
