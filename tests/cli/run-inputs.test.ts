/**
 * What a user points the CLI at: a PEFT adapter_config.json exactly as save_pretrained writes it (taken from
 * the golden vectors, produced by peft 0.17.1), a config.json path or folder, HF repo ids, task heads; and the
 * output formats. Every count is the vector's expected value or derived from the architecture in a comment.
 */
import { describe, expect, test } from "vitest";
import { comparisonReportSchema } from "../../src/report/schema.js";
import { asSavedJson, expectError, runCli, vector } from "./fake-io.js";

const ATTN = vector("lora-r16-attn-llama-3-8b"); // r=16 on q,k,v,o of Meta-Llama-3-8B
const SEQCLS3 = vector("lora-seqcls-3labels-bert-base"); // BertForSequenceClassification, 3 labels, q/v + classifier

async function countOf(argv: string[], files: Record<string, string>) {
  const r = await runCli([...argv, "--json"], { files });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  return comparisonReportSchema.parse(JSON.parse(r.stdout));
}

describe("count --adapter adapter_config.json", () => {
  const files = { "adapter_config.json": asSavedJson(ATTN.adapter), "out/run1/adapter_config.json": asSavedJson(ATTN.adapter) };

  test.each([
    ["a file", ["count", "--model", "llama-3-8b", "--adapter", "adapter_config.json"]],
    ["a folder", ["count", "-m", "llama-3-8b", "-a", "out/run1"]],
    ["an absolute path", ["count", "--model", "llama-3-8b", "--adapter", "/proj/adapter_config.json"]],
  ])("%s: PEFT's numbers, exactly", async (_name, argv) => {
    const report = await countOf(argv, files);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      method: "lora",
      trainableParams: ATTN.expected.trainableParams, // 13,631,488
      allParams: ATTN.expected.allParams, // 8,043,892,736
      baseParams: ATTN.expected.baseParams, // 8,030,261,248
    });
    expect(report.rows[0]!.options).toMatchObject({ r: 16, lora_alpha: 32, target_modules: ["k_proj", "o_proj", "q_proj", "v_proj"] });
  });

  test("without --model, the adapter's base_model_name_or_path names the model (an HF id that is a preset alias)", async () => {
    const saved = asSavedJson({ ...ATTN.adapter, base_model_name_or_path: "meta-llama/Meta-Llama-3-8B" });
    const report = await countOf(["count", "--adapter", "adapter_config.json"], { "adapter_config.json": saved });
    expect(report.model.id).toBe("llama-3-8b");
    expect(report.rows[0]!.trainableParams).toBe(ATTN.expected.trainableParams);
  });

  test("without --model and without base_model_name_or_path there is no silent default: exit 2", async () => {
    const r = await runCli(["count", "--adapter", "adapter_config.json"], { files });
    expectError(r, 2, "--model is required: adapter_config.json does not name its base model (base_model_name_or_path)", "pass --model <preset | config.json>");
  });

  test("a flag overrides the file's value: -r 8 halves the count, and says so on stderr", async () => {
    const r = await runCli(["count", "--model", "llama-3-8b", "--adapter", "adapter_config.json", "-r", "8", "--json"], { files });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: -r/--r overrides "r": 16 from adapter_config.json (now 8)\n');
    expect(comparisonReportSchema.parse(JSON.parse(r.stdout)).rows[0]!.trainableParams).toBe(ATTN.expected.trainableParams / 2);
  });

  test("the adapter's task_type SEQ_CLS picks the head and saves the classifier (3 labels from --num-labels)", async () => {
    const report = await countOf(["count", "--model", "bert-base-uncased", "--num-labels", "3", "--adapter", "adapter_config.json"], { "adapter_config.json": asSavedJson(SEQCLS3.adapter) });
    expect(report.model).toMatchObject({ modelClass: "BertForSequenceClassification", task: "SEQ_CLS", baseParams: 109_484_547 });
    expect(report.rows[0]).toMatchObject({ trainableParams: 297_219, allParams: 109_781_766, baseParams: 109_484_547 });
  });

  test("count without --adapter counts LoRA with PEFT's defaults", async () => {
    const report = await countOf(["count"], {});
    expect(report.rows.map((r) => [r.method, r.trainableParams])).toEqual([["lora", 3_407_872]]);
  });
});

