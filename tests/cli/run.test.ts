/**
 * argv → options table (in the manner of changesets' cli.test.ts): each command line is run in-process
 * through `run(argv, fakeIo)` and the rows of its --json report are compared, options and exact counts.
 * Model: llama-3-8b (the default), 8,030,261,248 parameters (Meta-Llama-3-8B, LlamaForCausalLM).
 */
import { describe, expect, test } from "vitest";
import { comparisonReportSchema, type ComparisonReport } from "../../src/report/schema.js";
import { runCli } from "./fake-io.js";

const BASE = 8_030_261_248;

interface RowView {
  method: string;
  r: unknown;
  target_modules: unknown;
  use_dora: unknown;
  trainable: number;
}

async function rowsOf(argv: string[]): Promise<RowView[]> {
  const r = await runCli([...argv, "--json"]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
  expect(report.model.baseParams).toBe(BASE);
  return report.rows
    .filter((row) => row.method !== "full")
    .map((row) => ({ method: row.method, r: row.options["r"], target_modules: row.options["target_modules"], use_dora: row.options["use_dora"], trainable: row.trainableParams }));
}

const QV = ["q_proj", "v_proj"];
const row = (method: string, r: number, target_modules: unknown, use_dora: boolean, trainable: number): RowView => ({ method, r, target_modules, use_dora, trainable });

// LoRA on llama-3-8b, per layer (32 layers): q/o 4096→4096, k/v 4096→1024, gate/up 4096→14336, down 14336→4096.
// r=8 q,v: 32·8·(8192 + 5120) = 3,407,872; all-linear r=16: 32·16·81,920 = 41,943,040; DoRA adds 32·43,008 = 1,376,256.
const CASES: [string, string[], RowView[]][] = [
  ["defaults", [], [row("lora", 8, null, false, 3_407_872), row("lora", 16, "all-linear", false, 41_943_040), row("dora", 16, "all-linear", true, 43_319_296)]],
  ["--method spec", ["--method", "lora r=64 target_modules=all-linear"], [row("lora", 64, "all-linear", false, 167_772_160)]],
  ["two --method specs", ["--method", "lora r=8", "--method", "dora r=8 target_modules=q_proj,v_proj"], [row("lora", 8, null, false, 3_407_872), row("dora", 8, QV, true, 3_571_712)]],
  ["-r 16", ["-r", "16"], [row("lora", 16, null, false, 6_815_744), row("lora", 16, "all-linear", false, 41_943_040), row("dora", 16, "all-linear", true, 43_319_296)]],
  ["--r=16", ["--r=16"], [row("lora", 16, null, false, 6_815_744), row("lora", 16, "all-linear", false, 41_943_040), row("dora", 16, "all-linear", true, 43_319_296)]],
  ["--r 4 with a spec", ["--method", "lora target_modules=all-linear", "--r", "4"], [row("lora", 4, "all-linear", false, 10_485_760)]],
  ["a spec's r wins over -r", ["--method", "lora r=8", "--method", "lora target_modules=all-linear", "-r", "4"], [row("lora", 8, null, false, 3_407_872), row("lora", 4, "all-linear", false, 10_485_760)]],
  ["--target-modules list", ["--target-modules", "q_proj,v_proj"], [row("lora", 8, QV, false, 3_407_872), row("lora", 16, QV, false, 6_815_744), row("dora", 16, QV, true, 6_979_584)]],
  ["--target-modules one name", ["--method", "lora", "--target-modules", "down_proj"], [row("lora", 8, ["down_proj"], false, 32 * 8 * (14336 + 4096))]],
  ["--use-dora", ["--use-dora"], [row("lora", 8, null, true, 3_571_712), row("lora", 16, "all-linear", true, 43_319_296), row("dora", 16, "all-linear", true, 43_319_296)]],
  ["--use-dora on a spec", ["--method", "lora r=8", "--use-dora"], [row("lora", 8, null, true, 3_571_712)]],
  ["regex --target-modules", ["--target-modules", "re:.*\\.(q|v)_proj"], [row("lora", 8, ".*\\.(q|v)_proj", false, 3_407_872), row("lora", 16, ".*\\.(q|v)_proj", false, 6_815_744), row("dora", 16, ".*\\.(q|v)_proj", true, 6_979_584)]],
  ["regex in a spec", ["--method", "lora r=16 target_modules=re:.*mlp\\..*"], [row("lora", 16, ".*mlp\\..*", false, 32 * 16 * 3 * (14336 + 4096))]],
];

describe("compare: argv → rows", () => {
  test.each(CASES)("%s", async (_name, argv, expected) => {
    expect(await rowsOf(argv)).toEqual(expected);
  });

  test("full fine-tuning comes first and trains everything", async () => {
    const r = await runCli(["--json"]);
    const report = JSON.parse(r.stdout) as ComparisonReport;
    expect(report.rows[0]).toMatchObject({ method: "full", trainableParams: BASE, allParams: BASE, percentOfAll: 100, percentOfFull: 100 });
    expect(report.model).toMatchObject({ id: "llama-3-8b", source: "preset:llama-3-8b", modelType: "llama", modelClass: "LlamaForCausalLM", task: "CAUSAL_LM" });
  });

  test("--json report: schema-valid, exact totals, parts sum to trainable, percentages by their denominators", async () => {
    const r = await runCli(["--method", "lora r=8", "--format", "json"]);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    const lora = report.rows[1]!;
    expect(lora).toMatchObject({ trainableParams: 3_407_872, allParams: BASE + 3_407_872, baseParams: BASE });
    expect(lora.percentOfAll).toBeCloseTo((100 * 3_407_872) / (BASE + 3_407_872), 12);
    expect(lora.percentOfFull).toBeCloseTo((100 * 3_407_872) / BASE, 12);
    expect(lora.parts.map((p) => [p.name, p.modules, p.count])).toEqual([
      ["model.layers.*.self_attn.q_proj.lora_A", 32, 32 * 8 * 4096],
      ["model.layers.*.self_attn.q_proj.lora_B", 32, 32 * 4096 * 8],
      ["model.layers.*.self_attn.v_proj.lora_A", 32, 32 * 8 * 4096],
      ["model.layers.*.self_attn.v_proj.lora_B", 32, 32 * 1024 * 8],
    ]);
    expect(lora.options).toMatchObject({ r: 8, lora_alpha: 8, bias: "none", target_modules: null });
  });

  test("--format json and --json print the same bytes", async () => {
    const a = await runCli(["--json"]);
    const b = await runCli(["--format", "json"]);
    expect(a.stdout).toBe(b.stdout);
  });
});
