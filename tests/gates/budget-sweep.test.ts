/**
 * `peftcount budget` and `peftcount sweep` in-process (tests/cli/fake-io.ts): the answer with its exact count
 * and the next value's, --json as the usual report (rows[0].options.r = the chosen rank), --percent,
 * --max-adapter-size with --dtype, errors; sweep lists / ranges / pow2 in table (bar chart: ASCII when piped,
 * Unicode blocks on a terminal, none with NO_COLOR), CSV, JSON and markdown.
 * Numbers: llama-3.2-1b, LoRA all-linear: r=28 → 19,726,336, r=29 → 20,430,848 (704,512 per rank; `count`).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { gatesReportSchema } from "../../src/report/gates-schema.js";
import { expectError, runCli } from "../cli/fake-io.js";

const M = ["--model", "llama-3.2-1b"];
const json = (stdout: string) => gatesReportSchema.parse(JSON.parse(stdout));

beforeAll(() => runCli(["count", ...M]), 60_000);

describe("budget", () => {
  test("the largest r that fits 20M, its exact count and the next r's", async () => {
    const r = await runCli(["budget", ...M, "--method", "lora", "--target-modules", "all-linear", "--max-trainable", "20M", "--json"]);
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.rows[0]!.options["r"]).toBe(28);
    expect(report.rows[0]!.trainableParams).toBe(19_726_336);
    expect(report.budget).toMatchObject({ knob: "r", value: 28, target: { kind: "trainable", value: 20_000_000 }, next: { value: 29, trainableParams: 20_430_848 }, capped: false });
  });

  test("the count at the answer is what count prints", async () => {
    const c = await runCli(["count", ...M, "--target-modules", "all-linear", "-r", "28", "--json"]);
    expect(JSON.parse(c.stdout).rows[0].trainableParams).toBe(19_726_336);
  });

  test("table output", async () => {
    const r = await runCli(["budget", ...M, "--target-modules", "all-linear", "--max-trainable", "20M"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("largest r with trainable ≤ 20,000,000: r=28");
    expect(r.stdout).toMatch(/r=29\s+│\s+20,430,848\s+│\s+1\.6263\s+│ next: does not fit/);
  });

  test("--percent: the r closest to 1% of all parameters", async () => {
    const r = await runCli(["budget", ...M, "--percent", "1", "--json"]);
    const b = json(r.stdout);
    expect(b.budget).toMatchObject({ knob: "r", value: 117, target: { kind: "percent", value: "1" } });
    expect(b.rows[0]!.percentOfAll).toBeCloseTo(0.9982, 4);
  });

  test("--max-adapter-size with --dtype: searched on the file's bytes", async () => {
    const r = await runCli(["budget", ...M, "--target-modules", "all-linear", "--max-adapter-size", "50MB", "--dtype", "bf16", "--json"]);
    const b = json(r.stdout);
    const size = b.rows[0]!.adapterSize!;
    expect(size.dtype).toBe("bf16");
    expect(size.bytes).toBeLessThanOrEqual(50_000_000);
    expect(b.budget!.next!.adapterBytes).toBeGreaterThan(50_000_000);
  });

  test("other methods' knobs: prompt tokens, FourierFT n_frequency, VeRA r", async () => {
    const p = json((await runCli(["budget", ...M, "--method", "prompt-tuning", "--max-trainable", "100K", "--json"])).stdout);
    expect(p.budget).toMatchObject({ knob: "num_virtual_tokens", value: 48 }); // 48 × 2048 = 98,304
    expect(p.rows[0]!.trainableParams).toBe(98_304);
    const f = json((await runCli(["budget", ...M, "--method", "fourierft", "--max-trainable", "1M", "--json"])).stdout);
    expect(f.budget).toMatchObject({ knob: "n_frequency", value: 31250 }); // 32 modules × 31,250 = 1,000,000
    const v = json((await runCli(["budget", ...M, "--method", "vera", "--max-trainable", "50K", "--json"])).stdout);
    expect(v.budget!.knob).toBe("r");
  });

  test("nothing fits: exit 1, the report says so", async () => {
    const r = await runCli(["budget", ...M, "--target-modules", "all-linear", "--max-trainable", "1K"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: no r fits: r=1 already exceeds the target");
  });

  test("usage errors (exit 2)", async () => {
    expectError(await runCli(["budget", ...M]), 2, "budget needs a target", "pass one of --max-trainable");
    expectError(await runCli(["budget", ...M, "--max-trainable", "1M", "--percent", "1"]), 2, "budget takes one target");
    expectError(await runCli(["budget", ...M, "--max-trainable", "1 M"]), 2, '--max-trainable: "1 M" is not a parameter count');
    expectError(await runCli(["budget", ...M, "--method", "ia3", "--max-trainable", "1M"]), 2, "ia3 has no single integer size knob to search");
  });

  test("a count that falls as the knob grows is refused (exit 1), not answered", async () => {
    const r = await runCli(["budget", ...M, "--method", "lokr", "--max-trainable", "110592"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: the count falls as r grows \(r=\d+: \d+, r=\d+: \d+\)/);
  });

  test("nothing fits an adapter-size limit: exit 1, the minimum's size shown under a named column", async () => {
    const r = await runCli(["budget", ...M, "--method", "lora", "--max-adapter-size", "1KB", "--dtype", "bf16"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("no r fits: r=1 already exceeds adapter file ≤ 1,000 bytes");
    expect(r.stdout).toMatch(/│ Adapter file │/);
    expect(r.stdout).not.toContain("Adapter ()");
  });

  test("a file size that falls as r grows, with nothing fitting at the minimum, is refused, not answered 'no r fits'", async () => {
    // RandLoRA saves its frozen bases (once per model and again per layer) whose width is ⌈min/r⌉: the file
    // shrinks as r grows (llama-3.2-1b bf16: r=1 ≈ 839 MB, r=32 571,393,240 bytes as PEFT 0.21.0 writes it)
    const r = await runCli(["budget", ...M, "--method", "randlora", "--max-adapter-size", "600MB", "--dtype", "bf16"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: the adapter file size falls as r grows \(r=1: \d+, r=2: \d+\)/);
  });
});

describe("sweep", () => {
  const sweep = (...args: string[]) => runCli(["sweep", ...M, ...args]);

  test("lists and ranges: 1,2,4,8..10", async () => {
    const r = await sweep("--r", "1,2,4,8..10", "--json");
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.sweep).toEqual({ knob: "r", values: [1, 2, 4, 8, 9, 10] });
    expect(report.rows.map((x) => x.trainableParams)).toEqual([106_496, 212_992, 425_984, 851_968, 958_464, 1_064_960]);
  });

  test("pow2:1..256 in CSV, with adapter bytes", async () => {
    const r = await sweep("--r", "pow2:1..256", "--dtype", "bf16", "--format", "csv");
    const lines = r.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toBe("model,task,method,knob,value,trainableParams,allParams,baseParams,percentOfAll,percentOfFull,dtype,adapterBytes");
    expect(lines.slice(1).map((l) => l.split(",")[4])).toEqual(["1", "2", "4", "8", "16", "32", "64", "128", "256"]);
    expect(lines[1]).toMatch(/^llama-3\.2-1b,CAUSAL_LM,lora,r,1,106496,1235920896,1235814400,[\d.]+,[\d.]+,bf16,\d+$/);
  });

  test("markdown", async () => {
    const r = await sweep("--r", "8,16", "--format", "markdown");
    expect(r.stdout.split("\n").slice(2, 6)).toEqual(["| r | Trainable | % of all (PEFT) | % of full FT |", "| ---: | ---: | ---: | ---: |", "| 8 | 851,968 | 0.0689 | 0.0689 |", "| 16 | 1,703,936 | 0.1377 | 0.1379 |"]);
  });

  test("table: a plain ASCII bar chart when piped, Unicode blocks fitted to a terminal, ASCII with NO_COLOR", async () => {
    const piped = await sweep("--r", "pow2:1..8");
    expect(piped.stdout).toMatch(/│\s+8 │\s+851,968 │ 852K │\s+0\.0689 │ #{40} │/);
    expect(piped.stdout).not.toMatch(/[█\u001b]/);
    const tty = await runCli(["sweep", ...M, "--r", "pow2:1..8"], { isTTY: true, env: { FORCE_COLOR: "1" } });
    expect(tty.stdout).toContain("█");
    const noColor = await runCli(["sweep", ...M, "--r", "pow2:1..8"], { isTTY: true, env: { NO_COLOR: "1" } });
    expect(noColor.stdout).not.toMatch(/[█\u001b]/);
    expect(noColor.stdout).toContain("#");
  });

  test("other options and knobs: prompt tokens by steps", async () => {
    const r = await runCli(["sweep", ...M, "--method", "prompt-tuning", "--num-virtual-tokens", "10..30:10", "--json"]);
    expect(json(r.stdout).rows.map((x) => x.trainableParams)).toEqual([20_480, 40_960, 61_440]);
  });

  test("usage errors (exit 2)", async () => {
    expectError(await sweep(), 2, "sweep needs the values of one option", "e.g. -r/--r 1,2,4,8..256");
    expectError(await sweep("--r", "1..x"), 2, '-r/--r: "1..x" is not a whole number (in "1..x")', "use a list of whole numbers");
    expectError(await sweep("--r", "8..1"), 2, "-r/--r: range 8..1 runs backwards");
    expectError(await sweep("--r", "1,2", "--lora-alpha", "8,16"), 2, "sweep varies one option (got -r/--r, --lora-alpha)");
  });

  test("embedding copies dominating the file are warned about on stderr", async () => {
    const r = await sweep("--r", "4,8", "--modules-to-save", "lm_head", "--dtype", "bf16");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: lora: embed_tokens \/ lm_head copies are \d+% of the adapter file/);
  });
});

describe("JSON Schemas", () => {
  test.each(["check", "budget", "sweep"])("peftcount schema %s", async (which) => {
    const r = await runCli(["schema", which]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["rows", "check", "budget", "sweep"]));
  });
});

test("RandLoRA's saved bases are sized (complete, no warning)", async () => {
  const r = await runCli(["sweep", ...M, "--method", "randlora", "--r", "16,32", "--dtype", "bf16", "--json"]);
  expect(r.code).toBe(0);
  expect(json(r.stdout).rows[0]!.adapterSize!).toMatchObject({ complete: true, headerExact: true });
  expect(r.stderr).not.toContain("does not size");
});

test("a count that stops growing: every larger value fits, and budget says so", async () => {
  // LoKr on q_proj, v_proj stops factorising w2 once r ≥ max(out_k, in_n) / 2: the count stays 122,880 from there
  const r = await runCli(["budget", ...M, "--method", "lokr", "--max-trainable", "200K", "--json"]);
  expect(r.code).toBe(0);
  expect(json(r.stdout).budget).toMatchObject({ capped: true, plateau: true, value: 1_048_576, next: null });
  const t = await runCli(["budget", ...M, "--method", "lokr", "--max-trainable", "200K"]);
  expect(t.stdout).toContain("r=1048576 (the count stops growing with r: every larger value fits too)");
});

describe("count --dtype", () => {
  test("the row carries its adapter file size; the table adds a line", async () => {
    const r = await runCli(["count", ...M, "-r", "4", "--target-modules", "q_proj,v_proj", "--dtype", "fp32", "--json"]);
    expect(r.code).toBe(0);
    // peft 0.21.0 save_pretrained of this adapter: 1,712,288 bytes (tests/size/adapter-size.test.ts)
    expect(json(r.stdout).rows[0]!.adapterSize).toMatchObject({ dtype: "fp32", bytes: 1_712_288, headerBytes: 8352, tensors: 64 });
    const t = await runCli(["count", ...M, "-r", "4", "--target-modules", "q_proj,v_proj", "--dtype", "fp32"]);
    expect(t.stdout).toContain("adapter_model.safetensors (fp32): 1.71 MB = 1,712,288 bytes (64 tensors, header 8,352 bytes)");
  });
  test("without --dtype, count is unchanged", async () => {
    const r = await runCli(["count", ...M, "--json"]);
    expect(JSON.parse(r.stdout).rows[0].adapterSize).toBeUndefined();
  });
});
