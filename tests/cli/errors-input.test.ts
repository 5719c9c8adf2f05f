/**
 * Bad files and requests that cannot be answered: exit 1, nothing on stdout, and on stderr one or two lines
 * (what is wrong, then how to fix it), never a stack trace.
 */
import { describe, expect, test } from "vitest";
import { asSavedJson, expectError, runCli, vector } from "./fake-io.js";

const LLAMA = vector("lora-r16-attn-llama-3-8b");
const adapter = (over: Record<string, unknown>) => asSavedJson({ ...LLAMA.adapter, ...over });

// the vectors record no base_model_name_or_path, so name the model (a later --model in `extra` wins)
const count = (files: Record<string, string>, ...extra: string[]) => runCli(["count", "--model", "llama-3-8b", "--adapter", "a.json", ...extra], { files });

describe("config.json", () => {
  test("malformed JSON: file, line and column named", async () => {
    const r = await runCli(["--model", "cfg/config.json"], { files: { "cfg/config.json": '{\n  "model_type": "llama",\n  "hidden_size": 4096,\n}\n' } });
    expectError(r, 1, /^error: cfg\/config\.json is not valid JSON at line 4, column 1: \S.*$/, "fix the JSON syntax of cfg/config.json");
  });

  test("truncated JSON: the end of the file is named", async () => {
    const r = await runCli(["--model", "c.json"], { files: { "c.json": '{\n  "model_type": "llama",\n  "hidden_size": ' } });
    expectError(r, 1, /^error: c\.json is not valid JSON at line 3, column 18: .*end of JSON input$/, "fix the JSON syntax of c.json");
  });

  test("a UTF-8 byte-order mark is tolerated", async () => {
    const r = await runCli(["--model", "c.json", "--json"], { files: { "c.json": `\uFEFF${JSON.stringify(LLAMA.model)}` } });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { model: { baseParams: number } }).model.baseParams).toBe(8_030_261_248);
  });

  test('wrong field type: "hidden_size": "4096"', async () => {
    const r = await runCli(["--model", "c.json"], { files: { "c.json": JSON.stringify({ ...LLAMA.model, hidden_size: "4096" }) } });
    expectError(r, 1, 'config.json: "hidden_size" must be an integer (got "4096")', 'fix "hidden_size" in the config of this llama model');
  });

  test("a number past 2^53 is refused, not rounded", async () => {
    const r = await runCli(["--model", "c.json"], { files: { "c.json": `{"model_type": "llama", "hidden_size": 9007199254740993}` } });
    expectError(r, 1, /^error: config\.json: "hidden_size" is past 2\^53 and cannot be counted exactly/, /^hint: fix "hidden_size"/);
  });

  test("unsupported model_type lists the supported ones", async () => {
    const r = await runCli(["--model", "c.json"], { files: { "c.json": '{"model_type": "rwkv", "hidden_size": 768}' } });
    expectError(r, 1, 'model_type "rwkv" is not supported', /^hint: (did you mean "\w+"\? )?supported model types: .*\bbert\b.*\bllama\b.*\bphi3\b.*\bt5\b/);
  });

  test("not an object", async () => {
    const r = await runCli(["--model", "c.json"], { files: { "c.json": "[1, 2]" } });
    expectError(r, 1, "c.json must hold a JSON object (a Hugging Face config.json)", "pass the model's config.json");
  });

  test("missing file and empty folder", async () => {
    expectError(await runCli(["--model", "nope/config.json"]), 1, "cannot read /proj/nope/config.json (ENOENT)", "pass an existing config.json or a folder holding one");
    expectError(await runCli(["--model", "dir"], { files: { "dir/README.md": "" } }), 1, "cannot read /proj/dir/config.json (ENOENT)");
  });
});

