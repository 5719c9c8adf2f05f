/**
 * argv → options table (in the manner of changesets' cli.test.ts): each command line is run in-process
 * through `run(argv, fakeIo)` and the rows of its --json report are compared, options and exact counts.
 * Model: llama-3-8b (the default), 8,030,261,248 parameters (Meta-Llama-3-8B, LlamaForCausalLM).
 */
import { describe, expect, test } from "vitest";
import { comparisonReportSchema, type ComparisonReport } from "../../src/report/schema.js";
import { runCli } from "./fake-io.js";
import { FORMULAS } from "../../formulas/index.js";
import { DEFAULT_PANEL } from "../../src/cli/commands/panel.js";

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
const LD = ["--methods", "lora,dora"];
const CASES: [string, string[], RowView[]][] = [
  ["--methods lora,dora (PEFT's defaults)", LD, [row("lora", 8, null, false, 3_407_872), row("dora", 8, null, true, 3_571_712)]],
  ["--method spec", ["--method", "lora r=64 target_modules=all-linear"], [row("lora", 64, "all-linear", false, 167_772_160)]],
  ["two --method specs", ["--method", "lora r=8", "--method", "dora r=8 target_modules=q_proj,v_proj"], [row("lora", 8, null, false, 3_407_872), row("dora", 8, QV, true, 3_571_712)]],
  ["-r 16", [...LD, "-r", "16"], [row("lora", 16, null, false, 6_815_744), row("dora", 16, null, true, 6_979_584)]],
  ["--r=16", [...LD, "--r=16"], [row("lora", 16, null, false, 6_815_744), row("dora", 16, null, true, 6_979_584)]],
  ["--r 4 with a spec", ["--method", "lora target_modules=all-linear", "--r", "4"], [row("lora", 4, "all-linear", false, 10_485_760)]],
  ["a spec's r wins over -r", ["--method", "lora r=8", "--method", "lora target_modules=all-linear", "-r", "4"], [row("lora", 8, null, false, 3_407_872), row("lora", 4, "all-linear", false, 10_485_760)]],
  ["--target-modules list", [...LD, "--target-modules", "q_proj,v_proj"], [row("lora", 8, QV, false, 3_407_872), row("dora", 8, QV, true, 3_571_712)]],
  ["--target-modules one name", ["--method", "lora", "--target-modules", "down_proj"], [row("lora", 8, ["down_proj"], false, 32 * 8 * (14336 + 4096))]],
  ["--use-dora", [...LD, "--use-dora"], [row("lora", 8, null, true, 3_571_712), row("dora", 8, null, true, 3_571_712)]],
  ["--use-dora on a spec", ["--method", "lora r=8", "--use-dora"], [row("lora", 8, null, true, 3_571_712)]],
  ["regex --target-modules", [...LD, "--target-modules", "re:.*\\.(q|v)_proj"], [row("lora", 8, ".*\\.(q|v)_proj", false, 3_407_872), row("dora", 8, ".*\\.(q|v)_proj", true, 3_571_712)]],
  ["regex in a spec", ["--method", "lora r=16 target_modules=re:.*mlp\\..*"], [row("lora", 16, ".*mlp\\..*", false, 32 * 16 * 3 * (14336 + 4096))]],
  ["identical rows are shown once", ["--method", "lora r=8", "--method", "lora r=8 lora_alpha=8"], [row("lora", 8, null, false, 3_407_872)]],
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

  test("the default panel: PEFT's methods with their defaults, grouped, full fine-tuning first", async () => {
    const r = await runCli(["--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.rows.map((x) => x.method)).toEqual(["full", ...DEFAULT_PANEL]);
    const by = (m: string) => report.rows.find((x) => x.method === m)!;
    expect(by("lora").trainableParams).toBe(3_407_872);
    // (IA)³ on llama: k, v (out 1024) and down_proj (feed-forward: in 14336) per layer
    expect(by("ia3").trainableParams).toBe(32 * (1024 + 1024 + 14336));
    // prompt tuning: 20 virtual tokens × 4096
    expect(by("prompt-tuning").trainableParams).toBe(20 * 4096);
    // Llama-3 has no bias: BitFit trains nothing, and says so
    expect(by("bitfit").trainableParams).toBe(0);
    expect(r.stderr).toMatch(/^warning: bitfit: /m);
  });

  test("a panel method that cannot apply to the model is skipped with PEFT's reason (LLaMA-Adapter on BERT)", async () => {
    const r = await runCli(["--model", "bert-base-uncased", "--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.rows.map((x) => x.method)).not.toContain("adaption-prompt");
    expect(report.skipped?.map((x) => x.method)).toContain("adaption-prompt");
    expect(r.stderr).toMatch(/^note: adaption-prompt skipped: /m);
  });

  test("--methods all: every method that applies, each once", async () => {
    const r = await runCli(["--methods", "all", "--json"]);
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    const shown = report.rows.map((x) => x.method);
    const skipped = report.skipped?.map((x) => x.method) ?? [];
    expect([...shown, ...skipped].sort()).toEqual(FORMULAS.map((f) => f.id).sort());
    expect(shown.length).toBeGreaterThan(30);
  });

  test("-r on the panel applies to the methods that have r, and says which", async () => {
    const r = await runCli(["-r", "16", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^note: -r\/--r applies to lora, dora, .*\(the rows whose method has "r"\), not to .*ia3/m);
  });

  test("--method and --methods together, or an unknown id in --methods, are usage errors", async () => {
    expect((await runCli(["--methods", "lora", "--method", "dora"])).code).toBe(2);
    const r = await runCli(["--methods", "lora,lorra"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --methods: unknown method "lorra"\nhint: did you mean "lora"\?/);
  });

  test("count takes one --method: two are a usage error that points to compare", async () => {
    const r = await runCli(["count", "--method", "lora", "--method", "dora"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: count takes one --method \(got 2\)\nhint: compare several side by side: peftcount compare --method "lora" --method "dora"/);
  });

  test("--format json and --json print the same bytes", async () => {
    const a = await runCli(["--json"]);
    const b = await runCli(["--format", "json"]);
    expect(a.stdout).toBe(b.stdout);
  });
});
