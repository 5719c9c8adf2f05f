/** --transform on compare / count / inspect, --compare-original, and bad transform specs (in-process CLI). */
import { describe, expect, test } from "vitest";
import { comparisonReportSchema } from "../../src/report/schema.js";
import { expectError, runCli } from "./fake-io.js";

const ALL7 = "lora r=8 target_modules=q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj";

describe("--transform", { timeout: 60_000 }, () => {
  test("issue 11: LLaMA-7B pruned to half its heads and FFN channels → 3,500,412,928; LoRA r=8 on all seven projections → 13,664,256", async () => {
    const r = await runCli(["compare", "--model", "llama-2-7b", "--transform", "prune heads=0.5 ffn=0.5", "--method", ALL7, "--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.model.baseParams).toBe(3_500_412_928);
    expect(report.model.transforms).toEqual([{ name: "prune", text: "prune heads=0.5 ffn=0.5", summary: expect.stringContaining("heads 32 → 16") }]);
    expect(report.rows.map((x) => [x.method, x.trainableParams, x.baseParams])).toEqual([
      ["full", 3_500_412_928, 3_500_412_928],
      ["lora", 13_664_256, 3_500_412_928],
    ]);
  });

  test("the table title names the transforms; the summary is a note", async () => {
    const r = await runCli(["compare", "--model", "llama-2-7b", "--transform", "prune heads=0.5 ffn=0.5", "--method", ALL7, "--no-parts"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe('llama-2-7b  LlamaForCausalLM (CAUSAL_LM)  3,500,412,928 parameters  after --transform "prune heads=0.5 ffn=0.5"');
    expect(r.stdout).toContain("note: prune: heads 32 → 16 in all 32 layers, FFN 11,008 → 5,504 in all 32 layers; whole heads; 6,738,415,616 → 3,500,412,928 parameters");
  });

  test("--compare-original: each row again on the original model, right below", async () => {
    const r = await runCli(["compare", "--model", "llama-2-7b", "--transform", "prune heads=0.5 ffn=0.5", "--method", ALL7, "--compare-original", "--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.rows.map((x) => [x.title, x.trainableParams, x.baseParams, x.original ?? false])).toEqual([
      ["Full fine-tuning", 3_500_412_928, 3_500_412_928, false],
      ["Full fine-tuning (original)", 6_738_415_616, 6_738_415_616, true],
      ["LoRA", 13_664_256, 3_500_412_928, false],
      ["LoRA (original)", 19_988_480, 6_738_415_616, true],
    ]);
  });

  test("repeatable, applied in order; count and inspect too", async () => {
    const r = await runCli(["count", "--model", "llama-2-7b", "--transform", "prune heads=0.5 ffn=0.5", "--transform", "share K=16", "--method", ALL7, "--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.model.transforms?.map((t) => t.name)).toEqual(["prune", "share"]);
    expect(report.rows[0]!.trainableParams).toBe(13_664_256 / 2);
    const i = await runCli(["inspect", "--model", "llama-2-7b", "--transform", "factorize c=2"]);
    expect(i.code).toBe(0);
    expect(i.stdout).toContain("target_modules names: embed_tokens, 0, 1");
    expect(i.stdout).toContain("note: factorize c=2: 225 Linear layers");
  });

  test("--compare-original without --transform is a usage error", async () => {
    expectError(await runCli(["compare", "--model", "llama-2-7b", "--compare-original"]), 2, "--compare-original needs --transform");
  });
});

describe("bad transforms", { timeout: 60_000 }, () => {
  test("unknown transform: the nearest name", async () => {
    expectError(await runCli(["compare", "--model", "llama-2-7b", "--transform", "prun heads=0.5"]), 2, 'unknown transform "prun"', /did you mean "prune"/);
  });
  test("fraction out of range", async () => {
    expectError(await runCli(["compare", "--model", "llama-2-7b", "--transform", "prune heads=1.5"]), 2, /heads=1.5 is out of range/);
  });
  test("unknown option: the nearest key", async () => {
    expectError(await runCli(["compare", "--model", "llama-2-7b", "--transform", "prune head=0.5"]), 2, /unknown option "head"/, /did you mean "heads"/);
  });
  test("heads not divisible into KV groups (exit 1: the model decides)", async () => {
    expectError(await runCli(["compare", "--model", "llama-3-8b", "--transform", "prune heads=6"]), 1, /heads=6 is not divisible into whole KV groups of 4 query heads/);
  });
  test("an architecture without attention cannot lose heads", async () => {
    expectError(await runCli(["compare", "--model", "mamba-130m", "--transform", "prune heads=0.5"]), 1, /has no attention heads to prune/);
  });
});

describe("--transform with AdapterHub rows and the gates", { timeout: 60_000 }, () => {
  test("compare's AdapterHub rows (rebuilt on AdapterHub's transformers release) are counted on the transformed model too", async () => {
    const r = await runCli(["compare", "--model", "bert-base-uncased", "--transform", "prune heads=0.5 ffn=0.5", "--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    const hub = report.rows.filter((x) => x.library === "adapters");
    expect(hub.length).toBeGreaterThan(0);
    for (const row of hub) expect(row.baseParams).toBe(report.model.baseParams);
  });

  test("budget on a pruned model", async () => {
    const plain = await runCli(["budget", "--model", "llama-2-7b", "--max-trainable", "20M", "--json"]);
    const pruned = await runCli(["budget", "--model", "llama-2-7b", "--transform", "prune heads=0.5 ffn=0.5", "--max-trainable", "20M", "--json"]);
    expect([plain.code, pruned.code]).toEqual([0, 0]);
    expect(pruned.stdout).not.toBe(plain.stdout);
  });

  test("markdown names the transforms", async () => {
    const r = await runCli(["compare", "--model", "llama-2-7b", "--transform", "share K=8", "--method", "lora", "--format", "markdown"]);
    expect(r.stdout.split("\n")[0]).toBe("**llama-2-7b** — LlamaForCausalLM (CAUSAL_LM), 1,881,214,976 parameters, after --transform `share K=8`");
  });
});