describe("--model names", () => {
  test('unknown preset suggests the nearest: "llama3-8b" → "llama-3-8b"', async () => {
    expectError(await runCli(["--model", "llama3-8b"]), 1, 'unknown model "llama3-8b"', 'did you mean "llama-3-8b"? run "peftcount models"');
  });

  test("an HF repo id that is no preset, with no Hub and nothing cached, names the file to save and where (issue 9)", async () => {
    const r = await runCli(["--model", "meta-llama/Llama-3.3-70B-Instruct"]);
    expectError(
      r,
      1,
      "meta-llama/Llama-3.3-70B-Instruct: config.json is not in the Hugging Face cache (/home/user/.cache/huggingface/hub) and the Hub (https://huggingface.co) could not be reached: no network in this run",
      "save https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/resolve/main/config.json as /home/user/.cache/huggingface/hub/models--meta-llama--Llama-3.3-70B-Instruct/snapshots/manual/config.json, or pass --model <path to config.json>",
    );
  });
});

describe("adapter_config.json", () => {
  test("malformed JSON: line and column named", async () => {
    const r = await count({ "a.json": '{\n  "peft_type": "LORA",\n  "r": 8,\n  oops\n}' });
    expectError(r, 1, /^error: a\.json is not valid JSON at line 4, column 3: \S.*$/, "fix the JSON syntax of a.json");
  });

  test.each([
    ['"r": "8"', { r: "8" }, /^error: \/proj\/a\.json: r .*number.* \(got "8"\)$/],
    ['"r": 0', { r: 0 }, "/proj/a.json: r must be positive (got 0)"],
    ['"r": -1', { r: -1 }, "/proj/a.json: r must be positive (got -1)"],
    ['"r": 2.5', { r: 2.5 }, "/proj/a.json: r must be a whole number (got 2.5)"],
    ['"bias": "some"', { bias: "some" }, /^error: \/proj\/a\.json: bias .*"none".*"all".*"lora_only".* \(got "some"\)$/],
    ['"target_modules": 7', { target_modules: 7 }, /^error: \/proj\/a\.json: target_modules .* \(got 7\)$/],
  ])("%s: exit 1, the file and key named", async (_name, over, message) => {
    expectError(await count({ "a.json": adapter(over) }), 1, message, /^hint: fix \w+ in \/proj\/a\.json/);
  });

  test('"r" past 2^53 is refused, not rounded', async () => {
    const r = await count({ "a.json": asSavedJson(LLAMA.adapter).replace('"r": 16', '"r": 9007199254740993') });
    expectError(r, 1, /^error: \/proj\/a\.json: "r" is past 2\^53 and cannot be counted exactly/, 'fix "r" in /proj/a.json');
  });

  test("an unknown peft_type lists the supported ones, with the nearest", async () => {
    const r = await count({ "a.json": JSON.stringify({ peft_type: "LORAA", task_type: "CAUSAL_LM" }) });
    expectError(r, 1, 'peft_type "LORAA" is not supported', /^hint: did you mean "LORA"\? supported peft_type values: .*\bIA3\b.*\bPREFIX_TUNING\b/);
  });

  test("peft_type is matched case-insensitively, as PEFT's enum", async () => {
    const r = await count({ "a.json": adapter({ peft_type: "lora" }) }, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].method).toBe("lora");
  });

  test("a key PEFT does not know is warned with the nearest real key, and the count goes on", async () => {
    const r = await count({ "a.json": adapter({ target_module: ["q_proj"] }) }, "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: a\.json: "target_module" is not an option of PEFT's LORA config and is ignored \(did you mean "target_modules"\?\)$/m);
  });

  test("a PEFT key peftcount does not model is refused when set (AdaLoRA with LoRA's use_bdlora), accepted at PEFT's default", async () => {
    const ada = { peft_type: "ADALORA", task_type: "CAUSAL_LM", target_modules: ["q_proj", "v_proj"], total_step: 1000, init_r: 12 };
    const r = await count({ "a.json": JSON.stringify({ ...ada, use_bdlora: { nblocks: 2 } }) });
    expectError(r, 1, /^error: .*a\.json: "use_bdlora": \{"nblocks":2\} is an option of PEFT's ADALORA config that peftcount does not model, and it can change the count$/, /^hint: remove "use_bdlora" \(or set it to PEFT's default, null\)/);
    const ok = await count({ "a.json": JSON.stringify({ ...ada, use_bdlora: null, use_qalora: false }) }, "--json");
    expect(ok.code).toBe(0);
  });

  test("inference_mode: true (as PEFT saves it) is ignored, with a warning", async () => {
    const r = await count({ "a.json": adapter({ inference_mode: true }) }, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^warning: a\.json: inference_mode is true \(PEFT writes it on save\); counting what training trains/m);
  });

  test("an AdapterHub config is recognised and counted with AdapterHub's convention", async () => {
    // Pfeiffer adapters on Llama-3-8B: 32 layers × (2 · 4096 · 256 + 256 + 4096)
    const r = await count({ "a.json": JSON.stringify({ config: { reduction_factor: 16, mh_adapter: false, output_adapter: true, non_linearity: "relu" }, name: "sst-2", version: "adapters.1.0.0" }) }, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ library: "adapters", trainableParams: 67_248_128 });
  });

  test("an adapter task_type that is not PEFT's", async () => {
    expectError(await count({ "a.json": adapter({ task_type: "CLASSIFY" }) }), 1, 'adapter task_type "CLASSIFY" is not a PEFT task type', /^hint: use one of CAUSAL_LM, /);
  });

  test("missing file", async () => {
    expectError(await runCli(["count", "--adapter", "out/adapter_config.json"]), 1, "cannot read /proj/out/adapter_config.json (ENOENT)", "pass an existing adapter_config.json or a folder holding one");
  });
});

