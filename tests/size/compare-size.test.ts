/**
 * `compare --size`: each PEFT row with its adapter_model.safetensors for a base model loaded in --dtype, in the
 * table (a column dropped first on a narrow terminal), markdown, CSV and --json (rows[].adapterSize).
 * Golden bytes: files PEFT 0.21.0 writes for the tiny LLaMA of frozen-tensors.test.ts (source: peft 0.21.0 +
 * transformers 5.18.0 + torch 2.13, from_config(dtype=...), get_peft_model(autocast_adapter_dtype=...),
 * save_pretrained): RandLoRA r=8 on q_proj, v_proj 100,256 bytes for fp32 and for bf16 under autocast, 51,248
 * for bf16 without; LoRA r=4 + lm_head copy + 2 trainable tokens 74,488 / 41,696 / 37,888.
 */
import { Chalk } from "chalk";
import { describe, expect, test } from "vitest";
import { renderTable } from "../../src/render/table.js";
import { comparisonReportSchema } from "../../src/report/schema.js";
import { expectError, runCli } from "../cli/fake-io.js";

const TINY = { model_type: "llama", hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 256, max_position_embeddings: 128, tie_word_embeddings: false };
const files = { "tiny/config.json": JSON.stringify(TINY) };
const ROWS = ["--method", "randlora r=8", "--method", "lora r=4 modules_to_save=lm_head trainable_token_indices=[1,2]"];
const compare = (...args: string[]) => runCli(["compare", "--model", "tiny", ...ROWS, ...args], { files });
const json = (s: string) => comparisonReportSchema.parse(JSON.parse(s));
const bytes = (s: string) => json(s).rows.map((r) => r.adapterSize?.bytes);

describe("compare --size", () => {
  test("--json rows carry the file PEFT writes, for each load dtype and autocast", async () => {
    const fp32 = await compare("--size", "--dtype", "fp32", "--json");
    expect(fp32.code).toBe(0);
    expect(bytes(fp32.stdout)).toEqual([undefined, 100_256, 74_488]);
    expect(bytes((await compare("--size", "--dtype", "bf16", "--json")).stdout)).toEqual([undefined, 100_256, 41_696]);
    const off = await compare("--size", "--dtype", "bf16", "--no-autocast-adapter-dtype", "--json");
    expect(bytes(off.stdout)).toEqual([undefined, 51_248, 37_888]);
    expect(json(off.stdout).rows[1]!.adapterSize).toMatchObject({ dtype: "bf16", adapterDtype: "bf16", autocastAdapterDtype: false, complete: true, headerExact: true });
  });

  test("without --dtype the config's dtype is the load dtype (as --memory), else fp32", async () => {
    const r = await compare("--size", "--json");
    expect(json(r.stdout).rows[1]!.adapterSize).toMatchObject({ dtype: "fp32", adapterDtype: "fp32" });
    const bf16 = await runCli(["compare", "--model", "tiny", ...ROWS, "--size", "--json"], { files: { "tiny/config.json": JSON.stringify({ ...TINY, torch_dtype: "bfloat16" }) } });
    expect(json(bf16.stdout).rows[2]!.adapterSize).toMatchObject({ dtype: "bf16", adapterDtype: "fp32", bytes: 41_696 });
  });

  test("table: an Adapter file column and what it assumes; the column goes first when the terminal is narrow", async () => {
    const r = await compare("--size", "--dtype", "bf16", "--no-parts");
    expect(r.stdout).toMatch(/│ Adapter file │/);
    expect(r.stdout).toContain("100 kB │");
    expect(r.stdout).toContain("adapter file: adapter_model.safetensors as PEFT saves it for a bf16 model, adapter weights fp32 (PEFT's autocast_adapter_dtype)");
    const report = json((await compare("--size", "--dtype", "bf16", "--json")).stdout);
    const c = new Chalk({ level: 0 });
    const wide = renderTable(report, c, { parts: false });
    const tableWidth = wide.split("\n").find((l) => l.startsWith("┌"))!.length;
    const narrow = renderTable(report, c, { parts: false, width: tableWidth - 5 });
    expect(narrow).not.toContain("Adapter file │");
    // every other column (and number) is still there
    for (const head of ["Trainable", "≈", "All params", "% of all (PEFT)", "% of full FT"]) expect(narrow).toContain(head);
    expect(narrow).toContain("adapter file: adapter_model.safetensors");
    // with --memory too: the size column is the last one, and still the first to go
    const both = json((await compare("--size", "--memory", "--dtype", "bf16", "--json")).stdout);
    const bothWide = renderTable(both, c, { parts: false });
    expect(bothWide).toMatch(/│ Memory \/ GPU │ Adapter file │/);
    const bothNarrow = renderTable(both, c, { parts: false, width: bothWide.split("\n").find((l) => l.startsWith("┌"))!.length - 5 });
    expect(bothNarrow).toContain("Memory / GPU");
    expect(bothNarrow).not.toContain("Adapter file │");
  });

  test("markdown and CSV", async () => {
    const md = (await compare("--size", "--dtype", "fp32", "--format", "markdown")).stdout;
    expect(md).toContain("| % of full FT | Adapter file |");
    expect(md).toContain("| 100 kB |");
    expect(md).toContain("Adapter file: adapter_model.safetensors as PEFT saves it for a fp32 model, adapter weights fp32 too.");
    const csv = (await compare("--size", "--dtype", "fp32", "--format", "csv")).stdout.split("\r\n");
    expect(csv[0]).toBe("model,task,method,options,trainableParams,allParams,baseParams,percentOfAll,percentOfFull,dtype,adapterBytes");
    expect(csv[1]!.endsWith(",,")).toBe(true); // full fine-tuning saves no adapter
    expect(csv[2]!.endsWith(",fp32,100256")).toBe(true);
  });

  test("a file whose frozen tensors were not sized would be marked (+)", async () => {
    // every method's file is complete today; the mark is for one that is not (adapterSize.complete: false)
    const report = json((await compare("--size", "--dtype", "fp32", "--json")).stdout);
    const partial = { ...report, rows: report.rows.map((r, i) => (i === 1 ? { ...r, adapterSize: { ...r.adapterSize!, complete: false } } : r)) };
    const t = renderTable(partial, new Chalk({ level: 0 }), { parts: false });
    expect(t).toContain("100 kB+ │");
    expect(t).toContain("+ = the file also holds frozen tensors not sized");
  });

  test("--dtype alone still needs --memory or --size", async () => {
    expectError(await compare("--dtype", "bf16"), 2, "--dtype describes the training setup of the memory column, which compare shows only with --memory", /--size for the adapter file column/);
    expect((await compare("--size", "--no-autocast-adapter-dtype", "--json")).code).toBe(0);
  });
});
