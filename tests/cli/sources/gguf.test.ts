/**
 * GGUF files (issue 9): the header read with @huggingface/gguf through bounded range reads, its metadata mapped
 * to a config.json, its tensors to transformers' names. The Meta-Llama-3-8B file is written by the test
 * (gguf-helpers.ts) with a 4.6 GB sparse data area: 292 tensors, 8,030,261,248 parameters + rope_freqs (64).
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { ggufToConfig } from "../../../src/model/sources/gguf.js";
import { expectError } from "../fake-io.js";
import { ggufHeader, llama3Gguf, writeGguf } from "./gguf-helpers.js";
import { runReal, tempDir } from "./real-io.js";

vi.setConfig({ testTimeout: 30_000 });

let dir: string;
beforeAll(() => {
  dir = tempDir("gguf");
  const { kvs, tensors } = llama3Gguf();
  writeGguf(join(dir, "llama3.gguf"), kvs, tensors);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--model file.gguf", () => {
  test("count: the metadata is Llama-3-8B's config, the counts are the preset's", async () => {
    expect(statSync(join(dir, "llama3.gguf")).size).toBeGreaterThan(4e9);
    const r = await runReal(["count", "--model", "llama3.gguf", "--json"], { cwd: dir });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(r.stdout);
    expect(report.model).toMatchObject({ id: "Meta Llama 3 8B", modelClass: "LlamaForCausalLM", baseParams: 8_030_261_248 });
    expect(report.rows[0].trainableParams).toBe(3_407_872); // LoRA r=8 on q,v: 32 × 8·(8192 + 5120)
  });

  test("verify: exact tensor count and parameters per ggml type, no difference, rope_freqs noted", async () => {
    const r = await runReal(["verify", "--model", "llama3.gguf", "--json"], { cwd: dir });
    expect(r.stderr).toBe("note: rope_freqs.weight: llama.cpp tensor with no transformers parameter (not a difference)\n");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // F32: 65 norms × 4096 + rope_freqs 64; Q4_K: everything else
    expect(report.checkpoint).toMatchObject({ tensors: 292, params: 8_030_261_312, paramsByDtype: { F32: 266_304, Q4_K: 8_029_995_008 } });
    expect({ missing: report.missing, extra: report.extra, shapeMismatch: report.shapeMismatch, matched: report.matched }).toEqual({ missing: [], extra: [], shapeMismatch: [], matched: 291 });
  });

  test("verify reports a planted difference (a layer's ffn_up missing)", async () => {
    const { kvs, tensors } = llama3Gguf();
    writeGguf(join(dir, "planted.gguf"), kvs, tensors.filter((t) => t.name !== "blk.7.ffn_up.weight"));
    const r = await runReal(["verify", "--model", "planted.gguf"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("missing (in the model, not in the checkpoint): 1\n  model.layers.7.mlp.up_proj.weight [14336, 4096]\n");
  });
});

describe("bad GGUF input", () => {
  test("not a GGUF file", async () => {
    writeFileSync(join(dir, "fake.gguf"), "PK\u0003\u0004 a zip, not a gguf");
    expectError(await runReal(["count", "--model", "fake.gguf"], { cwd: dir }), 1, 'fake.gguf is not a GGUF file (it does not start with "GGUF")');
  });

  test("a truncated header is refused, never hangs", async () => {
    const { kvs, tensors } = llama3Gguf();
    writeFileSync(join(dir, "cut.gguf"), ggufHeader(kvs, tensors).bytes.slice(0, 600));
    const r = await runReal(["count", "--model", "cut.gguf"], { cwd: dir });
    expectError(r, 1, /^error: cut\.gguf: the GGUF header cannot be read \(.+\)$/, "the file is truncated or corrupt");
  });

  test("an architecture with no mapping says which ones are mapped", async () => {
    const { tensors } = llama3Gguf();
    writeGguf(join(dir, "rwkv.gguf"), [["general.architecture", "rwkv6"]], tensors.slice(0, 1));
    expectError(await runReal(["count", "--model", "rwkv.gguf"], { cwd: dir }), 1, 'rwkv.gguf: GGUF architecture "rwkv6" is not mapped to a transformers config', "peftcount maps llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3, phi3; pass the model's config.json instead");
  });

  test("a missing dimension is named", () => {
    expect(() => ggufToConfig({ "general.architecture": "qwen2" }, [{ name: "token_embd.weight", ne: [896, 151936], type: "F16" }], "q.gguf")).toThrow("q.gguf: qwen2.embedding_length is missing from the GGUF metadata");
  });
});

describe("metadata → config for the mapped families (pure)", () => {
  test("qwen3 keeps head_dim (attention.key_length); tied embeddings when there is no output.weight", () => {
    const meta = { "general.architecture": "qwen3", "qwen3.block_count": 28, "qwen3.embedding_length": 1024, "qwen3.feed_forward_length": 3072, "qwen3.attention.head_count": 16, "qwen3.attention.head_count_kv": 8, "qwen3.attention.key_length": 128 };
    expect(ggufToConfig(meta, [{ name: "token_embd.weight", ne: [1024, 151936], type: "BF16" }], "x")).toMatchObject({ model_type: "qwen3", head_dim: 128, vocab_size: 151936, tie_word_embeddings: true, num_hidden_layers: 28, intermediate_size: 3072 });
  });
  test("gemma3 is gemma3_text, phi3 is Phi3ForCausalLM", () => {
    const m = (arch: string) => ({ "general.architecture": arch, [`${arch}.block_count`]: 2, [`${arch}.embedding_length`]: 8, [`${arch}.feed_forward_length`]: 16, [`${arch}.attention.head_count`]: 2 });
    const t = [{ name: "token_embd.weight", ne: [8, 100], type: "F16" }];
    expect(ggufToConfig(m("gemma3"), t, "x")).toMatchObject({ model_type: "gemma3_text", architectures: ["Gemma3ForCausalLM"] });
    expect(ggufToConfig(m("phi3"), t, "x")).toMatchObject({ model_type: "phi3", num_key_value_heads: 2 });
  });
});