describe("targets", () => {
  test("a target list that matches nothing lists the model's module names", async () => {
    const r = await count({ "a.json": adapter({ target_modules: ["qkv", "q_projj"] }) });
    expectError(r, 1, 'lora: target module "qkv", "q_projj" matches no module of this llama model', /^hint: .*module names of this model: embed_tokens, q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, lm_head$/);
  });

  test("a partly matching list is counted as PEFT counts it (unknown entries skipped) with a warning naming them", async () => {
    const r = await count({ "a.json": adapter({ target_modules: ["q_proj", "qkv"] }) }, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBe(32 * 16 * (4096 + 4096));
    expect(r.stderr).toMatch(/^warning: lora: target module "qkv" matches no module of this llama model; PEFT skips it/);
  });

  test("phi3 fuses q/k/v: q_proj and v_proj are skipped, o_proj/down_proj wrapped, and the warning says to use qkv_proj", async () => {
    const r = await count({ "a.json": adapter({ target_modules: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] }) }, "--model", "phi-3-mini-4k", "--json");
    expect(r.code).toBe(0);
    // Phi-3-mini: 32 layers, o_proj 3072→3072, down_proj 8192→3072, r=16 (the LLAMA vector adapter)
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBe(32 * 16 * (3072 + 3072) + 32 * 16 * (8192 + 3072));
    expect(r.stderr).toMatch(/target module "q_proj" matches no module of this phi3 model; PEFT skips it \(this model fuses its projections: use "qkv_proj" instead of "q_proj"/);
  });

  test("phi3 with only fused-away names: nothing matched is an error that names the fused module", async () => {
    const r = await count({ "a.json": adapter({ target_modules: ["q_proj", "v_proj"] }) }, "--model", "phi-3-mini-4k");
    expectError(r, 1, 'lora: target module "q_proj", "v_proj" matches no module of this phi3 model', /^hint: this model fuses its projections: use "qkv_proj" instead of "q_proj"/);
  });

  test.each(["(a+)+$", "(.*a){25}"])("hostile regex %s on qwen3-235b-a22b (per-expert, ~36k modules): RE2, fast, matches nothing", async (pattern) => {
    const t0 = performance.now();
    const r = await count({ "a.json": adapter({ target_modules: pattern }) }, "--model", "qwen3-235b-a22b", "--expert-layout", "per-expert");
    expect(performance.now() - t0).toBeLessThan(10_000);
    expectError(r, 1, `lora: target_modules=${JSON.stringify(pattern)} matches no module`, /^hint: module names of this model: .*q_proj/);
  });

  test("a look-ahead regex is unsupported syntax (RE2), named with the file", async () => {
    const r = await count({ "a.json": adapter({ target_modules: "(?=.*q_proj).*" }) });
    expectError(r, 1, /^error: \/proj\/a\.json: target_modules: cannot use the regular expression "\(\?=\.\*q_proj\)\.\*" \(.*\)$/, /^hint: .*look-around and back-references are not available/);
  });
});