describe("--model: presets, HF repo ids, config.json files and folders", () => {
  const config = JSON.stringify(ATTN.model, null, 2);

  test.each([
    ["meta-llama/Meta-Llama-3-8B", "llama-3-8b"],
    ["META-LLAMA/meta-llama-3-8b", "llama-3-8b"],
    ["LLAMA-3-8B", "llama-3-8b"],
    ["microsoft/Phi-3-mini-4k-instruct", "phi-3-mini-4k"],
  ])("%s is the preset %s", async (name, id) => {
    const r = await runCli(["--model", name, "--json"], {});
    expect(r.code).toBe(0);
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.model.id).toBe(id);
    expect(report.model.source).toBe(`preset:${id}`);
  });

  test.each([
    ["a config.json path", "models/llama3/config.json", "/proj/models/llama3/config.json"],
    ["a folder", "models/llama3", "/proj/models/llama3/config.json"],
    ["a ./folder", "./models/llama3/", "/proj/models/llama3/config.json"],
  ])("%s", async (_name, arg, source) => {
    const report = await countOf(["--model", arg, "--method", "lora"], { "models/llama3/config.json": config });
    expect(report.model).toMatchObject({ id: source, source, modelType: "llama", baseParams: 8_030_261_248 });
    expect(report.rows[1]!.trainableParams).toBe(3_407_872);
  });

  test("_name_or_path names the model", async () => {
    const report = await countOf(["--model", "c.json", "--methods", "lora"], { "c.json": JSON.stringify({ ...ATTN.model, _name_or_path: "my-org/llama-ft" }) });
    expect(report.model).toMatchObject({ id: "my-org/llama-ft", source: "/proj/c.json" });
  });

  test("--task SEQ_CLS --num-labels 3 on a decoder: a score head of 4096·3 weights, no bias", async () => {
    const report = await countOf(["--task", "SEQ_CLS", "--num-labels", "3", "--method", "lora task_type=SEQ_CLS"], {});
    // LlamaForSequenceClassification: the model without lm_head (128,256·4096) plus score (4096·3)
    expect(report.model).toMatchObject({ modelClass: "LlamaForSequenceClassification", task: "SEQ_CLS", baseParams: 8_030_261_248 - 128_256 * 4096 + 4096 * 3 });
    // task_type=SEQ_CLS: PEFT's task model trains a copy of score (4096·3) besides LoRA r=8 on q,v (3,407,872)
    expect(report.rows.map((row) => row.trainableParams)).toEqual([report.model.baseParams, 3_407_872 + 4096 * 3]);
  });

  test("a head task without task_type warns that the head stays frozen (PEFT's behaviour), on stderr only", async () => {
    const r = await runCli(["count", "--task", "SEQ_CLS", "--method", "lora", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "warning: lora: task_type is not set, so the SEQ_CLS head stays frozen (as in PEFT); set task_type=SEQ_CLS to train it as PEFT's task model does\n",
    );
    expect(comparisonReportSchema.parse(JSON.parse(r.stdout)).rows[0]!.trainableParams).toBe(3_407_872);
  });

  test("compare's default rows on a classification model set task_type, so the head trains", async () => {
    const r = await runCli(["--model", "roberta-base", "--json"]);
    const rows = comparisonReportSchema.parse(JSON.parse(r.stdout)).rows;
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows.slice(1)) if ("task_type" in row.options) expect(row.options["task_type"]).toBe("SEQ_CLS");
    // peft: lora-r8-qv-roberta-base (q,v r=8 + classifier copy 592,130)
    expect(rows[1]!.trainableParams).toBe(887_042);
    expect(r.stderr).not.toMatch(/task_type is not set/);
  });

  test("--num-labels changes the classifier of an encoder", async () => {
    const two = await countOf(["--model", "bert-base-uncased", "--task", "SEQ_CLS", "--methods", "lora"], {});
    const five = await countOf(["--model", "bert-base-uncased", "--task", "SEQ_CLS", "--num-labels", "5", "--methods", "lora"], {});
    // BertModel 109,482,240 + classifier 768·n + n
    expect(two.model.baseParams).toBe(109_482_240 + 769 * 2);
    expect(five.model.baseParams).toBe(109_482_240 + 769 * 5);
  });
});

describe("output formats", () => {
  test("csv: RFC 4180, fixed header, raw integers, CRLF", async () => {
    const r = await runCli(["--method", "lora r=8 target_modules=q_proj,v_proj", "--format", "csv"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\r\n")).toEqual([
      "model,task,method,options,trainableParams,allParams,baseParams,percentOfAll,percentOfFull",
      "llama-3-8b,CAUSAL_LM,full,,8030261248,8030261248,8030261248,100,100",
      `llama-3-8b,CAUSAL_LM,lora,"r=8 target_modules=q_proj,v_proj",3407872,8033669120,8030261248,${(100 * 3407872) / 8033669120},${(100 * 3407872) / 8030261248}`,
      "",
    ]);
  });

  test("markdown: a GFM table with right-aligned numbers", async () => {
    const r = await runCli(["--method", "lora r=8", "--format", "markdown"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("**llama-3-8b** — LlamaForCausalLM (CAUSAL_LM), 8,030,261,248 parameters");
    expect(lines[2]).toMatch(/^\| Method \| Options \| Trainable \| All params \|/);
    expect(lines[3]).toBe("| --- | --- | ---: | ---: | ---: | ---: |");
    expect(lines[5]).toMatch(/^\| LoRA \| r=8 \| 3,407,872 \| 8,033,669,120 \| 0\.0424 \| 0\.0424 \|$/);
    expect(lines).toHaveLength(6);
  });

  test("table: grouped counts, no colour when not a TTY", async () => {
    const r = await runCli(["--method", "lora r=8"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("8,030,261,248");
    expect(r.stdout).toMatch(/LoRA\s+│ r=8\s+│\s+3,407,872 │/);
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stderr).toBe("");
  });
});
