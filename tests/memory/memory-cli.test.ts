/** `peftcount memory` in-process: JSON against its schema, the QLoRA reference through the CLI, bad input. */
import { describe, expect, test } from "vitest";
import { memoryReportSchema } from "../../src/report/memory.js";
import { expectError, runCli } from "../cli/fake-io.js";

const QLORA = ["--model", "llama-3-8b", "--method", "lora r=16 target_modules=all-linear", "--load-in-4bit", "--bnb-4bit-quant-type", "nf4", "--bnb-4bit-use-double-quant", "--dtype", "bf16"];

describe("peftcount memory", { timeout: 30_000 }, () => {
  test("QLoRA Llama-3-8B: 6,373,628,800 B of model states; full fine-tuning of a 4-bit model is skipped with the reason", async () => {
    const r = await runCli(["memory", ...QLORA, "--gpu", "a100-40gb", "--json"]);
    expect(r.code).toBe(0);
    const report = memoryReportSchema.parse(JSON.parse(r.stdout));
    expect(report.rows.map((x) => x.method)).toEqual(["lora"]);
    const lora = report.rows[0]!;
    expect(lora.bytes.total).toBe(6_373_628_800);
    expect(lora.bytes.quantizedData + lora.bytes.quantizedState).toBe(3_600_661_376);
    expect(lora.perGpu.total).toBe(6_373_628_800);
    // A100 40GB: nvidia-smi memory.total 40,960 MiB
    expect(lora.fits).toBe(true);
    expect(lora.headroom).toBe(40_960 * 1_048_576 - 6_373_628_800);
    expect(report.skipped?.[0]?.method).toBe("full");
    expect(r.stderr).toMatch(/note: full skipped: full fine-tuning cannot train a 4-bit quantized model/);
  });

  test("8 GPUs under ZeRO-3: full fine-tuning in bf16 with master weights is 16 B per parameter ÷ 8", async () => {
    const r = await runCli(["memory", "--model", "llama-3.2-1b", "--method", "lora", "--dtype", "bf16", "--gpus", "8", "--zero", "3", "--json"]);
    expect(r.code).toBe(0);
    const report = memoryReportSchema.parse(JSON.parse(r.stdout));
    const full = report.rows.find((x) => x.method === "full")!;
    expect(report.setup.masterWeights).toBe(true);
    expect(full.bytes.total).toBe(1_235_814_400 * 16);
    // weights, grads and optimizer each partitioned over 8: ceil per kind
    expect(full.perGpu.weights).toBe(Math.ceil((1_235_814_400 * 2) / 8));
    expect(full.perGpu.total).toBe(full.perGpu.weights + full.perGpu.adapter + full.perGpu.grads + full.perGpu.optimizer + full.perGpu.ddpBuckets);
  });

  test("DDP keeps a second copy of the gradients in its buckets", async () => {
    const r = await runCli(["memory", "--model", "llama-3.2-1b", "--method", "lora", "--no-full", "--gpus", "2", "--json"]);
    const row = memoryReportSchema.parse(JSON.parse(r.stdout)).rows[0]!;
    expect(row.perGpu.ddpBuckets).toBe(row.bytes.grads);
  });

  test("table: sizes in GiB, the setup line, what is not counted; markdown and csv", async () => {
    const t = await runCli(["memory", ...QLORA, "--gpu-memory", "24GB"]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/bf16 weights · 4-bit NF4 \+ double quant · torch AdamW \(adamw_torch\) · 1 GPU · checked against 22\.35 GiB per GPU/);
    expect(t.stdout).toMatch(/│ lora .* 5\.94 GiB │ yes \(16\.42 GiB free\) │/);
    expect(t.stdout).toMatch(/Not counted: activations/);
    const md = await runCli(["memory", ...QLORA, "--format", "markdown"]);
    expect(md.stdout).toMatch(/\| lora \| r=16 target_modules=all-linear \| 41,943,040 \|/);
    const csv = await runCli(["memory", ...QLORA, "--format", "csv"]);
    expect(csv.stdout.split("\r\n")[1]).toMatch(/^lora,41943040,.*,6373628800,0,6373628800,$/);
  });

  test("schema memory prints a JSON Schema", async () => {
    const r = await runCli(["schema", "memory"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).properties.kind.const).toBe("memory");
  });
});

describe("bad input", () => {
  test("unknown GPU: usage error with a suggestion", async () => {
    expectError(await runCli(["memory", "--gpu", "a100-80"]), 2, 'unknown GPU "a100-80"', /did you mean "a100-80gb"\?/);
  });
  test("bad dtype", async () => {
    const r = await runCli(["memory", "--dtype", "fp8"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dtype <dtype>' argument 'fp8' is invalid/);
  });
  test("--gpus 0", async () => {
    expectError(await runCli(["memory", "--gpus", "0"]), 2, '--gpus must be a positive whole number (got "0")');
  });
  test("a size without a readable unit", async () => {
    expectError(await runCli(["memory", "--gpu-memory", "80 gigs"]), 2, 'cannot read the size "80 gigs"');
  });
  test("parameter offload without ZeRO-3 / FSDP", async () => {
    expectError(await runCli(["memory", "--gpus", "8", "--zero", "2", "--offload-params"]), 2, "parameter offload needs partitioned parameters");
  });
  test("several GPUs with a single-GPU strategy are DDP by default; --zero 4 is refused", async () => {
    expectError(await runCli(["memory", "--gpus", "8", "--zero", "4"]), 2, '--zero must be 0, 1, 2 or 3 (got "4")');
  });
  test("bitsandbytes options without a quantized load", async () => {
    expectError(await runCli(["memory", "--bnb-4bit-use-double-quant"]), 2, "bitsandbytes options need --load-in-4bit or --load-in-8bit");
  });
  test("GaLore needs its targets, as the Trainer does", async () => {
    expectError(await runCli(["memory", "--optimizer", "galore-adamw"]), 2, "--optimizer galore-adamw needs --galore-targets");
  });
  test("an unknown optimizer", async () => {
    expectError(await runCli(["memory", "--optimizer", "adam9000"]), 2, /--optimizer must be one of adamw, /);
  });
});
