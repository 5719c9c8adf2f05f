/**
 * `peftcount check`, every exit path, in-process (tests/cli/fake-io.ts): pass, each limit failing with the
 * by-how-much, unmatched targets, bad limit syntax (exit 2 naming the accepted forms), limits files found,
 * malformed or absent, --json with a `check` section even on failure, markdown for a PR comment.
 * Counts: llama-3.2-1b, LoRA r=8 all-linear = 5,636,096 trainable of 1,241,450,496 (the same number as
 * `peftcount count`; 0.4540% of all, 0.4561% of full FT).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { gatesReportSchema } from "../../src/report/gates-schema.js";
import { expectError, runCli } from "../cli/fake-io.js";

const LORA = ["--model", "llama-3.2-1b", "--target-modules", "all-linear"];
const check = (...args: string[]) => runCli(["check", ...LORA, ...args]);
const json = (stdout: string) => gatesReportSchema.parse(JSON.parse(stdout));

// the first in-process run loads the model families and formulas
beforeAll(() => runCli(["check", ...LORA, "--max-trainable", "1B"]), 60_000);

describe("check passes (exit 0)", () => {
  test("every limit holds; equal to the limit holds", async () => {
    const r = await check("--max-trainable", "5636096", "--max-percent", "0.5", "--max-percent-of-full", "0.4561", "--json");
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.rows[0]!.trainableParams).toBe(5_636_096);
    expect(report.check).toEqual({
      pass: true,
      limits: [
        { limit: "maxTrainable", max: 5_636_096, actual: 5_636_096, pass: true },
        { limit: "maxPercent", max: 0.5, actual: (100 * 5_636_096) / 1_241_450_496, pass: true },
        { limit: "maxPercentOfFull", max: 0.4561, actual: (100 * 5_636_096) / 1_235_814_400, pass: true },
      ],
    });
    expect(r.stderr).toBe("");
  });

  test("the table names the verdict and leaves the breakdown out", async () => {
    const r = await check("--max-trainable", "20M");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("check passed: 1 limit(s) hold");
    expect(r.stdout).not.toContain("model.layers.*.mlp.down_proj");
  });
});

describe("each limit failing (exit 1, report on stdout, what failed on stderr)", () => {
  test("--max-trainable: by how much, and the per-module breakdown", async () => {
    const r = await check("--max-trainable", "5M");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL: over by 636,096 (+12.7%)");
    expect(r.stdout).toMatch(/model\.layers\.\*\.mlp\.down_proj\s+×16\s+1,310,720/);
    expectError({ ...r, stdout: "" }, 1, "check failed: trainable 5,636,096 > 5,000,000 (over by 636,096)", "raise the limit");
  });

  test("--max-percent (PEFT's trainable%) and --max-percent-of-full (trainable / base)", async () => {
    const a = await check("--max-percent", "0.45", "--json");
    expect(a.code).toBe(1);
    const la = json(a.stdout).check!.limits[0]!;
    expect(la).toMatchObject({ limit: "maxPercent", max: 0.45, pass: false });
    expect(la.over).toBeCloseTo(0.00399, 4);
    const b = await check("--max-percent-of-full", "0.4560", "--json");
    expect(b.code).toBe(1);
    expect(json(b.stdout).check!.limits[0]).toMatchObject({ limit: "maxPercentOfFull", pass: false });
    // 0.4540% of all passes 0.4541 but 0.4561% of full does not: the two denominators differ
    expect((await check("--max-percent", "0.4541")).code).toBe(0);
  });

  test("--max-adapter-size with --dtype: the file's bytes, over by", async () => {
    // a bf16 model: PEFT keeps the LoRA weights in fp32 (autocast_adapter_dtype=True) unless told not to
    const a = await check("--max-adapter-size", "10MB", "--dtype", "bf16", "--json");
    expect(json(a.stdout).rows[0]!.adapterSize!).toMatchObject({ dtype: "bf16", adapterDtype: "fp32", dataBytes: 4 * 5_636_096 });
    const r = await check("--max-adapter-size", "10MB", "--dtype", "bf16", "--no-autocast-adapter-dtype", "--json");
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    const size = report.rows[0]!.adapterSize!;
    expect(size).toMatchObject({ dtype: "bf16", adapterDtype: "bf16", tensors: 224, dataBytes: 2 * 5_636_096, headerExact: true });
    expect(size.bytes).toBe(size.dataBytes + size.headerBytes);
    expect(report.check!.limits[0]).toEqual({ limit: "maxAdapterSize", max: 10_000_000, actual: size.bytes, pass: false, over: size.bytes - 10_000_000 });
    expect(JSON.parse(r.stderr.trim().split("\n").pop()!).error.code).toBe("CHECK_FAILED");
  });

  test("--max-adapter-size defaults to fp32 (PEFT's autocast_adapter_dtype)", async () => {
    const r = await check("--max-adapter-size", "1GiB", "--json");
    expect(r.code).toBe(0);
    expect(json(r.stdout).rows[0]!.adapterSize!).toMatchObject({ dtype: "fp32", dataBytes: 4 * 5_636_096 });
  });

  test("several limits: each reported, the ones that hold pass", async () => {
    const r = await check("--max-trainable", "6M", "--max-percent", "0.1", "--format", "csv");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\r\n")[0]).toBe("limit,max,actual,pass,over");
    expect(r.stdout).toContain("maxTrainable,6000000,5636096,true,");
    expect(r.stdout).toMatch(/maxPercent,0\.1,0\.45\d+,false,0\.35\d+/);
  });
});

describe("--fail-on-unmatched-targets", () => {
  const targets = ["check", "--model", "llama-3.2-1b", "--max-trainable", "20M"];
  test("a typo PEFT forgives fails the check", async () => {
    const r = await runCli([...targets, "--target-modules", "q_proj,v_prj", "--fail-on-unmatched-targets", "--json"]);
    expect(r.code).toBe(1);
    const c = json(r.stdout).check!;
    expect(c.limits[1]).toEqual({ limit: "failOnUnmatchedTargets", max: true, actual: ["v_prj"], pass: false });
    expect(r.stderr).toContain('target_modules entries match no module: \\"v_prj\\"');
  });
  test("without the flag the same adapter passes (PEFT only warns)", async () => {
    const r = await runCli([...targets, "--target-modules", "q_proj,v_prj"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('"v_prj" matches no module');
  });
  test("every entry matching passes; a suffix after a dot matches as in PEFT", async () => {
    const r = await runCli([...targets, "--target-modules", "self_attn.q_proj,v_proj", "--fail-on-unmatched-targets"]);
    expect(r.code).toBe(0);
  });
});

describe("bad limit syntax (exit 2, naming the accepted forms)", () => {
  test.each([
    ["--max-trainable", "20X", '--max-trainable: "20X" is not a parameter count', "use a whole number of parameters"],
    ["--max-trainable", "1.23456K", '--max-trainable: "1.23456K" is not a parameter count', "use a whole number"],
    ["--max-trainable", "-5", '--max-trainable: "-5" is not a parameter count', "use a whole number"],
    ["--max-adapter-size", "100 megs", '--max-adapter-size: "100 megs" is not a byte size', "use bytes (52428800) or a number with B, KB"],
    ["--max-adapter-size", "1.5kib", '--max-adapter-size: "1.5kib" is not a byte size', "use bytes"],
    ["--max-percent", "abc", '--max-percent: "abc" is not a percentage', "use a percentage such as 0.5"],
    ["--max-percent", "150", '--max-percent: "150" is not a percentage', "use a percentage"],
  ])("%s %s", async (flag, value, message, hint) => {
    expectError(await check(flag, value), 2, message, hint);
  });
  test("--dtype must be fp32, fp16 or bf16", async () => {
    expectError(await check("--max-adapter-size", "1GB", "--dtype", "int8"), 2, '--dtype must be one of fp32, fp16, bf16 (got "int8")');
  });
  test("no limit at all is a usage error", async () => {
    expectError(await check(), 2, "check needs a limit", "pass --max-trainable 20M");
  });
  test("accepted forms parse exactly", async () => {
    for (const [flag, value] of [["--max-trainable", "1.5B"], ["--max-trainable", "6000K"], ["--max-adapter-size", "1.5GiB"], ["--max-adapter-size", "50000KiB"], ["--max-percent", "0.5%"]])
      expect((await check(flag!, value!)).code, `${flag} ${value}`).toBe(0);
  });
});

describe("limits files", () => {
  const adapter = JSON.stringify({ peft_type: "LORA", r: 8, target_modules: "all-linear", task_type: "CAUSAL_LM", base_model_name_or_path: "meta-llama/Llama-3.2-1B" });
  test("peftcount.json next to the training config: the CI job is one line", async () => {
    const files = { "adapter_config.json": adapter, "peftcount.json": JSON.stringify({ adapter: "adapter_config.json", maxTrainable: "5M", maxAdapterSize: "100MB", dtype: "bf16" }) };
    const r = await runCli(["check", "--json"], { files });
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.model.id).toBe("llama-3.2-1b");
    expect(report.check).toMatchObject({ pass: false, limitsFile: "peftcount.json" });
    expect(report.check!.limits.map((l) => [l.limit, l.pass])).toEqual([["maxTrainable", false], ["maxAdapterSize", true]]);
  });
  test("a flag wins over the file", async () => {
    const files = { "adapter_config.json": adapter, "peftcount.json": JSON.stringify({ adapter: "adapter_config.json", maxTrainable: "5M" }) };
    expect((await runCli(["check", "--max-trainable", "6M"], { files })).code).toBe(0);
  });
  test('package.json "peftcount" key', async () => {
    const files = { "adapter_config.json": adapter, "package.json": JSON.stringify({ name: "x", peftcount: { adapter: "adapter_config.json", "max-trainable": "6M" } }) };
    const r = await runCli(["check"], { files });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('limits from package.json "peftcount"');
  });
  test("peftcount.yaml, and --limits FILE", async () => {
    const yaml = "adapter: adapter_config.json\nmaxTrainable: 5M\nfailOnUnmatchedTargets: true\n";
    const a = await runCli(["check"], { files: { "adapter_config.json": adapter, "peftcount.yaml": yaml } });
    expect(a.code).toBe(1);
    const b = await runCli(["check", "--limits", "ci/limits.yml"], { files: { "adapter_config.json": adapter, "ci/limits.yml": yaml.replace("5M", "6M") } });
    expect(b.code).toBe(0);
  });
  test("malformed files are exit 2, naming the file", async () => {
    expectError(await runCli(["check"], { files: { "peftcount.json": "{\"maxTrainable\": " } }), 2, /^error: peftcount\.json is not valid JSON/);
    expectError(await runCli(["check"], { files: { "peftcount.json": JSON.stringify({ maxTrainabel: "5M" }) } }), 2, 'peftcount.json: unknown key "maxTrainabel"', "keys: maxTrainable");
    expectError(await runCli(["check"], { files: { "peftcount.json": JSON.stringify({ maxTrainable: "5 million" }) } }), 2, 'peftcount.json: maxTrainable: "5 million" is not a parameter count');
    expectError(await runCli(["check"], { files: { "peftcount.yaml": "maxTrainable: [1\n" } }), 2, /^error: peftcount\.yaml is not valid YAML/);
    expectError(await runCli(["check", "--limits", "nope.json", ...LORA]), 2, "cannot read the limits file nope.json");
  });
});

describe("markdown for a PR comment", () => {
  test("verdict, limits, the breakdown folded", async () => {
    const r = await check("--max-trainable", "5M", "--format", "markdown");
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("### ❌ peftcount check failed");
    expect(r.stdout).toContain("| max trainable | 5,000,000 | 5,636,096 | ❌ over by 636,096 (+12.7%) |");
    expect(r.stdout).toContain("<details open><summary>Trainable parameters by module</summary>");
    expect(r.stdout).toContain("| `model.layers.*.mlp.down_proj.lora_A` | 16 | 1,048,576 |");
  });
});
