/**
 * Issue 13's non-bottleneck methods through the CLI in-process: prefix tuning, AdapterHub LoRA and its
 * variants, (IA)^3, ReFT, MTL-LoRA, and the unions. Each config string is counted on a vector's own model and
 * compared with what AdapterHub built from the config dict (vector ids below); MTL-LoRA, which no vector has,
 * is derived from adapters src/adapters/methods/lora.py (88f18eb) in the test.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { expectError, runCli } from "../cli/fake-io.js";

interface V {
  id: string;
  task: string;
  model: Record<string, unknown>;
  expected: { trainableParams: number; allParams: number; baseParams: number };
}
const HUB = JSON.parse(readFileSync(new URL("../golden/adapters.json", import.meta.url), "utf8")) as V[];
const byId = (id: string) => HUB.find((v) => v.id === id)!;

async function count(id: string, spec: string, extra: string[] = []): Promise<{ trainableParams: number; allParams: number; baseParams: number; library: string; warnings: string[]; stderr: string }> {
  const v = byId(id);
  const r = await runCli(["count", "--model", "config.json", "--task", v.task, "--method", spec, ...extra, "--json"], { files: { "config.json": JSON.stringify(v.model) } });
  expect(r.stderr.split("\n").filter((l) => l.startsWith("error")).join("\n")).toBe("");
  const row = JSON.parse(r.stdout).rows[0];
  return { trainableParams: row.trainableParams, allParams: row.allParams, baseParams: row.baseParams, library: row.library, warnings: row.warnings, stderr: r.stderr };
}
const exactly = async (id: string, spec: string) => expect(await count(id, spec)).toMatchObject({ library: "adapters", ...byId(id).expected });

describe("methods as config strings, against the vectors of their config dicts", { timeout: 60_000 }, () => {
  test.each([
    // prefix tuning: flat, cross_prefix, encoder_prefix, gating, GQA (key/value heads on 1.2.0)
    ["prefix_tuning[flat=True]", "adapters12-prefix-tuning-flat-roberta-base"],
    ["prefix_tuning_flat[prefix_length=10]", "adapters12-prefix-tuning-flat-len10-llama-3.2-1b"],
    ["prefix_tuning[cross_prefix=False]", "adapters12-prefix-tuning-nocross-t5-base"],
    ["prefix_tuning[encoder_prefix=False]", "adapters12-prefix-tuning-noenc-t5-base"],
    ["prefix_tuning[use_gating=True, shared_gating=False]", "adapters12-prefix-tuning-gating-noshared-roberta-base"],
    ["prefix_tuning[bottleneck_size=800]", "adapters12-prefix-tuning-bs800-llama-3.2-1b"],
    // LoRA: attn_matrices, selfattn_lora / intermediate_lora / output_lora, fused q/k/v, leave_out, gating
    ["lora[attn_matrices=['q', 'k', 'v']]", "adapters12-lora-qkv-gpt2"],
    ["lora[selfattn_lora=False, intermediate_lora=True, output_lora=True]", "adapters12-lora-noselfattn-ffn-bert-base-uncased"],
    ["lora[output_lora=True]", "adapters12-lora-output-llama-3.2-1b"],
    ["lora[intermediate_lora=True]", "adapters12-lora-intermediate-qwen2.5-0.5b"],
    ["lora[r=16, alpha=32, attn_matrices=['q','k','v'], intermediate_lora=True, output_lora=True]", "adapters12-lora-r16-qkv-ffn-t5-base"],
    ["lora[leave_out=[0, 1]]", "adapters12-lora-leaveout-llama-3.2-1b"],
    ["lora[use_gating=True]", "adapters12-lora-gating-bert-base-uncased"],
    ["adapters:dora", "adapters12-mat-dora-bert-base-uncased"],
    ["adapters:vera", "adapters12-vera-llama-3.2-1b"],
    ["adapters:ia3", "adapters12-ia3-t5-base"],
    // ReFT: tied_weights, layers, the three variants
    ["loreft[tied_weights=True]", "adapters12-loreft-tied-roberta-base"],
    ["loreft[layers=[0, 2, 4]]", "adapters12-loreft-layers-roberta-base"],
    ["noreft", "adapters12-noreft-roberta-base"],
    ["direft", "adapters12-direft-roberta-base"],
    ["loreft", "adapters12-loreft-qwen2.5-0.5b"],
  ])("%s (%s)", (spec, id) => exactly(id, spec));

  test("prefix tuning's GQA rule is the release's: adapters 1.0.0 sized the prefixes by all 32 heads (e10ebf0 #825)", async () => {
    // llama-3.2-1b: 16 layers, head_dim 64, 8 kv heads of 32; P 30, b 800, X = L·2·heads·head_dim
    const total = (heads: number) => 30 * 2048 + 2048 * 800 + 800 + (800 + 1) * (16 * 2 * heads * 64);
    expect((await count("adapters12-prefix-tuning-bs800-llama-3.2-1b", "prefix_tuning[bottleneck_size=800]")).trainableParams).toBe(total(8));
    expect((await count("adapters12-prefix-tuning-bs800-llama-3.2-1b", "prefix_tuning[bottleneck_size=800]", ["--adapters-version", "1.0.0"])).trainableParams).toBe(total(32));
  });
  test("ids are namespaced: adapters:ia3 is AdapterHub's, ia3 PEFT's", async () => {
    const v = byId("adapters12-ia3-t5-base");
    const run = async (spec: string) => JSON.parse((await runCli(["count", "--model", "config.json", "--task", v.task, "--method", spec, "--json"], { files: { "config.json": JSON.stringify(v.model) } })).stdout).rows[0];
    expect(await run("adapters:ia3")).toMatchObject({ library: "adapters", trainableParams: v.expected.trainableParams });
    expect((await run("ia3")).library).toBe("peft");
  });
});

describe("MTL-LoRA (adapters 1.2.0; no vector: derived from methods/lora.py MTLLoRA)", { timeout: 60_000 }, () => {
  // MTLLoRA per wrapped module: lora_A r·in, lora_B n_up_projection·out·r, task_specific.values r (singular
  // values), weights n_up_projection; + LoRA's gate Linear(in, heads) with use_gating. BERT-base q and v: 24
  // modules 768 → 768.
  const bert = "adapters12-lora-roberta-base";
  const per = (r: number, k: number) => r * 768 + k * 768 * r + r + k;
  test("defaults, n_up_projection, r", async () => {
    expect((await count(bert, "mtl_lora")).trainableParams).toBe(24 * per(8, 1));
    expect((await count(bert, "mtl_lora[n_up_projection=3]")).trainableParams).toBe(24 * per(8, 3));
    expect((await count(bert, "adapters:mtl_lora r=4 n_up_projection=2")).trainableParams).toBe(24 * per(4, 2));
  });
  test("use_gating adds LoRA's gate Linear(768, 1); intermediate / output placement as LoRA's", async () => {
    expect((await count(bert, "mtl_lora[use_gating=True]")).trainableParams).toBe(24 * (per(8, 1) + 768 + 1));
    // + intermediate (768 → 3072) and output (3072 → 768) per layer
    const ffn = 12 * (8 * 768 + 3072 * 8 + 8 + 1) + 12 * (8 * 3072 + 768 * 8 + 8 + 1);
    expect((await count(bert, "mtl_lora[intermediate_lora=True, output_lora=True]")).trainableParams).toBe(24 * per(8, 1) + ffn);
  });
  test("composition_mode scale builds (IA)^3, not MTLLoRA (LoRALayer.add_adapter picks the class by mode first)", async () =>
    expect((await count(bert, "mtl_lora[composition_mode='scale', r=1]")).trainableParams).toBe(24 * 768));
  test("AdapterHub's failures and release are refusals", async () => {
    const v = byId(bert);
    const fail = (spec: string, extra: string[] = []) => runCli(["count", "--model", "config.json", "--task", v.task, "--method", spec, ...extra], { files: { "config.json": JSON.stringify(v.model) } });
    expectError(await fail("mtl_lora[task_specific_matrix_type='linear']"), 1, /TaskSpecificLinear/, /singular_values/);
    expectError(await fail("mtl_lora[use_dora=True]"), 1, /DoRA/, /use_dora/);
    expectError(await fail("mtl_lora", ["--adapters-version", "1.0.0"]), 1, /adapters 1\.0\.0 has no MTL-LoRA/, /1\.2\.0/);
    expectError(await runCli(["count", "--model", "qwen2.5-0.5b", "--method", "mtl_lora"]), 1, /plugin interface for qwen2 lists "lora", not "mtl_lora"/, /adapters:lora/);
  });
});

describe("unions", { timeout: 60_000 }, () => {
  test.each([
    ["mam", "adapters12-mam-llama-3.2-1b"],
    ["mam", "adapters12-mam-gpt2"],
    ["unipelt", "adapters12-unipelt-mt5-base"],
    ["prefix_tuning[bottleneck_size=256]|par_bn[reduction_factor=4]", "adapters12-str-mam-bs256-roberta-base"],
    ["lora[r=16,alpha=16]|prompt_tuning", "adapters12-str-lora-r16-alpha16-or-prompt-tuning-roberta-base"],
  ])("%s (%s)", (spec, id) => exactly(id, spec));
  test("options on a named union go to every component: refused where a component lacks the key", async () => {
    const r = await runCli(["count", "--model", "roberta-base", "--method", "unipelt[r=4]"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"r" is not an option of PrefixTuningConfig/);
    expect(r.stderr).toMatch(/hint: options of the union unipelt go to every component \(prefix_tuning, seq_bn, lora\): write the components instead, e\.g\. prefix_tuning\[\.\.\.\]\|seq_bn\[\.\.\.\]\|lora\[\.\.\.\]/);
  });
});
